# SPDX-License-Identifier: GPL-3.0-or-later
"""How the simulator's answers look on the wire: as the spec's examples show them, or in every variant that
Twilio's documented sources show (tests/fixtures/twilio/SOURCES.md).

The store, its checks and its state never change here: only the body sent does, in one place (the server's
``_finish``), for every route, after the handler rendered it. A fault's own body is sent as the test wrote it.

Modes:

- ``spec`` (the default): as the OpenAPI description's examples show each resource: ``"visibility": "PUBLIC"``
  inside a Build's ``function_versions`` and ``asset_versions`` (every generated Build example); the Version
  resources' own ``public``, statuses in lower case and paths with their slash, as their examples show.
- ``variants``: each choice of ``CHOICES`` drawn anew for each record (and each version a Build lists) from
  ``random.Random("SEED:N")``, N the request's number in the log: the same seed and the same order of requests
  give the same bodies. ``pin`` fixes choices (``{"status": "upper"}``); ``EVERY`` pins each to a variant.
- ``canonical``: every choice its first option (lower case everywhere: what the simulator sent before issue 23).

Chosen, the first found: run_simulator.py's ``--variants MODE[:SEED]``, the environment's ``SIM_VARIANTS``
(read by run_simulator.py), the seed's top-level ``"variants": "MODE[:SEED]"``, ``spec``; at run time ``POST
/__sim/variants`` (``{"mode", "seed", "pin"}``, the client is ``control.Control.variants``). Each answer's log
entry names the variants it was given (``variants``: ``["status=upper", ...]``, choices other than the first).
"""

import random
from urllib.parse import urlsplit

from .resources import RESOURCES

MODES = ("spec", "variants", "canonical")
DEFAULT = "spec"

# Each choice: its options, the first the canonical one (what the store renders), and where it acts.
CHOICES = {
    # visibility inside a Build's versions: PUBLIC in every generated Build example (2019 to now, all SDKs),
    # lower case in the Twilio toolkit's code that reads them.
    "build_visibility": ("lower", "upper", "title"),
    # a Function or Asset Version's own visibility: public in its examples (enum public, private, protected).
    "version_visibility": ("lower", "upper", "title"),
    # Build and Build Status status: the enum is lower case; the toolkit read it upper case before GA.
    "status": ("lower", "upper"),
    # a version's path (its own, and as a Build lists it): the 2019 examples have no leading slash.
    "path": ("slash", "bare"),
    # date_updated of a Service, Function, Asset, Environment, Deployment or Variable: null (RJPearson94's
    # fixtures of each; the spec marks every property nullable). A Build's is set in every source (and the wait's
    # prediction reads it; a null there is a case of its own unit tests).
    "date_updated": ("set", "null"),
    # date_created of a version a Build lists (the nested items are untyped in the spec).
    "version_date_created": ("set", "null"),
    # an Environment's custom_domain_name: absent (the schema, the current examples), or null (holodeck from
    # 2021-10, the spec's examples 2024-06 to 2025-08).
    "custom_domain_name": ("absent", "null"),
    # a Log's level (when the simulator serves Logs): as rendered, upper case (INFO, WARN: RJPearson94, twilly),
    # lower case (warn: examples to 2025-07), or warning for warn (examples since).
    "level": ("asis", "upper", "lower", "warning"),
    # fields nobody documents, at every level: records, a Build's versions and dependencies, links, pages and
    # their meta, error bodies; an Asset Version's links.asset_version_content (RJPearson94's fixture).
    "unknown": ("none", "added"),
}
FIXED = {
    "canonical": dict((name, options[0]) for name, options in CHOICES.items()),
}
FIXED["spec"] = dict(FIXED["canonical"], build_visibility="upper")
# Every choice pinned to a variant: the one body a test can assert on (tests/unit/plugins/twilio_variants.py).
EVERY = {"build_visibility": "upper", "version_visibility": "upper", "status": "upper", "path": "bare",
         "date_updated": "null", "version_date_created": "null", "custom_domain_name": "null", "level": "upper",
         "unknown": "added"}
UNKNOWN_FIELD = "brand_new_field"
UNKNOWN_VALUES = ({"nested": [None, 1, "x"]}, None, "x", [], 0)
UNKNOWN_LINK = "brand_new_link"
CASES = {"lower": str.lower, "upper": str.upper, "title": str.title}
DATE_UPDATED_NULL = ("service", "function", "asset", "environment", "deployment", "variable")
VERSION_LISTS = ("function_versions", "asset_versions")


def parse(text):
    """``MODE[:SEED]`` -> (mode, seed); a ValueError names what is wrong."""
    mode, dummy, seed = str(text).strip().partition(":")
    if mode not in MODES:
        raise ValueError("variants mode %r is not one of %s" % (mode, ", ".join(MODES)))
    try:
        return mode, int(seed) if seed else 0
    except ValueError:
        raise ValueError("variants seed %r is not an integer" % seed) from None


def kind_of(url):
    """The resource a record's ``url`` names (``build``, ``build_status``, ``function_version``, ...), or None."""
    if not isinstance(url, str):
        return None
    path = urlsplit(url).path
    for name, pattern in RESOURCES:
        if pattern.match(path):
            return name
    return None


