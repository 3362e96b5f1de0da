# SPDX-License-Identifier: GPL-3.0-or-later
"""The reuse planner and the manifest: properties over random file sets and reference builds."""

import hashlib
import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import SourceFile
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import (
    content_checks,
    diff_text,
    make_plan,
    manifest_content,
    MANIFEST_PATH,
    parse_manifest,
    reusable_manifest,
    source_files,
    source_sha256,
    untracked_functions,
)

_SIDS = itertools.count(1)


def sid(prefix="ZN"):
    return "%s%032x" % (prefix, next(_SIDS))


def source(path, kind, visibility, sha):
    return SourceFile(path, kind, visibility, "/nowhere" + path, kind + "s" + path, 1, sha)


file_specs = st.dictionaries(
    keys=st.sampled_from(["/f%d" % n for n in range(8)] + ["/a%d.png" % n for n in range(8)]),
    values=st.tuples(st.sampled_from(["public", "protected", "private"]), st.sampled_from(["s1", "s2", "s3"])),
    max_size=12)


def files_of(spec):
    return [source(path, "asset" if path.startswith("/a") else "function", vis, sha)
            for path, (vis, sha) in sorted(spec.items())]


def version(kind, path, visibility, version_sid=None):
    owner = "function_sid" if kind == "function" else "asset_sid"
    return {"sid": version_sid or sid(), owner: sid("ZH"), "path": path, "visibility": visibility}


def apply(plan, runtime, dependencies):
    """What the module does with a plan: new versions for uploads, a manifest, one build."""
    entries, functions, assets = [], [], []
    for planned in plan.files:
        f = planned.file
        version_sid = planned.version_sid or sid()
        entries.append(dict(path=f.path, kind=f.kind, visibility=f.visibility, sha256=f.sha256,
                            version_sid=version_sid))
        (functions if f.kind == "function" else assets).append(version(f.kind, f.path, f.visibility, version_sid))
    content = manifest_content(runtime, dependencies, entries)
    functions.append(version("function", MANIFEST_PATH, "private"))
    build = {"sid": sid("ZB"), "runtime": runtime, "function_versions": functions, "asset_versions": assets}
    return build, parse_manifest(content)


def toolkit_build(spec):
    """A build another tool made of ``spec``: no manifest; function contents known by sha."""
    functions, assets, contents = [], [], {}
    for f in files_of(spec):
        v = version(f.kind, f.path, f.visibility)
        (functions if f.kind == "function" else assets).append(v)
        contents[v["sid"]] = f.sha256
    return {"sid": sid("ZB"), "runtime": "node22", "function_versions": functions, "asset_versions": assets}, contents


@settings(max_examples=150, deadline=None)
@given(spec=file_specs)
def test_first_build_uploads_everything_then_nothing_changes(spec):
    assume(spec)
    files = files_of(spec)
    first = make_plan(files, None, None, "node22", {}, {})
    assert [p.file for p in first.files] == files and all(p.action == "uploaded" for p in first.files)
    assert not first.unchanged and first.added == sorted(spec) and first.removed == [] and first.changed == []
    build, manifest = apply(first, "node22", {"axios": "1"})
    again = make_plan(files, build, manifest, "node22", {"axios": "1"}, {})
    assert again.unchanged and all(p.action == "reused" for p in again.files)
    assert content_checks(files, build, manifest) == []  # the manifest makes reading contents unnecessary
    assert again.added == again.changed == again.removed == []


@settings(max_examples=150, deadline=None)
@given(before=file_specs, after=file_specs, runtime=st.sampled_from(["node22", "node20"]),
       deps=st.sampled_from([{}, {"axios": "1"}]))
