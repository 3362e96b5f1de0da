# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's variants layer (twilio_sim/variants.py): what each mode sends, that the store never changes,
that the variants mode serves every variant it declares, and how a mode is chosen (seed file, SIM_VARIANTS,
--variants, the control API)."""

import json
import os
import sys
import urllib.error

import pytest
import requests

from twilio_sim import launcher
from twilio_sim.resources import RESOURCES
from twilio_sim.variants import CHOICES, EVERY, FIXED, Variants, parse

from ..conftest import ACCOUNT, SEED, SMALL, TOKEN
from .test_spec_crawl import crawl
from .conformance import OPENAPI

RELEASE = "ZS77777777777777777777777777777777"


def get(sim, path):
    response = requests.get(sim.url + path, auth=(ACCOUNT, TOKEN), timeout=10)
    return response.json()


def urls(sim):
    """Answers of every kind: services, builds (a page and one), a Build Status, environments, deployments,
    variables, Functions, Assets, their Versions and a Function Version's Content, and an error."""
    service = sim.call("POST", "/__sim/samples", {"service": "release-app"})["service_sid"]
    base = "/v1/Services/%s" % service
    store = sim.server.store.services[service]
    env = store.environments[0]
    function = next(r for r in store.resources.values() if r.kind == "function" and r.friendly_name == "/sample")
    version = next(v for v in store.versions.values() if v.resource_sid == function.sid)
    asset = next(r for r in store.resources.values() if r.kind == "asset" and r.friendly_name == "/sample.css")
    return ["/v1/Services", base, base + "/Builds", base + "/Builds/ZB000000000000000000000000000000a1",
            base + "/Builds/ZB000000000000000000000000000000a1/Status", base + "/Environments",
            base + "/Environments/%s/Deployments" % env.sid, base + "/Environments/%s/Variables" % env.sid,
            base + "/Functions", base + "/Functions/%s/Versions/%s" % (function.sid, version.sid),
            base + "/Functions/%s/Versions/%s/Content" % (function.sid, version.sid),
            base + "/Assets/%s/Versions" % asset.sid, base + "/Builds/ZB" + "f" * 32]


def answers(sim, paths):
    sim.server.clear_log()  # so each request has the same number in the log, and the same draw
    return [get(sim, path) for path in paths]


@pytest.mark.parametrize("text, expected", [("spec", ("spec", 0)), ("variants:7", ("variants", 7)),
                                            ("canonical", ("canonical", 0)), (" variants:0 ", ("variants", 0))])
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, message", [("lower", "not one of spec, variants, canonical"),
                                           ("variants:x", "seed 'x' is not an integer")])
def test_parse_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


@pytest.mark.parametrize("mode, pin, message", [
    ("variants", {"status": "shouting"}, "options are lower, upper"),
    ("variants", {"colour": "red"}, "no such choice"),
    ("spec", {"status": "upper"}, "pin is for the variants mode"),
])
def test_a_bad_pin_is_refused(mode, pin, message):
    with pytest.raises(ValueError, match=message):
        Variants(mode, 0, pin)


def test_every_pins_each_choice_to_a_variant():
    assert set(EVERY) == set(CHOICES) and all(EVERY[name] != CHOICES[name][0] for name in CHOICES)
    assert FIXED["spec"] == dict(FIXED["canonical"], build_visibility="upper")


def test_the_spec_mode_differs_from_the_canonical_one_in_a_builds_versions_only(fresh_sim):
    paths = urls(fresh_sim)
    fresh_sim.variants("canonical")
    canonical = answers(fresh_sim, paths)
    assert not any(e.get("variants") for e in fresh_sim.log())
    fresh_sim.variants("spec")
    spec = answers(fresh_sim, paths)

    def upper_inside_builds(body):
        builds = body.get("builds") or [] if "meta" in body else [body] if "function_versions" in body else []
        for build in builds:
            for key in ("function_versions", "asset_versions"):
                build[key] = [dict(v, visibility=v["visibility"].upper()) for v in build[key]]
        return body
    assert spec == [upper_inside_builds(json.loads(json.dumps(b))) for b in canonical]
    assert spec != canonical
    given = [e.get("variants") for e in fresh_sim.log()]
    assert given[2] == given[3] == ["build_visibility=upper"] and given[0] is None
    version = spec[paths.index([p for p in paths if "/Versions/" in p and not p.endswith("Content")][0])]
    assert version["visibility"] == "public"  # a Version's own, as its example


def test_the_variants_mode_is_the_same_for_the_same_seed(fresh_sim):
    paths = urls(fresh_sim)
    fresh_sim.variants("variants", 5)
    first = answers(fresh_sim, paths)
    fresh_sim.variants("variants", 5)
    assert answers(fresh_sim, paths) == first
    fresh_sim.variants("variants", 6)
    assert answers(fresh_sim, paths) != first


