# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts, services and builds, kept compact so 100,000 builds cost little.

A build is stored as a small slotted object and rendered to Twilio's JSON shape
only when a request asks for it. Its status is computed from real time: a
build is ``building`` until ``ready_at`` and then takes its final status.
"""

import datetime
import hashlib
import json
import threading
import time

API_HOST = "https://serverless.twilio.com"
STATUSES = ("building", "completed", "failed")


def sid_for(prefix, *parts):
    digest = hashlib.md5(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return prefix + digest


def iso(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Build:
    __slots__ = ("sid", "created", "ready_at", "final_status", "runtime", "serial")

    def __init__(self, sid, created, ready_at, final_status, runtime, serial):
        self.sid = sid
        self.created = created
        self.ready_at = ready_at
        self.final_status = final_status
        self.runtime = runtime
        self.serial = serial

    def status(self, now):
        return "building" if now < self.ready_at else self.final_status


class Environment:
    __slots__ = ("sid", "unique_name", "domain_suffix", "created", "updated", "build_sid", "deployments")

    def __init__(self, sid, unique_name, domain_suffix, created):
        self.sid = sid
        self.unique_name = unique_name
        self.domain_suffix = domain_suffix
        self.created = created
        self.updated = created
        self.build_sid = None
        self.deployments = []  # newest first, as Twilio lists them


class Deployment:
    __slots__ = ("sid", "environment_sid", "build_sid", "created")

    def __init__(self, sid, environment_sid, build_sid, created):
        self.sid = sid
        self.environment_sid = environment_sid
        self.build_sid = build_sid
        self.created = created


class Service:
    def __init__(self, sid, account_sid, unique_name, friendly_name, created):
        self.sid = sid
        self.account_sid = account_sid
        self.unique_name = unique_name
        self.friendly_name = friendly_name
        self.created = created
        self.builds = []  # newest first, as Twilio lists them
        self.by_sid = {}
        self.index = {}  # sid -> position in builds; rebuilt when builds are added
        self.environments = []  # oldest first
        # Builds made through POST .../Builds take this long and end with this status.
        self.new_build = {"ready_in": 3.0, "final_status": "completed"}

    def add_builds(self, builds, newest):
        if newest:
            self.builds[:0] = builds
        else:
            self.builds.extend(builds)
        for build in builds:
            self.by_sid[build.sid] = build
        self.index = {b.sid: i for i, b in enumerate(self.builds)}


class Store:
    """All simulated state, guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {}  # account sid -> auth token
        self.api_keys = {}  # key sid -> (secret, account sid)
        self.services = {}  # sid -> Service
        self._serial = 0

    # -- set-up -------------------------------------------------------------
    def add_account(self, sid, auth_token, api_keys=()):
        self.tokens[sid] = auth_token
        for key in api_keys:
            self.api_keys[key["sid"]] = (key["secret"], sid)

    def add_service(self, account_sid, unique_name, friendly_name=None, sid=None, created=None):
        sid = sid or sid_for("ZS", account_sid, unique_name)
        service = Service(sid, account_sid, unique_name, friendly_name or unique_name,
                          created if created is not None else time.time() - 86400 * 30)
        self.services[sid] = service
        return service

    def _next_serial(self):
        self._serial += 1
        return self._serial

    def make_build(self, service, created, ready_in=0.0, final_status="completed", runtime="node22", sid=None):
        if final_status not in ("completed", "failed"):
            raise ValueError("final_status must be completed or failed, not %r" % (final_status,))
        serial = self._next_serial()
        return Build(sid or sid_for("ZB", service.sid, serial), created, created + float(ready_in),
                     final_status, runtime, serial)

    def create_builds(self, service, specs):
        """Create builds, ``age`` seconds ago (default now), newest first in the listing (the last spec is
        newest): give older ones first. Returns the new builds, in the order of ``specs``."""
        now = time.time()
        with self.lock:
            builds = [self.make_build(service, now - float(spec.get("age", 0)), spec.get("ready_in", 0),
                                      spec.get("final_status", "completed"), spec.get("runtime", "node22"),
                                      spec.get("sid")) for spec in specs]
            service.add_builds(list(reversed(builds)), newest=True)
        return builds

    def create_posted_build(self, service, runtime, now=None):
        """A build made through the API: building now, final after the service's set time."""
        now = time.time() if now is None else now
        with self.lock:
            build = self.make_build(service, now, service.new_build["ready_in"], service.new_build["final_status"],
                                    runtime or "node22")
            service.add_builds([build], newest=True)
        return build

    def add_environment(self, service, unique_name, domain_suffix=None, created=None):
        created = time.time() if created is None else created
        with self.lock:
            env = Environment(sid_for("ZE", service.sid, unique_name), unique_name, domain_suffix, created)
            service.environments.append(env)
        return env

    def deploy(self, service, env, build_sid, now=None):
        """Make ``build_sid`` live in ``env``: a new deployment, as Twilio records one.

        ``now`` (epoch seconds) lets a test make several deployments in the same second; Twilio still lists
        the later one first."""
        now = time.time() if now is None else now
        with self.lock:
            serial = self._next_serial()
            deployment = Deployment(sid_for("ZD", env.sid, serial), env.sid, build_sid, now)
            env.deployments.insert(0, deployment)
            env.build_sid = build_sid
            env.updated = now
        return deployment

    @staticmethod
    def find_environment(service, sid):
        for env in service.environments:
            if env.sid == sid:
                return env
        return None

    # -- look-ups -----------------------------------------------------------
    def authenticate(self, username, password):
        """Return the account SID the credentials belong to, or None."""
        if username in self.tokens and self.tokens[username] == password:
            return username
        key = self.api_keys.get(username)
        if key and key[0] == password:
            return key[1]
        return None

    def find_service(self, account_sid, sid_or_name):
        service = self.services.get(sid_or_name)
        if service is None:
            for candidate in self.services.values():
                if candidate.unique_name == sid_or_name:
                    service = candidate
                    break
        if service is None or service.account_sid != account_sid:
            return None
        return service

    # -- rendering (field for field as the OpenAPI description) -------------
    @staticmethod
    def service_json(service, base):
        url = "%s/v1/Services/%s" % (base, service.sid)
        return {
            "sid": service.sid,
            "account_sid": service.account_sid,
            "friendly_name": service.friendly_name,
            "unique_name": service.unique_name,
            "include_credentials": True,
            "ui_editable": False,
            "domain_base": "%s-%04d" % (service.unique_name, int(service.sid[-4:], 16) % 10000),
            "date_created": iso(service.created),
            "date_updated": iso(service.created),
            "url": url,
            "links": {
                "environments": url + "/Environments",
                "functions": url + "/Functions",
                "assets": url + "/Assets",
                "builds": url + "/Builds",
            },
        }

    @staticmethod
    def build_json(service, build, base, now):
        url = "%s/v1/Services/%s/Builds/%s" % (base, service.sid, build.sid)
        status = build.status(now)
        created = iso(build.created)
        version = {"account_sid": service.account_sid, "service_sid": service.sid,
                   "date_created": created, "visibility": "public"}
        return {
            "sid": build.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "asset_versions": [dict(version, sid=sid_for("ZN", build.sid, "a"), asset_sid=sid_for("ZH", service.sid, "a"),
                                    path="/styles.css")],
            "function_versions": [dict(version, sid=sid_for("ZN", build.sid, "f"),
                                       function_sid=sid_for("ZH", service.sid, "f"), path="/hello")],
            "dependencies": [{"name": "twilio", "version": "5.3.%d" % (build.serial % 10)},
                             {"name": "@twilio/runtime-handler", "version": "2.0.1"}],
            "runtime": build.runtime,
            "status": status,
            "date_created": created,
            "date_updated": created if status == "building" else iso(build.ready_at),
            "url": url,
            "links": {"build_status": url + "/Status"},
        }

    @staticmethod
    def environment_json(service, env, base):
        url = "%s/v1/Services/%s/Environments/%s" % (base, service.sid, env.sid)
        domain_base = "%s-%04d" % (service.unique_name, int(service.sid[-4:], 16) % 10000)
        return {
            "sid": env.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "build_sid": env.build_sid,
            "unique_name": env.unique_name,
            "domain_suffix": env.domain_suffix,
            "domain_name": "%s%s.twil.io" % (domain_base, "-" + env.domain_suffix if env.domain_suffix else ""),
            "date_created": iso(env.created),
            "date_updated": iso(env.updated),
            "url": url,
            "links": {"variables": url + "/Variables", "deployments": url + "/Deployments", "logs": url + "/Logs"},
        }

    @staticmethod
    def deployment_json(service, deployment, base):
        return {
            "sid": deployment.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "environment_sid": deployment.environment_sid,
            "build_sid": deployment.build_sid,
            "date_created": iso(deployment.created),
            "date_updated": iso(deployment.created),
            "url": "%s/v1/Services/%s/Environments/%s/Deployments/%s" % (
                base, service.sid, deployment.environment_sid, deployment.sid),
        }

    @staticmethod
    def build_status_json(service, build, base, now):
        return {
            "sid": build.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "status": build.status(now),
            "url": "%s/v1/Services/%s/Builds/%s/Status" % (base, service.sid, build.sid),
        }