def test_reuse_exactly_what_is_unchanged(before, after, runtime, deps):
    assume(before and after)
    build, manifest = apply(make_plan(files_of(before), None, None, "node22", {}, {}), "node22", {})
    plan = make_plan(files_of(after), build, manifest, runtime, deps, {})
    in_build = dict((v["sid"], v) for v in build["function_versions"] + build["asset_versions"])
    for planned in plan.files:
        f = planned.file
        same = f.path in before and before[f.path] == (f.visibility, f.sha256)
        assert planned.action == ("reused" if same else "uploaded"), f
        if same:
            v = in_build[planned.version_sid]
            assert (v["path"], v["visibility"]) == (f.path, f.visibility)
    assert plan.removed == sorted(set(before) - set(after))
    assert plan.added == sorted(set(after) - set(before))
    assert plan.changed == sorted(p for p in set(before) & set(after) if before[p] != after[p])
    assert plan.unchanged == (before == after and runtime == "node22" and deps == {})


@settings(max_examples=100, deadline=None)
@given(spec=file_specs, edited=st.data())
def test_one_changed_file_is_one_upload(spec, edited):
    assume(spec)
    build, manifest = apply(make_plan(files_of(spec), None, None, "node22", {}, {}), "node22", {})
    path = edited.draw(st.sampled_from(sorted(spec)))
    changed = dict(spec)
    changed[path] = (spec[path][0], spec[path][1] + "x")
    plan = make_plan(files_of(changed), build, manifest, "node22", {}, {})
    assert [p.file.path for p in plan.files if p.action == "uploaded"] == [path]
    assert plan.changed == [path] and not plan.unchanged


@settings(max_examples=100, deadline=None)
@given(spec=file_specs)
def test_toolkit_build_functions_by_content_assets_once(spec):
    assume(spec)
    build, contents = toolkit_build(spec)
    files = files_of(spec)
    checks = content_checks(files, build, None)
    assert sorted(v.path for v in checks) == sorted(f.path for f in files if f.kind == "function")
    plan = make_plan(files, build, None, "node22", {}, dict((v.sid, contents[v.sid]) for v in checks))
    for planned in plan.files:
        assert planned.action == ("reused" if planned.file.kind == "function" else "uploaded")
    assert not plan.unchanged  # no manifest yet: the next build adds it
    wrong = make_plan(files, build, None, "node22", {}, dict((v.sid, "other") for v in checks))
    assert all(p.action == "uploaded" for p in wrong.files)


@settings(max_examples=100, deadline=None)
@given(spec=file_specs)
def test_manifest_entries_not_in_the_build_are_not_trusted(spec):
    assume(spec)
    build, manifest = apply(make_plan(files_of(spec), None, None, "node22", {}, {}), "node22", {})
    # The same manifest against a build that holds other versions at the same paths (made by hand).
    other = dict(build, function_versions=[dict(v, sid=sid()) for v in build["function_versions"]],
                 asset_versions=[dict(v, sid=sid()) for v in build["asset_versions"]])
    plan = make_plan(files_of(spec), other, manifest, "node22", {}, {})
    assert all(p.action == "uploaded" for p in plan.files) and not plan.unchanged


def test_manifest_round_trip_and_refusals():
    entries = [dict(path="/a", kind="function", visibility="public", sha256="ab", version_sid=sid())]
    content = manifest_content("node22", {"x": "1"}, entries)
    assert content.startswith(b"// Build manifest") and b"exports.manifest = " in content
    parsed = parse_manifest(content)
    assert parsed["runtime"] == "node22" and parsed["dependencies"] == {"x": "1"}
    assert parsed["files"]["/a"]["version_sid"] == entries[0]["version_sid"]
    for bad in (b"", b"exports.handler = 1;", content[:-3], content.replace(b'"format":1', b'"format":2'), None,
                content.replace(b'"files":{', b'"files":[{')[:-3] + b"];\n"):
        assert parse_manifest(bad) is None


def test_untrusted_build_records():
    files = [source("/a", "function", "public", "s")]
    junk = {"sid": sid("ZB"), "function_versions": [None, {"sid": "ZN123"}, {"sid": sid(), "path": None}, "x"],
            "asset_versions": None}
    plan = make_plan(files, junk, None, "node22", {}, {})
    assert plan.files[0].action == "uploaded" and plan.before == {} and plan.added == ["/a"]


def test_diff_text():
    assert diff_text({"/b": ("asset", "public", None), "/a": ("function", "private", "ff")}) == \
        "/a function private ff\n/b asset public (content unknown)\n"


