# SPDX-License-Identifier: GPL-3.0-or-later
"""The reuse planner on Build records as Twilio may send them (tests/fixtures/twilio/SOURCES.md): ``PUBLIC`` as
every generated Build example shows it, paths without their leading slash, nulls and unknown fields plan exactly
as the lower-case record; a version that cannot be read (unknown visibility, no path, a SID of another kind) is
never reused, always warned about by path, and never lets a build read as unchanged."""

import copy

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import (
    build_versions,
    content_checks,
    make_plan,
    MANIFEST_PATH,
    manifest_version,
    read_build_versions,
    reusable_manifest,
)

from .test_plan import apply, file_specs, files_of, sid, source, toolkit_build

CASES = st.sampled_from([str.upper, str.lower, str.title, lambda s: " %s " % s.upper()])


def variant(build, case=str.upper, slash=True, extra=True):
    """``build`` as another source shows it: visibility in ``case``, paths without the leading slash
    (``slash=False``), unknown fields and nulls at every level (``extra``)."""
    shown = copy.deepcopy(build)
    for key in ("function_versions", "asset_versions"):
        for item in shown[key]:
            item["visibility"] = case(item["visibility"])
            if not slash:
                item["path"] = item["path"].lstrip("/")
            if extra:
                item.update(date_created=None, account_sid=None, links={"x": None}, brand_new={"deep": [1]})
    if extra:
        shown.update(date_updated=None, status="COMPLETED", links=None, brand_new=[{"deep": None}], url=None)
        shown["function_versions"].insert(0, None)
        shown["asset_versions"].append("not an object")
    return shown


def outcome(plan):
    return ([(p.file.path, p.action, p.version_sid) for p in plan.files], plan.unchanged, plan.added, plan.changed,
            plan.removed, plan.before, plan.unreadable)


@settings(max_examples=150, deadline=None)
@given(before=file_specs, after=file_specs, case=CASES, slash=st.booleans(), extra=st.booleans(),
       deps=st.sampled_from([{}, {"axios": "1"}]))
def test_a_build_in_any_documented_shape_plans_as_the_canonical_one(before, after, case, slash, extra, deps):
    assume(before and after)
    build, manifest = apply(make_plan(files_of(before), None, None, "node22", {}, {}), "node22", {})
    shown = variant(build, case, slash, extra)
    canonical = make_plan(files_of(after), build, manifest, "node22", deps, {})
    assert outcome(make_plan(files_of(after), shown, manifest, "node22", deps, {})) == outcome(canonical)
    assert reusable_manifest(canonical, shown, manifest, "node22", deps) == reusable_manifest(
        canonical, build, manifest, "node22", deps)
    assert canonical.unreadable == []


def test_public_in_upper_case_is_reused_as_public():
    """The issue's headline: Build records with "visibility": "PUBLIC" (every generated example) must not
    make every file an upload."""
    files = [source("/hi", "function", "public", "s1"), source("/logo.png", "asset", "public", "s2"),
             source("/admin", "function", "protected", "s3")]
    build, manifest = apply(make_plan(files, None, None, "node22", {}, {}), "node22", {})
    shown = variant(build, str.upper, extra=False)
    assert [v["visibility"] for v in shown["function_versions"]] == ["PUBLIC", "PROTECTED", "PRIVATE"]
    again = make_plan(files, shown, manifest, "node22", {}, {})
    assert again.unchanged and [p.action for p in again.files] == ["reused"] * 3 and again.unreadable == []
    edited = [source("/hi", "function", "public", "s1x")] + files[1:]
    one = make_plan(edited, shown, manifest, "node22", {}, {})
    assert [p.file.path for p in one.files if p.action == "uploaded"] == ["/hi"] and one.changed == ["/hi"]
    assert reusable_manifest(one, shown, manifest, "node22", {}) is not None  # so one upload in all


@settings(max_examples=100, deadline=None)
@given(spec=file_specs, case=CASES)
def test_a_toolkit_build_in_upper_case_reuses_its_functions_by_content(spec, case):
    assume(spec)
    build, contents = toolkit_build(spec)
    shown = variant(build, case)
    files = files_of(spec)
    checks = content_checks(files, shown, None)
    assert checks == content_checks(files, build, None)
    plan = make_plan(files, shown, None, "node22", {}, dict((v.sid, contents[v.sid]) for v in checks))
    assert [p.action for p in plan.files] == ["reused" if f.kind == "function" else "uploaded" for f in files]


# -- bad input: a version that cannot be read --------------------------------------------------------------------

FILES = [source("/hi", "function", "public", "s1"), source("/other", "function", "public", "s2"),
         source("/logo.png", "asset", "public", "s3")]


def released():
    """The build and manifest of FILES, so every file would be reused as it stands."""
    build, manifest = apply(make_plan(FILES, None, None, "node22", {}, {}), "node22", {})
    assert make_plan(FILES, build, manifest, "node22", {}, {}).unchanged
    return build, manifest


def corrupt(build, path, change):
    bad = copy.deepcopy(build)
    for item in bad["function_versions"] + bad["asset_versions"]:
        if item["path"] == path:
            change(item)
    return bad