class Variants:
    """The mode answers are given in; ``render`` gives a body as it is sent."""

    def __init__(self, mode=DEFAULT, seed=0, pin=None):
        if mode not in MODES:
            raise ValueError("variants mode %r is not one of %s" % (mode, ", ".join(MODES)))
        pin = dict(pin or {})
        for name, option in pin.items():
            if option not in CHOICES.get(name, ()):
                raise ValueError("pin %s=%r: %s" % (name, option, "options are " + ", ".join(CHOICES[name])
                                                    if name in CHOICES else "no such choice"))
        if pin and mode != "variants":
            raise ValueError("pin is for the variants mode")
        self.mode, self.seed, self.pin = mode, int(seed), pin

    @classmethod
    def from_text(cls, text):
        return cls(*parse(text))

    def describe(self):
        return {"mode": self.mode, "seed": self.seed, "pin": dict(self.pin)}

    def render(self, status, body, number):
        """``body`` as sent in this mode (a new object: the store's renderings are shared), and the names of
        the variants given (``choice=option``, sorted)."""
        if not isinstance(body, dict) or self.mode == "canonical":
            return body, []
        given = set()
        if self.mode == "variants":
            rng = random.Random("%d:%d" % (self.seed, number))

            def pick(name):
                option = self.pin.get(name) or rng.choice(CHOICES[name])
                if option != CHOICES[name][0]:
                    given.add("%s=%s" % (name, option))
                return option
        else:
            fixed = FIXED[self.mode]

            def pick(name):
                if fixed[name] != CHOICES[name][0]:
                    given.add("%s=%s" % (name, fixed[name]))
                return fixed[name]
        return _Renderer(pick, rng if self.mode == "variants" else None).body(status, body), sorted(given)


class _Renderer:
    def __init__(self, pick, rng):
        self.pick = pick
        self.rng = rng

    def unknown(self, obj):
        """``obj`` (a new dict) with a field nobody documents, when the draw says so."""
        if self.pick("unknown") == "added":
            obj[UNKNOWN_FIELD] = self.rng.choice(UNKNOWN_VALUES) if self.rng else UNKNOWN_VALUES[0]
        return obj

    def body(self, status, body):
        if status >= 400:
            return self.unknown(dict(body)) if "code" in body else body
        meta = body.get("meta")
        if isinstance(meta, dict) and isinstance(body.get(meta.get("key")), list):
            key = meta["key"]
            page = self.unknown(dict(body))
            page["meta"] = self.unknown(dict(meta))
            items = body[key]
            kind = kind_of(items[0].get("url")) if items and isinstance(items[0], dict) else None
            page[key] = [self.record(item, kind) for item in items]
            return page
        return self.record(body, kind_of(body.get("url")))

    def record(self, record, kind):
        if not isinstance(record, dict):
            return record
        out = self.unknown(dict(record))
        if kind in DATE_UPDATED_NULL and out.get("date_updated") is not None and self.pick("date_updated") == "null":
            out["date_updated"] = None
        if isinstance(out.get("links"), dict):
            out["links"] = dict(out["links"])
            if self.pick("unknown") == "added":
                out["links"][UNKNOWN_LINK] = None
                if kind == "asset_version":
                    out["links"]["asset_version_content"] = out["url"] + "/Content"
        elif kind == "asset_version" and self.pick("unknown") == "added":
            out["links"] = {"asset_version_content": out["url"] + "/Content"}
        if kind in ("build", "build_status") and isinstance(out.get("status"), str):
            out["status"] = CASES[self.pick("status")](out["status"])
        if kind == "build":
            for key in VERSION_LISTS:
                if isinstance(out.get(key), list):
                    out[key] = [self.build_version(item) for item in out[key]]
            if isinstance(out.get("dependencies"), list):
                out["dependencies"] = [self.unknown(dict(d)) if isinstance(d, dict) else d
                                       for d in out["dependencies"]]
        if kind in ("function_version", "asset_version"):
            self.version(out, "version_visibility")
        if kind == "environment" and self.pick("custom_domain_name") == "null":
            out["custom_domain_name"] = None
        if kind == "log" and isinstance(out.get("level"), str):
            out["level"] = self.level(out["level"])
        return out

    def version(self, out, visibility):
        if isinstance(out.get("visibility"), str):
            out["visibility"] = CASES[self.pick(visibility)](out["visibility"])
        if isinstance(out.get("path"), str) and out["path"].startswith("/") and self.pick("path") == "bare":
            out["path"] = out["path"][1:]
        return out

    def build_version(self, item):
        if not isinstance(item, dict):
            return item
        out = self.version(self.unknown(dict(item)), "build_visibility")
        if out.get("date_created") is not None and self.pick("version_date_created") == "null":
            out["date_created"] = None
        return out

    def level(self, level):
        option = self.pick("level")
        if option == "upper":
            return level.upper()
        if option == "lower":
            return level.lower()
        if option == "warning":
            return "warning" if level.lower() == "warn" else level.lower()
        return level