def test_every_variant_at_once(fresh_sim):
    paths = urls(fresh_sim)
    fresh_sim.variants("variants", 0, pin=EVERY)
    bodies = dict(zip(paths, answers(fresh_sim, paths)))
    build = bodies[paths[3]]
    assert build["status"] == "COMPLETED" and "brand_new_field" in build
    assert build["date_updated"] is not None  # a Build's is set in every source
    versions = build["function_versions"] + build["asset_versions"]
    assert versions and all(v["visibility"] == "PUBLIC" and not v["path"].startswith("/") and
                            v["date_created"] is None and "brand_new_field" in v for v in versions)
    assert all("brand_new_field" in d for d in build["dependencies"]) and "brand_new_link" in build["links"]
    assert bodies[paths[4]]["status"] == "COMPLETED"
    page = bodies[paths[5]]
    assert "brand_new_field" in page and "brand_new_field" in page["meta"]
    assert all(e["date_updated"] is None and e["custom_domain_name"] is None for e in page["environments"])
    assert bodies[paths[1]]["date_updated"] is None
    version = bodies[paths[9]]
    assert version["visibility"] == "PUBLIC" and version["path"] == "sample"
    asset_version = bodies[paths[11]]["asset_versions"][0]
    assert asset_version["links"]["asset_version_content"] == asset_version["url"] + "/Content"
    error = bodies[paths[12]]
    assert error["code"] == 20404 and "brand_new_field" in error
    assert all(set(e["variants"]) <= set("%s=%s" % item for item in EVERY.items()) for e in fresh_sim.log())


def test_the_store_never_changes(fresh_sim):
    paths = urls(fresh_sim)
    fresh_sim.variants("canonical")
    before = answers(fresh_sim, paths)
    fresh_sim.variants("variants", 0, pin=EVERY)
    answers(fresh_sim, paths)
    service = fresh_sim.server.store.services[RELEASE]
    assert all(v.visibility == "public" and v.path.startswith("/") for v in service.versions.values())
    assert service.updated is not None and all(e.updated is not None for e in service.environments)
    fresh_sim.variants("canonical")
    assert answers(fresh_sim, paths) == before


def test_a_faults_body_is_sent_as_written(fresh_sim):
    fresh_sim.variants("variants", 0, pin=EVERY)
    written = {"builds": [{"sid": "ZB" + "0" * 32, "status": "completed"}], "meta": {"key": "builds"}}
    fresh_sim.fault("builds", {"json": written})
    assert get(fresh_sim, "/v1/Services/%s/Builds" % SMALL) == written


def test_the_variants_mode_serves_every_variant_it_declares(fresh_sim):
    """Over the crawl of every read route with three seeds, each option of each choice was drawn at least once
    (a Log's level only where the simulator serves Logs)."""
    service_sid = fresh_sim.call("POST", "/__sim/samples", {"service": "release-app"})["service_sid"]
    given = set()
    for seed in (1, 2, 3):
        fresh_sim.variants("variants", seed)
        fresh_sim.server.clear_log()
        dummy, dummy2, problems = crawl(fresh_sim, OPENAPI["variants"], service_sid, "variants")
        assert problems == []
        given.update(v for e in fresh_sim.log() for v in e.get("variants", ()))
    declared = set("%s=%s" % (name, option) for name, options in CHOICES.items() for option in options[1:])
    if not any(name == "logs" for name, dummy in RESOURCES):
        declared = set(v for v in declared if not v.startswith("level="))
    assert declared - given == set()


def test_the_control_api(fresh_sim):
    assert fresh_sim.call("GET", "/__sim/variants") == {"mode": "spec", "seed": 0, "pin": {}}
    assert fresh_sim.variants("variants", 3, pin={"status": "upper"}) == {"mode": "variants", "seed": 3,
                                                                          "pin": {"status": "upper"}}
    assert get(fresh_sim, "/v1/Services/%s/Builds/ZB00000000000000000000000000000002/Status" % SMALL)[
        "status"] == "FAILED"
    with pytest.raises(urllib.error.HTTPError, match="400"):
        fresh_sim.variants("shouting")
    assert fresh_sim.call("GET", "/__sim/variants")["mode"] == "variants"


def started_mode(seed=SEED, variants=None):
    proc, url = launcher.start(seed, variants=variants)
    try:
        return requests.get(url + "/__sim/variants", timeout=10).json()
    finally:
        launcher.stop(proc)


def test_how_a_mode_is_chosen(tmp_path, monkeypatch):
    """--variants, else SIM_VARIANTS, else the seed's "variants", else spec."""
    with open(SEED, encoding="utf-8") as handle:
        seed = dict(json.load(handle), variants="variants:4")
    seeded = str(tmp_path / "seed.json")
    with open(seeded, "w", encoding="utf-8") as handle:
        json.dump(seed, handle)
    monkeypatch.delenv("SIM_VARIANTS", raising=False)
    assert started_mode()["mode"] == "spec"
    assert started_mode(seeded) == {"mode": "variants", "seed": 4, "pin": {}}
    monkeypatch.setenv("SIM_VARIANTS", "canonical")
    assert started_mode(seeded)["mode"] == "canonical"
    assert started_mode(seeded, "variants:9") == {"mode": "variants", "seed": 9, "pin": {}}
    with pytest.raises(RuntimeError, match="did not start"):
        started_mode(variants="shouting")


def test_a_command_run_under_the_launcher_is_told_the_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("SIM_VARIANTS", raising=False)
    out = tmp_path / "mode"
    code = launcher.run_command([sys.executable, "-c", "import os, sys; open(sys.argv[1], 'w').write("
                                 "os.environ.get('SIM_VARIANTS', 'unset'))", str(out)], variants="variants:2")
    assert code == 0 and out.read_text() == "variants:2"
    assert os.environ.get("SIM_VARIANTS") is None
