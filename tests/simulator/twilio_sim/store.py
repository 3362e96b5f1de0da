# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts, services and builds, kept compact so 100,000 builds cost little.

A build is stored as a small slotted object and rendered to Twilio's JSON shape
only when a request asks for it. Its status is computed from real time: a
build is ``building`` until ``ready_at`` and then takes its final status.
"""

import datetime
import email.utils
import hashlib
import json
import threading
import time

API_HOST = "https://serverless.twilio.com"
STATUSES = ("building", "completed", "failed")


def sid_for(prefix, *parts):
    digest = hashlib.md5(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return prefix + digest


def rfc2822(ts):
    """A v2010 date, as Twilio's Accounts API writes it: ``Thu, 30 Jul 2015 20:00:00 +0000``."""
    return email.utils.formatdate(int(ts), usegmt=False).replace("-0000", "+0000")


def iso(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


ACCOUNT_STATUSES = ("active", "suspended", "closed")
ACCOUNT_TYPES = ("Full", "Trial")


class Account:
    """An account of the v2010 Accounts API: a main account (``owner_account_sid`` None) or a subaccount."""
    __slots__ = ("sid", "friendly_name", "status", "owner_account_sid", "type", "created", "updated")

    def __init__(self, sid, friendly_name, status, owner_account_sid, type_, created):
        self.sid = sid
        self.friendly_name = friendly_name
        self.status = status
        self.owner_account_sid = owner_account_sid
        self.type = type_
        self.created = created
        self.updated = created


class Build:
    # function_versions / asset_versions: version SIDs, or None for a seeded build, which shows the
    # service's two placeholder versions; dependencies: [{"name", "version"}], or None for the seed's pair.
    __slots__ = ("sid", "created", "ready_at", "final_status", "runtime", "serial", "function_versions",
                 "asset_versions", "dependencies")

    def __init__(self, sid, created, ready_at, final_status, runtime, serial):
        self.sid = sid
        self.created = created
        self.ready_at = ready_at
        self.final_status = final_status
        self.runtime = runtime
        self.serial = serial
        self.function_versions = None
        self.asset_versions = None
        self.dependencies = None

    def status(self, now):
        return "building" if now < self.ready_at else self.final_status


class Environment:
    __slots__ = ("sid", "unique_name", "domain_suffix", "created", "updated", "build_sid", "deployments",
                 "variables")

    def __init__(self, sid, unique_name, domain_suffix, created):
        self.sid = sid
        self.unique_name = unique_name
        self.domain_suffix = domain_suffix
        self.created = created
        self.updated = created
        self.build_sid = None
        self.deployments = []  # newest first, as Twilio lists them
        self.variables = {}  # sid -> Variable, in creation order


class Variable:
    __slots__ = ("sid", "key", "value", "created", "updated")

    def __init__(self, sid, key, value, created):
        self.sid = sid
        self.key = key
        self.value = value
        self.created = created
        self.updated = created


class Deployment:
    __slots__ = ("sid", "environment_sid", "build_sid", "created")

    def __init__(self, sid, environment_sid, build_sid, created):
        self.sid = sid
        self.environment_sid = environment_sid
        self.build_sid = build_sid
        self.created = created


class Resource:
    """A Function (``kind`` function, SID ZH) or an Asset (asset, ZH): a name that versions hang off."""
    __slots__ = ("sid", "kind", "friendly_name", "created", "updated")

    def __init__(self, sid, kind, friendly_name, created):
        self.sid = sid
        self.kind = kind
        self.friendly_name = friendly_name
        self.created = created
        self.updated = created


class Version:
    """An uploaded Function or Asset version: its exact bytes and the part headers they came with."""
    __slots__ = ("sid", "kind", "resource_sid", "path", "visibility", "content", "content_type", "filename",
                 "created")

    def __init__(self, sid, kind, resource_sid, path, visibility, content, content_type, filename, created):
        self.sid = sid
        self.kind = kind
        self.resource_sid = resource_sid
        self.path = path
        self.visibility = visibility
        self.content = content
        self.content_type = content_type
        self.filename = filename
        self.created = created


# What a seeded build (one not made through the API) shows: a Function /hello and an Asset /styles.css whose
# versions exist, so a client may read them back like any other.
PLACEHOLDER_FUNCTION = b"exports.handler = function (context, event, callback) {\n  callback(null, 'hello');\n};\n"
PLACEHOLDER_ASSET = b"body { margin: 0; }\n"
# The dependencies Twilio adds to every build when the request does not name them.
ADDED_DEPENDENCIES = (("twilio", "5.3.5"), ("@twilio/runtime-handler", "2.1.0"))


class Service:
    def __init__(self, sid, account_sid, unique_name, friendly_name, created):
        self.sid = sid
        self.account_sid = account_sid
        self.unique_name = unique_name
        self.friendly_name = friendly_name
        self.created = created
        self.updated = created
        self.include_credentials = True
        self.ui_editable = False
        self.resources = {}  # sid -> Resource (functions and assets), in creation order
        self.versions = {}  # sid -> Version
        self.placeholder_json = None  # what seeded builds show, rendered on first use
        self.builds = []  # newest first, as Twilio lists them
        self.by_sid = {}
        self.index = {}  # sid -> position in builds; rebuilt when builds are added
        self.environments = []  # oldest first
        # Builds made through POST .../Builds take this long and end with this status; one that names a
        # dependency in fail_dependencies fails (set by the seed or POST /__sim/new_build).
        self.new_build = {"ready_in": 3.0, "final_status": "completed", "fail_dependencies": []}

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
        self.accounts = {}  # account sid -> Account, in creation order
        self.api_keys = {}  # key sid -> (secret, account sid)
        self.services = {}  # sid -> Service
        self._serial = 0
        # Runtimes CreateBuild accepts (seed: "runtimes"); one left out is retired (82007 when reused).
        self.runtimes = ("node20", "node22", "node24")
        self.default_runtime = "node22"
        # How answers look on the wire (seed: "variants", ``MODE[:SEED]``; see variants.py), None for the default.
        self.variants = None
        # Requests of one account served at once before a 429 (seed: "account_concurrency"; concurrency.py).
        self.account_concurrency = 0

    # -- set-up -------------------------------------------------------------
    def add_account(self, sid, auth_token, api_keys=(), friendly_name=None, status="active", owner_account_sid=None,
                    type_="Full", created=None):
        if status not in ACCOUNT_STATUSES:
            raise ValueError("account %s: status must be one of %s, not %r" % (sid, ", ".join(ACCOUNT_STATUSES), status))
        if type_ not in ACCOUNT_TYPES:
            raise ValueError("account %s: type must be one of %s, not %r" % (sid, ", ".join(ACCOUNT_TYPES), type_))
        created = created if created is not None else time.time() - 86400 * 60 + len(self.accounts)
        self.accounts[sid] = Account(sid, friendly_name or sid, status, owner_account_sid, type_, created)
        self.tokens[sid] = auth_token
        for key in api_keys:
            self.api_keys[key["sid"]] = (key["secret"], sid)

    def add_service(self, account_sid, unique_name, friendly_name=None, sid=None, created=None, placeholders=True):
        """A service; a seeded one (``placeholders``) has the Function and Asset its seeded builds show."""
        sid = sid or sid_for("ZS", account_sid, unique_name)
        service = Service(sid, account_sid, unique_name, friendly_name or unique_name,
                          created if created is not None else time.time() - 86400 * 30)
        for kind, path, content, content_type in (
                ("function", "/hello", PLACEHOLDER_FUNCTION, "application/javascript"),
                ("asset", "/styles.css", PLACEHOLDER_ASSET, "text/css")) if placeholders else ():
            resource = Resource(sid_for("ZH", sid, kind[0]), kind, path, service.created)
            service.resources[resource.sid] = resource
            version = Version(sid_for("ZN", sid, kind[0]), kind, resource.sid, path, "public", content,
                              content_type, path, service.created)
            service.versions[version.sid] = version
        with self.lock:
            self.services[sid] = service
        return service

    def delete_service(self, service):
        with self.lock:
            self.services.pop(service.sid, None)

    def add_resource(self, service, kind, friendly_name, now=None):
        now = time.time() if now is None else now
        with self.lock:
            resource = Resource(sid_for("ZH", service.sid, kind, self._next_serial()), kind, friendly_name, now)
            service.resources[resource.sid] = resource
        return resource

    def add_version(self, service, resource, path, visibility, content, content_type, filename, now=None):
        now = time.time() if now is None else now
        with self.lock:
            version = Version(sid_for("ZN", resource.sid, self._next_serial()), resource.kind, resource.sid, path,
                              visibility, content, content_type, filename, now)
            service.versions[version.sid] = version
        return version

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

    def create_posted_build(self, service, runtime, now=None, function_versions=(), asset_versions=(),
                            dependencies=()):
        """A build made through the API: building now, final after the service's set time."""
        now = time.time() if now is None else now
        with self.lock:
            final_status = service.new_build["final_status"]
            # A dependency named in new_build's fail_dependencies fails the build, as an npm install would.
            if set(service.new_build.get("fail_dependencies") or ()) & {d["name"] for d in dependencies}:
                final_status = "failed"
            build = self.make_build(service, now, service.new_build["ready_in"], final_status, runtime or "node22")
            build.function_versions = tuple(function_versions)
            build.asset_versions = tuple(asset_versions)
            build.dependencies = [dict(d) for d in dependencies]
            service.add_builds([build], newest=True)
        return build

    def delete_build(self, service, build):
        with self.lock:
            service.builds = [b for b in service.builds if b.sid != build.sid]
            service.by_sid.pop(build.sid, None)
            service.index = {b.sid: i for i, b in enumerate(service.builds)}

    def add_environment(self, service, unique_name, domain_suffix=None, created=None):
        created = time.time() if created is None else created
        with self.lock:
            env = Environment(sid_for("ZE", service.sid, unique_name), unique_name, domain_suffix, created)
            service.environments.append(env)
        return env

    def delete_environment(self, service, env):
        with self.lock:
            service.environments = [e for e in service.environments if e.sid != env.sid]

    def add_variable(self, env, key, value, now=None):
        now = time.time() if now is None else now
        with self.lock:
            variable = Variable(sid_for("ZV", env.sid, self._next_serial()), key, value, now)
            env.variables[variable.sid] = variable
        return variable

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

    def usable(self, account_sid):
        """Whether an account's credentials are taken: Twilio refuses a suspended or closed account's (20003)."""
        account = self.accounts.get(account_sid)
        return account is None or account.status == "active"

    def visible_accounts(self, account_sid):
        """The accounts these credentials may read in the v2010 API: a main account itself and its subaccounts,
        a subaccount only itself; in creation order."""
        caller = self.accounts.get(account_sid)
        if caller is None:
            return []
        if caller.owner_account_sid:
            return [caller]
        return [caller] + [a for a in self.accounts.values() if a.owner_account_sid == account_sid]

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
    def account_json(self, account):
        """A v2010 Account as Twilio returns it (twilio-node's AccountInstance): with its auth token."""
        uri = "/2010-04-01/Accounts/%s" % account.sid
        return {
            "auth_token": self.tokens[account.sid],
            "date_created": rfc2822(account.created),
            "date_updated": rfc2822(account.updated),
            "friendly_name": account.friendly_name,
            # Twilio names a main account its own owner.
            "owner_account_sid": account.owner_account_sid or account.sid,
            "sid": account.sid,
            "status": account.status,
            "subresource_uris": {name: "%s/%s.json" % (uri, name) for name in (
                "addresses", "conferences", "signing_keys", "transcriptions", "connect_apps", "sip", "authorized_connect_apps",
                "usage", "keys", "applications", "recordings", "short_codes", "calls", "notifications",
                "incoming_phone_numbers", "queues", "messages", "outgoing_caller_ids", "available_phone_numbers",
                "balance")},
            "type": account.type,
            "uri": uri + ".json",
        }

    @staticmethod
    def service_json(service, base):
        url = "%s/v1/Services/%s" % (base, service.sid)
        return {
            "sid": service.sid,
            "account_sid": service.account_sid,
            "friendly_name": service.friendly_name,
            "unique_name": service.unique_name,
            "include_credentials": service.include_credentials,
            "ui_editable": service.ui_editable,
            "domain_base": "%s-%04d" % (service.unique_name, int(service.sid[-4:], 16) % 10000),
            "date_created": iso(service.created),
            "date_updated": iso(service.updated),
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
        if build.function_versions is None:
            # Seeded builds all show the same two versions: rendered once per service, as listings of
            # thousands of builds (the benchmarks') must stay cheap.
            if service.placeholder_json is None:
                service.placeholder_json = tuple(
                    [Store.build_version_json(service, service.versions[sid])] if sid in service.versions else []
                    for sid in (sid_for("ZN", service.sid, "a"), sid_for("ZN", service.sid, "f")))
            asset_versions, function_versions = service.placeholder_json
        else:
            asset_versions = [Store.build_version_json(service, service.versions[sid]) for sid in build.asset_versions
                              if sid in service.versions]
            function_versions = [Store.build_version_json(service, service.versions[sid])
                                 for sid in build.function_versions if sid in service.versions]
        dependencies = build.dependencies
        if dependencies is None:
            dependencies = [{"name": "twilio", "version": "5.3.%d" % (build.serial % 10)},
                            {"name": "@twilio/runtime-handler", "version": "2.0.1"}]
        return {
            "sid": build.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "asset_versions": asset_versions,
            "function_versions": function_versions,
            "dependencies": [dict(d) for d in dependencies],
            "runtime": build.runtime,
            "status": status,
            "date_created": created,
            "date_updated": created if status == "building" else iso(build.ready_at),
            "url": url,
            "links": {"build_status": url + "/Status"},
        }

    @staticmethod
    def build_version_json(service, version):
        """A version as a build lists it: no url, and the Function's or Asset's SID under its own name."""
        return {"sid": version.sid, "account_sid": service.account_sid, "service_sid": service.sid,
                "%s_sid" % version.kind: version.resource_sid, "path": version.path,
                "visibility": version.visibility, "date_created": iso(version.created)}

    @staticmethod
    def resource_json(service, resource, base):
        url = "%s/v1/Services/%s/%ss/%s" % (base, service.sid, resource.kind.capitalize(), resource.sid)
        return {
            "sid": resource.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "friendly_name": resource.friendly_name,
            "date_created": iso(resource.created),
            "date_updated": iso(resource.updated),
            "url": url,
            "links": {"%s_versions" % resource.kind: url + "/Versions"},
        }

    @staticmethod
    def version_json(service, version, base):
        url = "%s/v1/Services/%s/%ss/%s/Versions/%s" % (base, service.sid, version.kind.capitalize(),
                                                        version.resource_sid, version.sid)
        body = {
            "sid": version.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "%s_sid" % version.kind: version.resource_sid,
            "path": version.path,
            "visibility": version.visibility,
            "date_created": iso(version.created),
            "url": url,
        }
        if version.kind == "function":  # an Asset Version has no links: its content cannot be read back
            body["links"] = {"function_version_content": url + "/Content"}
        return body

    @staticmethod
    def version_content_json(service, version, base):
        return {
            "sid": version.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "function_sid": version.resource_sid,
            # Functions are text; a byte that is not UTF-8 comes back as U+FFFD, as JSON cannot carry it.
            "content": version.content.decode("utf-8", "replace"),
            "url": "%s/v1/Services/%s/Functions/%s/Versions/%s/Content" % (base, service.sid, version.resource_sid,
                                                                           version.sid),
        }

    @staticmethod
    def domain_name(service, env):
        """The environment's ``domain_name``, as its record shows it (the simulator serves its live build under
        ``/__sim/domains/{domain_name}/``: domains.py)."""
        domain_base = "%s-%04d" % (service.unique_name, int(service.sid[-4:], 16) % 10000)
        return "%s%s.twil.io" % (domain_base, "-" + env.domain_suffix if env.domain_suffix else "")

    @staticmethod
    def environment_json(service, env, base):
        url = "%s/v1/Services/%s/Environments/%s" % (base, service.sid, env.sid)
        return {
            "sid": env.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "build_sid": env.build_sid,
            "unique_name": env.unique_name,
            "domain_suffix": env.domain_suffix,
            "domain_name": Store.domain_name(service, env),
            "date_created": iso(env.created),
            "date_updated": iso(env.updated),
            "url": url,
            "links": {"variables": url + "/Variables", "deployments": url + "/Deployments", "logs": url + "/Logs"},
        }

    @staticmethod
    def variable_json(service, env, variable, base):
        return {
            "sid": variable.sid,
            "account_sid": service.account_sid,
            "service_sid": service.sid,
            "environment_sid": env.sid,
            "key": variable.key,
            "value": variable.value,
            "date_created": iso(variable.created),
            "date_updated": iso(variable.updated),
            "url": "%s/v1/Services/%s/Environments/%s/Variables/%s" % (base, service.sid, env.sid, variable.sid),
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
                       "new_build": {"ready_in": 3, "final_status": "completed", "fail_dependencies": ["x"]},
                       "environments": [{"unique_name": "staging", "domain_suffix": "stage",
                                         "deployments": ["ZB... or an index into the newest-first builds", ...]}]}]}

    An account may also say ``"friendly_name"``, ``"status"`` (active, the default, suspended or closed: Twilio
    refuses the credentials of the last two), ``"owner_account_sid"`` (its main account's SID: a subaccount;
    absent: a main account) and ``"type"`` (Full, the default, or Trial). A top-level ``"generate_accounts":
    {"owner": "AC...", "count": 50, "services_per_account": 4, "prefix": "fleet"}`` adds ``count`` active
    subaccounts of ``owner`` (see generate_accounts) after the seed's own.

    ``deployments`` are oldest first; the last one is live. A top-level ``"runtimes": ["node20", ...]``
    sets the runtimes CreateBuild accepts (default node20, node22, node24); a top-level ``"variants":
    "MODE[:SEED]"`` how answers look on the wire (variants.py; default spec); a top-level
    ``"account_concurrency": N`` how many requests of one account are served at once (concurrency.py; 0: any).

    ``builds`` are the newest (``age`` seconds old, default 0); generated builds
    are older, ``interval`` seconds apart, the ``building`` newest of them still
    building for ``build_seconds`` more seconds.
    """
    if isinstance(data, str):
        with open(data, encoding="utf-8") as handle:
            data = json.load(handle)
    store = store or Store()
    now = time.time() if now is None else now
    if data.get("runtimes"):
        store.runtimes = tuple(data["runtimes"])
    if data.get("variants"):
        store.variants = data["variants"]
    if data.get("account_concurrency"):
        store.account_concurrency = int(data["account_concurrency"])
    for account in data.get("accounts", []):
        store.add_account(account["sid"], account["auth_token"], account.get("api_keys", []),
                          account.get("friendly_name"), account.get("status", "active"),
                          account.get("owner_account_sid"), account.get("type", "Full"))
    if data.get("generate_accounts"):
        generate_accounts(store, now=now, **data["generate_accounts"])
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


def generated_account(prefix, index):
    """The SID, auth token and friendly name of generated subaccount ``index``: the same for the same index, so
    a test or a bench can name them without reading the store."""
    return (sid_for("AC", prefix, index), "tok-" + hashlib.sha256(("%s:%d" % (prefix, index)).encode()).hexdigest()[:32],
            "%s-%03d" % (prefix, index))


def generate_accounts(store, owner, count, services_per_account=0, prefix="fleet", now=None):
    """``count`` active subaccounts of ``owner`` (generated_account), each with ``services_per_account`` services
    ``<prefix>-NNN-app-M`` of one completed node22 build live in a ``production`` environment."""
    if owner not in store.accounts or store.accounts[owner].owner_account_sid:
        raise ValueError("generate_accounts: owner %r is no main account of the seed" % (owner,))
    now = time.time() if now is None else now
    for index in range(int(count)):
        sid, token, name = generated_account(prefix, index)
        store.add_account(sid, token, friendly_name=name, owner_account_sid=owner, created=now - 86400 * 30 + index)
        for number in range(int(services_per_account)):
            service = store.add_service(sid, "%s-app-%d" % (name, number))
            build = store.make_build(service, now - 3600)
            service.add_builds([build], newest=False)
            environment = store.add_environment(service, "production", None, now - 7200)
            store.deploy(service, environment, build.sid, now - 1800)
    return store