def load_seed(data, store=None, now=None):
    """Fill a store from a seed document (a dict, or a path to a JSON file).

    Seed format::

        {"accounts": [{"sid": "AC...", "auth_token": "...", "api_keys": [{"sid": "SK...", "secret": "..."}]}],
         "services": [{"account_sid": "AC...", "unique_name": "my-app", "sid": "ZS... (optional)",
                       "generate": {"count": 300, "building": 3, "failed_every": 7, "interval": 600,
                                    "runtimes": ["node18", "node20", "node22"], "build_seconds": 30},
                       "builds": [{"ready_in": 20, "final_status": "completed", "runtime": "node22",
                                   "age": 5, "sid": "ZB... (optional)"}],
                       "new_build": {"ready_in": 3, "final_status": "completed"},
                       "environments": [{"unique_name": "staging", "domain_suffix": "stage",
                                         "deployments": ["ZB... or an index into the newest-first builds", ...]}]}]}

    ``deployments`` are oldest first; the last one is live.

    ``builds`` are the newest (``age`` seconds old, default 0); generated builds
    are older, ``interval`` seconds apart, the ``building`` newest of them still
    building for ``build_seconds`` more seconds.
    """
    if isinstance(data, str):
        with open(data, encoding="utf-8") as handle:
            data = json.load(handle)
    store = store or Store()
    now = time.time() if now is None else now
    for account in data.get("accounts", []):
        store.add_account(account["sid"], account["auth_token"], account.get("api_keys", []))
    for spec in data.get("services", []):
        service = store.add_service(spec["account_sid"], spec["unique_name"], spec.get("friendly_name"), spec.get("sid"))
        explicit = []
        for entry in spec.get("builds", []):
            created = now - float(entry.get("age", 0))
            explicit.append(store.make_build(service, created, entry.get("ready_in", 0),
                                             entry.get("final_status", "completed"),
                                             entry.get("runtime", "node22"), entry.get("sid")))
        explicit.sort(key=lambda b: b.created, reverse=True)
        generated = []
        gen = spec.get("generate")
        if gen:
            count = int(gen.get("count", 0))
            building = int(gen.get("building", 0))
            failed_every = int(gen.get("failed_every", 0))
            interval = float(gen.get("interval", 600))
            runtimes = gen.get("runtimes", ["node22"])
            build_seconds = float(gen.get("build_seconds", 30))
            oldest_explicit = min([b.created for b in explicit] + [now])
            for i in range(count):
                created = oldest_explicit - (i + 1) * interval
                ready_in = (now - created) + build_seconds if i < building else 0
                final = "failed" if failed_every and i % failed_every == failed_every - 1 else "completed"
                generated.append(store.make_build(service, created, ready_in, final, runtimes[i % len(runtimes)]))
        service.add_builds(explicit + generated, newest=False)
        if spec.get("new_build"):
            service.new_build.update(spec["new_build"])
        for entry in spec.get("environments", []):
            history = entry.get("deployments", [])
            env = store.add_environment(service, entry["unique_name"], entry.get("domain_suffix"),
                                        now - 3600 * (len(history) + 1))
            for position, build in enumerate(history):
                sid = service.builds[build].sid if isinstance(build, int) else build
                store.deploy(service, env, sid, now - 3600 * (len(history) - position))
    return store
