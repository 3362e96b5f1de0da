# SPDX-License-Identifier: GPL-3.0-or-later
"""Every response body of tests/fixtures/twilio (Twilio's spec examples, SDK test mocks, other clients' fixtures,
a real error: see its SOURCES.md) goes through the collection's reader for its resource and reads exactly as its
canonical form: enum values in lower case, paths with their leading slash, only the fields of the spec's schema,
each of them present (null when the body lacks it). A page (``*.read*``) goes through the page reader first.

The resource is the file name's prefix, so a new fixture is a new case with no code; a prefix with no reader
fails. The copy must also be the shared set (``../shared/twilio-fixtures`` beside the checkout, or
``TWILIO_FIXTURES_DIR``), so a fixture added there fails here until copied.
"""

import filecmp
import json
import os

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import build_status, read_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import read_deployment
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import read_environment
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.functions_assets import (
    read_content,
    read_resource,
    read_version,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.logs import read_log
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import read_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.variables import read_variable
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import read_error
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import read_page
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import read_build_versions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "twilio")
SPEC = os.path.join(ROOT, "tests", "simulator", "spec", "twilio_serverless_v1.json")
# Where `make install` puts the collection (make units and ansible-test run there): the checkout is 5 levels up.
INSTALLED = os.path.join(".build", "collections", "ansible_collections", "twilio_community", "serverless")
# Files of the copy that are ours, not the shared set's.
OURS = ("NOTICE.md",)


def build_reader(record):
    versions, unreadable = read_build_versions(record)
    return dict(read_build(record), versions=versions, unreadable=[(u.kind, u.path, u.problem) for u in unreadable])


# The collection's reader of each resource, by the file name's prefix.
READERS = {
    "build": build_reader,
    "build_status": build_status,
    "environment": read_environment,
    "deployment": read_deployment,
    "variable": read_variable,
    "service": read_service,
    "function": read_resource,
    "asset": read_resource,
    "function_version": lambda record: read_version(record, "function"),
    "asset_version": lambda record: read_version(record, "asset"),
    "function_version_content": read_content,
    "log": read_log,
    "error": read_error,
}
SCHEMAS = {
    "build": "serverless.v1.service.build",
    "build_status": "serverless.v1.service.build.build_status",
    "environment": "serverless.v1.service.environment",
    "deployment": "serverless.v1.service.environment.deployment",
    "variable": "serverless.v1.service.environment.variable",
    "service": "serverless.v1.service",
    "function": "serverless.v1.service.function",
    "asset": "serverless.v1.service.asset",
    "function_version": "serverless.v1.service.function.function_version",
    "asset_version": "serverless.v1.service.asset.asset_version",
    "function_version_content": "serverless.v1.service.function.function_version.function_version_content",
    "log": "serverless.v1.service.environment.log",
}
# Twilio's error body, which the description does not give as a schema.
ERROR_FIELDS = ("code", "message", "more_info", "status")
# Strings that are tokens though the description has no enum for them (any more): Log level.
TOKENS = ("level",)


def fixture_names():
    return sorted(name for name in os.listdir(FIXTURES) if name.endswith(".json"))


with open(SPEC, encoding="utf-8") as _handle:
    _SCHEMAS = json.load(_handle)["components"]["schemas"]


def properties(resource):
    """Field -> True when it is an enum (a $ref to an enum schema, or a known token)."""
    if resource == "error":
        return dict((name, False) for name in ERROR_FIELDS)
    found = {}
    for name, prop in _SCHEMAS[SCHEMAS[resource]]["properties"].items():
        ref = prop.get("$ref", "").rpartition("/")[2]
        found[name] = bool(ref and "enum" in _SCHEMAS.get(ref, {})) or name in TOKENS
    return found


def canonical(record, resource):
    """``record`` in the spec's shape: its schema's fields only (null when missing), enums in lower case, paths
    with the leading slash Twilio adds; a Build's versions as Function and Asset Versions."""
    shaped = {}
    for name, is_enum in properties(resource).items():
        value = record.get(name)
        if is_enum and isinstance(value, str):
            value = value.lower()
        elif name == "path" and isinstance(value, str) and value and not value.startswith("/"):
            value = "/" + value
        elif resource == "build" and name in ("function_versions", "asset_versions") and isinstance(value, list):
            kind = name[:-len("_versions")]
            value = [canonical(item, kind + "_version") if isinstance(item, dict) else item for item in value]
        shaped[name] = value
    return shaped