ALL_PATHS = ["/f%d" % n for n in range(8)] + ["/a%d.png" % n for n in range(8)]


@settings(max_examples=100, deadline=None)
@given(spec=file_specs, changes=st.sets(st.sampled_from(ALL_PATHS)),
       deps=st.sampled_from([{}, {"axios": "1"}]))
def test_when_the_manifest_is_carried_over(spec, changes, deps):
    assume(spec)
    changes = set(c for c in changes if c in spec)
    build, manifest = apply(make_plan(files_of(spec), None, None, "node22", {}, {}), "node22", {})
    changed = dict((p, (v[0], v[1] + "x") if p in changes else v) for p, v in spec.items())
    plan = make_plan(files_of(changed), build, manifest, "node22", deps, {})
    carried = reusable_manifest(plan, build, manifest, "node22", deps)
    functions = [p for p in changes if p.startswith("/f")]
    expect = not deps and not any(p.startswith("/a") for p in changes) and len(functions) == 1
    assert (carried is not None) == expect
    if carried is not None:
        assert carried.path == MANIFEST_PATH and carried.sid in [v["sid"] for v in build["function_versions"]]


def held(spec):
    """What a build of ``spec`` holds, as source_files gives it."""
    return dict((f.path, (f.kind, f.visibility, f.sha256)) for f in files_of(spec))


@settings(max_examples=100, deadline=None)
@given(spec=file_specs, edited=st.data(), runtime=st.sampled_from(["node22", "node24"]))
def test_source_files_are_what_the_build_holds_manifest_carried_or_not(spec, edited, runtime):
    assume(spec)
    build, manifest = apply(make_plan(files_of(spec), None, None, "node22", {}, {}), "node22", {})
    assert untracked_functions(build, manifest) == [] and source_files(build, manifest, {}) == held(spec)
    # A rebuild on another runtime holds the same versions: the same digest.
    assert source_sha256(source_files(dict(build, runtime=runtime), manifest, {})) == source_sha256(held(spec))
    functions = sorted(p for p in spec if p.startswith("/f"))
    assume(functions)
    path = edited.draw(st.sampled_from(functions))
    changed = dict(spec)
    changed[path] = (spec[path][0], spec[path][1] + "x")
    plan = make_plan(files_of(changed), build, manifest, "node22", {}, {})
    assert reusable_manifest(plan, build, manifest, "node22", {}) is not None
    # The next build carries the first one's manifest: its entry for ``path`` names the old version.
    second, dummy = apply(plan, "node22", {})
    second["function_versions"] = [v for v in second["function_versions"] if v["path"] != MANIFEST_PATH] + [
        v for v in build["function_versions"] if v["path"] == MANIFEST_PATH]
    [untracked] = untracked_functions(second, manifest)
    assert untracked.path == path and source_files(second, manifest, {}) is None  # never the old sha256
    assert source_files(second, manifest, {untracked.sid: changed[path][1]}) == held(changed)
    assert source_sha256(held(changed)) != source_sha256(held(spec))


def test_source_files_unknown_without_a_manifest_or_an_asset_s_entry():
    spec = {"/f1": ("public", "s1"), "/a1.png": ("private", "s2")}
    build, manifest = apply(make_plan(files_of(spec), None, None, "node22", {}, {}), "node22", {})
    assert source_files(build, None, {}) is None
    without_asset = dict(manifest, files=dict((p, e) for p, e in manifest["files"].items() if p != "/a1.png"))
    assert source_files(build, without_asset, {}) is None
    assert source_sha256(None) is None
    junk = dict(build, asset_versions=build["asset_versions"] + [{"sid": "ZN123", "path": "/x"}])
    assert source_files(junk, manifest, {}) is None


def test_source_sha256_is_documented_json():
    files = {"/b": ("asset", "public", "bb"), "/a": ("function", "private", "aa")}
    text = b'[["/a","function","private","aa"],["/b","asset","public","bb"]]'
    assert source_sha256(files) == hashlib.sha256(text).hexdigest()