BAD_VERSIONS = [
    ("an unknown visibility", "/hi", lambda v: v.update(visibility="SECRET"),
     "with visibility 'SECRET', not public, protected or private; '/hi' is uploaded again"),
    ("a null visibility", "/hi", lambda v: v.update(visibility=None), "with no visibility; '/hi' is uploaded again"),
    ("no visibility", "/logo.png", lambda v: v.pop("visibility"), "with no visibility; '/logo.png' is uploaded again"),
    ("a visibility that is not a string", "/hi", lambda v: v.update(visibility=["public"]),
     "with visibility \"['public']\", not public, protected or private; '/hi' is uploaded again"),
    ("a Function SID in place of the version SID", "/hi", lambda v: v.update(sid="ZH" + "f" * 32),
     "at '/hi' with SID 'ZH%s', which is not a Function or Asset Version SID (ZN...); '/hi' is uploaded again"
     % ("f" * 32)),
    ("a Build SID in place of the version SID", "/logo.png", lambda v: v.update(sid="ZB" + "f" * 32),
     "at '/logo.png' with SID 'ZB%s', which is not a Function or Asset Version SID" % ("f" * 32)),
    ("no version SID", "/hi", lambda v: v.pop("sid"), "the function version at '/hi' with no SID; '/hi' is uploaded"),
    ("a malformed version SID", "/hi", lambda v: v.update(sid="ZN123"), "with SID 'ZN123', which is not"),
]


@pytest.mark.parametrize("dummy, path, change, said", BAD_VERSIONS, ids=[case[0] for case in BAD_VERSIONS])
def test_a_version_that_cannot_be_read_is_uploaded_again_with_a_warning_naming_its_path(dummy, path, change, said):
    build, manifest = released()
    bad = corrupt(build, path, change)
    versions, unreadable = read_build_versions(bad)
    assert path not in [v.path for v in versions] and [u.path for u in unreadable] == [path]
    plan = make_plan(FILES, bad, manifest, "node22", {}, {})
    assert [p.file.path for p in plan.files if p.action == "uploaded"] == [path]
    assert [p.file.path for p in plan.files if p.action == "reused"] == [f.path for f in FILES if f.path != path]
    assert not plan.unchanged and plan.changed == [path] and plan.added == [] and plan.removed == []
    assert len(plan.unreadable) == 1 and said in plan.unreadable[0], plan.unreadable
    assert plan.unreadable[0].startswith("Build %s lists the " % build["sid"])
    assert path in plan.before and plan.before[path][2] is None  # the diff shows it, content unknown
    # Nor is it read back by content when another tool made the build.
    assert path not in [v.path for v in content_checks(FILES, bad, None)]


@pytest.mark.parametrize("missing", [lambda v: v.pop("path"), lambda v: v.update(path=None),
                                     lambda v: v.update(path=""), lambda v: v.update(path=7)])
def test_a_version_without_a_path_is_never_reused_and_the_warning_says_so(missing):
    build, manifest = released()
    version_sid = [v["sid"] for v in build["function_versions"] if v["path"] == "/hi"][0]
    bad = corrupt(build, "/hi", missing)
    plan = make_plan(FILES, bad, manifest, "node22", {}, {})
    assert [p.file.path for p in plan.files if p.action == "uploaded"] == ["/hi"]
    assert not plan.unchanged and plan.added == ["/hi"]
    assert plan.unreadable == ["Build %s lists a function version (SID '%s') without a path; it is not reused"
                               % (build["sid"], version_sid)]


def test_a_build_holding_a_version_without_a_path_is_never_nothing_changed():
    """Every file is reused, but the Build holds something the plan cannot place: a new build is made."""
    build, manifest = released()
    extra = {"sid": sid(), "function_sid": sid("ZH"), "visibility": "public"}
    bad = dict(build, function_versions=build["function_versions"] + [extra])
    plan = make_plan(FILES, bad, manifest, "node22", {}, {})
    assert all(p.action == "reused" for p in plan.files) and plan.added == plan.changed == plan.removed == []
    assert not plan.unchanged and len(plan.unreadable) == 1 and "without a path" in plan.unreadable[0]


def test_a_bad_version_beside_a_good_one_at_the_same_path_makes_the_path_doubtful():
    build, manifest = released()
    twin = dict([v for v in build["function_versions"] if v["path"] == "/hi"][0], visibility="weird", sid=sid())
    bad = dict(build, function_versions=build["function_versions"] + [twin])
    assert "/hi" not in [v.path for v in build_versions(bad)]
    plan = make_plan(FILES, bad, manifest, "node22", {}, {})
    assert [p.file.path for p in plan.files if p.action == "uploaded"] == ["/hi"] and not plan.unchanged


def test_an_unreadable_version_at_a_path_the_folder_no_longer_has_is_removed_not_unchanged():
    build, manifest = released()
    gone = {"sid": sid(), "function_sid": sid("ZH"), "path": "/gone", "visibility": "SECRET"}
    bad = dict(build, function_versions=build["function_versions"] + [gone])
    plan = make_plan(FILES, bad, manifest, "node22", {}, {})
    assert all(p.action == "reused" for p in plan.files)
    assert not plan.unchanged and plan.removed == ["/gone"] and len(plan.unreadable) == 1


def test_an_unreadable_manifest_version_means_no_manifest():
    build, dummy = released()
    bad = corrupt(build, MANIFEST_PATH, lambda v: v.update(visibility="hidden"))
    assert manifest_version(bad) is None  # so the release reads no manifest
    plan = make_plan(FILES, bad, None, "node22", {}, {})
    assert not plan.unchanged and all(p.action == "uploaded" for p in plan.files)
    assert len(plan.unreadable) == 1 and "'%s'" % MANIFEST_PATH in plan.unreadable[0]
    assert plan.removed == [] and MANIFEST_PATH not in plan.before


def test_the_warning_of_a_build_without_a_valid_sid():
    build, manifest = released()
    bad = corrupt(dict(build, sid=None), "/hi", lambda v: v.update(visibility="SECRET"))
    assert make_plan(FILES, bad, manifest, "node22", {}, {}).unreadable[0].startswith(
        "The reference build lists the function version")