def resource_and_case(name):
    resource, case = name.split(".")[:2]
    assert resource in READERS, "%s: no reader for the resource %r; add it to READERS" % (name, resource)
    return resource, case


def load(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)


def read(name, body):
    """What the collection reads of a body: a record's reading, or a page's records' readings and next URL."""
    resource, case = resource_and_case(name)
    if case.startswith("read"):
        records, next_url = read_page(body, name)
        return [READERS[resource](record) for record in records], next_url
    return READERS[resource](body)


def canonical_body(name, body):
    resource, case = resource_and_case(name)
    if case.startswith("read"):
        key = body["meta"]["key"]
        return dict(body, **{key: [canonical(record, resource) for record in body[key]]})
    return canonical(body, resource)


def test_there_are_fixtures_of_every_resource():
    assert len(fixture_names()) >= 87
    assert set(resource_and_case(name)[0] for name in fixture_names()) == set(READERS)


@pytest.mark.parametrize("name", fixture_names())
def test_each_body_reads_as_its_canonical_form(name):
    body = load(name)
    assert read(name, body) == read(name, canonical_body(name, body))


def every(resource):
    """(name, reading) of every record of ``resource`` in the fixtures, pages' records included."""
    found = []
    for name in fixture_names():
        if resource_and_case(name)[0] == resource:
            reading = read(name, load(name))
            found.extend((name, one) for one in (reading[0] if isinstance(reading, tuple) else [reading]))
    return found


def test_what_the_fixtures_say_is_read():
    builds = every("build")
    # Every Build body says "PUBLIC": each version whose SID is real is reusable as public, at a path with its slash.
    versions = [v for dummy, b in builds for v in b["versions"]]
    assert len(versions) >= 12 and all(v.visibility == "public" and v.path.startswith("/") for v in versions)
    # The RJPearson94 bodies' SIDs are placeholders (ZNXXX...): unreadable, so uploaded again, never a crash.
    for name, build in builds:
        assert all("not a Function or Asset Version SID" in u[2] for u in build["unreadable"])
        assert bool(build["unreadable"]) == ("rjpearson94" in name), name
    # Statuses: the documented ones in any case; pre-GA "deploying" is not finished (None).
    assert set(b["status"] for dummy, b in builds) == {"building", None}
    assert set(status for dummy, status in every("build_status")) == {"completed"}
    assert set(log["level"] for dummy, log in every("log")) == {"info", "warn"}  # "warning" is read as warn
    # Environments: the bare one has no domain suffix; before a deployment no build is live.
    assert None in set(e["domain_suffix"] for dummy, e in every("environment"))
    assert None in set(e["build_sid"] for dummy, e in every("environment"))
    assert set(e["code"] for dummy, e in every("error")) == {20001, 20404}
    assert all(isinstance(c, bytes) for dummy, c in every("function_version_content"))


def shared_fixtures():
    """The shared set beside the checkout (TWILIO_FIXTURES_DIR when given), or None when it is not there."""
    given = os.environ.get("TWILIO_FIXTURES_DIR")
    checkout = ROOT[:-len(INSTALLED)].rstrip(os.sep) if ROOT.endswith(INSTALLED) else ROOT
    folder = given or os.path.join(os.path.dirname(checkout), "shared", "twilio-fixtures")
    return folder if os.path.isdir(folder) else None


def test_the_copy_is_the_shared_set():
    shared = shared_fixtures()
    if shared is None:
        # A user's clone has no ../shared; CI always has it, so there the comparison runs. Every other test of this
        # file reads the vendored copy and runs everywhere.
        pytest.skip("no shared fixture set beside the checkout (../shared/twilio-fixtures or TWILIO_FIXTURES_DIR)")
    theirs = sorted(name for name in os.listdir(shared) if not name.startswith("."))
    ours = sorted(name for name in os.listdir(FIXTURES) if name not in OURS)
    assert ours == theirs, "copy %s to tests/fixtures/twilio (missing: %s; not in the shared set: %s)" % (
        shared, sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs)))
    match, mismatch, errors = filecmp.cmpfiles(shared, FIXTURES, theirs, shallow=False)
    assert not mismatch and not errors and len(match) == len(theirs), "differ from %s: %s" % (
        shared, mismatch + errors)
