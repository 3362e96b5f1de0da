# SPDX-License-Identifier: GPL-3.0-or-later
"""The release steps against a server that answers as Twilio's generated examples do (``"visibility": "PUBLIC"``
inside a Build's versions, upper-case statuses, paths without their leading slash, nulls and unknown fields): reuse
works exactly as on lower-case records. The simulator's request log and store are the judge."""

import pytest

from twilio_sim.store import PLACEHOLDER_ASSET, PLACEHOLDER_FUNCTION

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import MANIFEST_PATH
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.source_build import (
    build_release,
    plan_release,
)

from ....conftest import EMPTY, SMALL
from ...source_sim import write_file as write
from ...twilio_variants import CASES, serve_variants
from .test_source_build import blank, DEPENDENCIES, files_of, first_release, routes, UPLOADS


def uploaded_paths(sim):
    return [[p["value"] for p in e["multipart"]["parts"] if p["name"] == "Path"][0] for e in sim.log()
            if e["route"] in UPLOADS]


@pytest.fixture(params=sorted(CASES))
def variants(request, fresh_sim):
    serve_variants(fresh_sim, request.param)
    fresh_sim.new_build(EMPTY, ready_in=0)
    return fresh_sim


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write(root, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hi');\n")
    write(root, "functions/admin/panel.protected.js", b"exports.handler = 2;\n")
    write(root, "functions/secret.private.js", b"exports.handler = 3;\n")
    write(root, "assets/logo.png", b"\x89PNG\r\n\x1a\n")
    write(root, "assets/config.private.json", b'{"a": 1}\n')
    return root


def test_the_server_really_answers_in_upper_case(fresh_sim, fresh_client, project):
    serve_variants(fresh_sim)
    fresh_sim.new_build(EMPTY, ready_in=0)
    dummy, build = first_release(fresh_sim, fresh_client, project)
    assert build["status"] == "COMPLETED" and "brand_new_field" in build
    assert set(v["visibility"] for v in build["function_versions"]) == {"PUBLIC", "PROTECTED", "PRIVATE"}
    assert all(not v["path"].startswith("/") for v in build["function_versions"] + build["asset_versions"])


def test_an_unchanged_rerun_uploads_nothing_in_at_most_5_requests(variants, fresh_client, project):
    first, build = first_release(variants, fresh_client, project)
    variants.server.clear_log()
    warnings, again = [], blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, again, warnings)
    assert release.plan.unchanged and release.reference["sid"] == build["sid"] and warnings == []
    assert again["files"] == [dict(f, action="reused") for f in first["files"]]
    assert all(e["method"] == "GET" for e in variants.log()) and len(variants.log()) <= 5


def test_one_changed_function_is_one_upload(variants, fresh_client, project):
    first, dummy = first_release(variants, fresh_client, project)
    write(project, "functions/hi.js", b"exports.handler = (c, e, cb) => cb(null, 'hello');\n")
    variants.server.clear_log()
    warnings, result = [], blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result, warnings)
    assert [f["path"] for f in result["files"] if f["action"] == "uploaded"] == ["/hi"]
    build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, variants.url, warnings, result)
    assert routes(variants, *UPLOADS) == ["create_function_version"] and warnings == []
    assert result["status"] == "completed"  # the result's status is read, whatever the case Twilio used
    assert len([f for f in result["files"] if f["action"] == "reused"]) == len(first["files"]) - 1


def test_a_toolkit_made_service_has_its_functions_reused(fresh_sim, fresh_client, tmp_path):
    """small-app's builds were made by another tool (no manifest): /hello is reused by content, 0 function
    uploads."""
    serve_variants(fresh_sim)
    write(tmp_path, "functions/hello.js", PLACEHOLDER_FUNCTION)
    write(tmp_path, "assets/styles.css", PLACEHOLDER_ASSET)
    warnings, result = [], blank()
    release = plan_release(fresh_client, SMALL, files_of(tmp_path), None, "node22", {}, result, warnings)
    assert release.reference["function_versions"][0]["visibility"] == "PUBLIC"
    assert [(f["path"], f["action"]) for f in result["files"]] == [("/hello", "reused"), ("/styles.css", "uploaded")]
    assert warnings == []
    build_release(fresh_client, SMALL, release, "node22", {}, fresh_sim.url, warnings, result)
    # The asset, and the manifest the new build carries: no function of the folder.
    assert sorted(uploaded_paths(fresh_sim)) == [MANIFEST_PATH, "/styles.css"]


def test_a_build_with_an_unreadable_version_uploads_that_file_again_and_says_so(fresh_sim, fresh_client, project):
    fresh_sim.new_build(EMPTY, ready_in=0)
    first, build = first_release(fresh_sim, fresh_client, project)
    original = build
    wrong = dict(original, function_versions=[dict(v, visibility="SECRET") if v["path"] == "/hi" else v
                                              for v in original["function_versions"]])
    fresh_sim.fault("builds", {"json": {"builds": [wrong], "meta": {"key": "builds", "next_page_url": None}}})
    warnings, result = [], blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result, warnings)
    assert [f["path"] for f in result["files"] if f["action"] == "uploaded"] == ["/hi"]
    assert not release.plan.unchanged and release.plan.changed == ["/hi"]
    assert warnings == ["Build %s lists the function version %s at '/hi' with visibility 'SECRET', not public, "
                        "protected or private; '/hi' is uploaded again"
                        % (build["sid"], [f["version_sid"] for f in first["files"] if f["path"] == "/hi"][0])]


def test_a_build_request_that_took_effect_then_failed_is_adopted(variants, fresh_client, project):
    """The re-read after commit-then-503 finds the build of these versions in a listing in the variants' shape."""
    variants.fault("create_build", {"status": 503, "commit": True})
    warnings, result = [], blank()
    release = plan_release(fresh_client, EMPTY, files_of(project), None, "node22", DEPENDENCIES, result, warnings)
    build = build_release(fresh_client, EMPTY, release, "node22", DEPENDENCIES, variants.url, warnings, result)
    assert routes(variants, "create_build") == ["create_build"] and result["build_sid"] == build["sid"]
    assert len(warnings) == 1 and "build %s made of these versions exists" % build["sid"] in warnings[0]
