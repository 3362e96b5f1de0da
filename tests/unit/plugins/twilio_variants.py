# SPDX-License-Identifier: GPL-3.0-or-later
"""The in-process simulator answering as Twilio's other documented sources do (tests/fixtures/twilio/SOURCES.md),
for the collection's tests: ``PUBLIC`` (any case) visibility inside a Build's versions as every generated
example shows it, a status in upper case, paths without their leading slash (2019 bodies), ``date_updated``
null as on a fresh resource, ``custom_domain_name: null`` and fields nobody documents at every level.

The simulator itself is untouched: its rendering functions are wrapped for one test with ``monkeypatch``, so the
store and its checks stay as they are and only the bodies on the wire change.
"""

import copy

from twilio_sim.store import Store

UNKNOWN = {"brand_new_field": {"nested": [None, 1, "x"]}}


def _versions(build, case):
    for key in ("function_versions", "asset_versions"):
        shown = []
        for item in build.get(key) or []:
            item = dict(item, **UNKNOWN)
            item["visibility"] = case(item["visibility"])
            item["path"] = item["path"].lstrip("/")
            item["date_created"] = None
            shown.append(item)
        build[key] = shown


def spec_shaped_build(body, case=str.upper):
    body = dict(copy.deepcopy(body), **UNKNOWN)
    _versions(body, case)
    body["status"] = body["status"].upper()
    body["links"] = dict(body.get("links") or {}, brand_new_link=None)
    return body


def fresh_resource(body):
    """A resource as Twilio may show it before its first update: ``date_updated`` null, and unknown fields."""
    return dict(copy.deepcopy(body), date_updated=None, **UNKNOWN)


def _wrap(monkeypatch, name, change):
    original = getattr(Store, name)

    def rendered(*args, **kwargs):
        return change(original(*args, **kwargs))
    monkeypatch.setattr(Store, name, staticmethod(rendered))


def serve_variants(monkeypatch, case=str.upper):
    """From now until the test ends, the simulator in this process answers in the variants above."""
    _wrap(monkeypatch, "build_json", lambda body: spec_shaped_build(body, case))
    _wrap(monkeypatch, "build_status_json", lambda body: dict(body, status=body["status"].upper(), **UNKNOWN))
    _wrap(monkeypatch, "environment_json", lambda body: dict(fresh_resource(body), custom_domain_name=None))
    for name in ("service_json", "resource_json", "variable_json", "deployment_json"):
        _wrap(monkeypatch, name, fresh_resource)
    _wrap(monkeypatch, "version_json", lambda body: dict(body, visibility=case(body["visibility"]), **UNKNOWN))
    _wrap(monkeypatch, "version_content_json", lambda body: dict(body, **UNKNOWN))
