# SPDX-License-Identifier: GPL-3.0-or-later
"""Logs of an environment: list and fetch, with the limits Twilio documents
(https://www.twilio.com/docs/serverless/api/resource/logs), and ``POST /__sim/logs`` to seed them.

- The listing filters by ``StartDate`` and ``EndDate`` (whole seconds, both bounds included here; Twilio
  does not say; default the last day, as the spec says) and ``FunctionSid``.
- It is newest first by the second, and shuffled within a second (ordered by SID, which Twilio does not make
  grow with time): Twilio says logs of the same millisecond may come out of order.
- One query returns at most ``MAX_RESULTS`` (10,000) logs: its listing stops there, with no next page.
- The listing (the "/Logs endpoint") takes at most ``RATE_LIMIT`` (5) requests per second per account,
  counted over the last second; beyond, a 429 with ``Retry-After``. Fetching one log is not limited.
- ``level`` is upper case (``INFO``, ``WARN``, ``ERROR``), as live clients read it (twilly, RJPearson94's SDK;
  ``../shared/twilio-fixtures/SOURCES.md``), while Twilio's examples say ``warn`` or ``warning``.
- Logs are kept ``RETENTION`` (30 days): an older one is listed by no query. A message keeps its last
  ``MAX_MESSAGE`` bytes (3 KB), as Twilio keeps the last 3 KB of an invocation's output.
- Functions the simulator serves (domains.py) write one log per invocation through ``add_logs``.

The logs live in this module's records, on the Service (``service.environment_logs``: environment SID ->
log SID -> ``Log``); the rate counters and the limit on the Store.
"""

import collections
import datetime
import math
import time
from urllib.parse import urlencode

from ..api import error_body, invalid
from ..store import iso, sid_for
from .environments import control_target, env_path, find_environment

PATHS = (
    ("logs", "/v1/Services/{service}/Environments/{environment}/Logs"),
    ("log", "/v1/Services/{service}/Environments/{environment}/Logs/{log}"),
)
MAX_RESULTS = 10000
RATE_LIMIT = 5
DEFAULT_WINDOW = 86400
RETENTION = 30 * 86400
MAX_MESSAGE = 3072


class Log:
    __slots__ = ("sid", "created", "level", "message", "function_sid", "build_sid", "deployment_sid", "request_sid")

    def __init__(self, sid, created, level, message, function_sid, build_sid, deployment_sid, request_sid):
        self.sid = sid
        self.created = created
        self.level = level
        self.message = message
        self.function_sid = function_sid
        self.build_sid = build_sid
        self.deployment_sid = deployment_sid
        self.request_sid = request_sid


def logs_of(service, env_sid):
    """The environment's logs: log SID -> Log, in the order they were added."""
    if not hasattr(service, "environment_logs"):
        service.environment_logs = {}
    return service.environment_logs.setdefault(env_sid, {})


def last_bytes(message, size=MAX_MESSAGE):
    """The end of ``message``, at most ``size`` bytes of UTF-8 (a character cut in two is left out)."""
    data = message.encode("utf-8")
    return message if len(data) <= size else data[-size:].decode("utf-8", "ignore")


def add_logs(store, service, env, specs):
    """Add logs (dicts with ``created`` as epoch seconds, ``level``, ``message`` and the SIDs); return them."""
    made = []
    with store.lock:
        logs = logs_of(service, env.sid)
        for spec in specs:
            serial = store._next_serial()  # pylint: disable=protected-access
            log = Log(sid_for("NO", env.sid, serial), round(float(spec["created"]), 3),
                      (spec.get("level") or "info").upper(), last_bytes(spec.get("message", "log %d" % serial)),
                      spec.get("function_sid"), spec.get("build_sid"), spec.get("deployment_sid"),
                      sid_for("RQ", env.sid, serial))
            logs[log.sid] = log
            made.append(log)
    return made


def log_json(service, env, log, base):
    return {
        "sid": log.sid,
        "account_sid": service.account_sid,
        "service_sid": service.sid,
        "environment_sid": env.sid,
        "build_sid": log.build_sid,
        "deployment_sid": log.deployment_sid,
        "function_sid": log.function_sid,
        "request_sid": log.request_sid,
        "level": log.level,
        "message": log.message,
        "date_created": iso(log.created),
        "url": "%s/v1/Services/%s/Environments/%s/Logs/%s" % (base, service.sid, env.sid, log.sid),
    }


def _seconds(value):
    """Epoch seconds of an ISO 8601 date-time as Twilio takes it (``2018-11-10T20:00:00Z``), or None."""
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def rate_limited(req):
    """A 429 answer when the account made ``RATE_LIMIT`` listings in the last second (the Store's
    ``logs_rate_limit`` overrides it; None for no limit), else None (and this request is counted)."""
    store = req.store
    with store.lock:
        limit = getattr(store, "logs_rate_limit", RATE_LIMIT)
        if not limit:
            return None
        if not hasattr(store, "logs_requests"):
            store.logs_requests = {}
        recent = store.logs_requests.setdefault(req.account, collections.deque())
        while recent and recent[0] <= req.now - 1.0:
            recent.popleft()
        if len(recent) >= limit:
            wait = max(1, int(math.ceil(recent[0] + 1.0 - req.now)))
            return 429, error_body(429), {"Retry-After": str(wait)}
        recent.append(req.now)
    return None


def get_logs(req):
    store, service = req.store, req.service
    env, missing = find_environment(req)
    if missing:
        return missing
    limited = rate_limited(req)
    if limited:
        return limited

    def one(name):
        values = req.query.get(name)
        return values[-1] if values else None

    filters = []
    bounds = {"StartDate": req.now - DEFAULT_WINDOW, "EndDate": req.now}
    for name in ("StartDate", "EndDate"):
        given = one(name)
        if given is not None:
            bounds[name] = _seconds(given)
            if bounds[name] is None:
                return invalid("Invalid %s: %r is not an ISO 8601 date-time" % (name, given))
        filters.append((name, iso(bounds[name])))
    # Whatever the window, nothing older than Twilio keeps.
    start, end = max(int(bounds["StartDate"]), int(req.now - RETENTION)), int(bounds["EndDate"])
    function_sid = one("FunctionSid")
    if function_sid is not None:
        filters.append(("FunctionSid", function_sid))
    with store.lock:
        logs = [log for log in logs_of(service, env.sid).values()
                if start <= int(log.created) <= end and (function_sid is None or log.function_sid == function_sid)]
    logs.sort(key=lambda log: (-int(log.created), log.sid))
    return page(req, logs[:MAX_RESULTS], "%s/%s/Logs" % (env_path(req), env.sid), filters,
                lambda log: log_json(service, env, log, req.base))


def page(req, items, path, filters, render):
    """One page of logs, as Twilio pages them: its URLs carry the query's filters, a PageToken names the last
    log of the page before, so a page stays put while newer logs arrive; a ``next_page_url`` fault replaces the
    next page's URL."""
    def one(name, default):
        values = req.query.get(name)
        return values[-1] if values else default

    try:
        page_size = int(one("PageSize", "50"))
        number = int(one("Page", "0"))
        if not 1 <= page_size <= 1000 or number < 0:
            raise ValueError
    except ValueError:
        return invalid("Invalid paging parameters: PageSize must be 1 to 1000 and Page 0 or more")
    token = one("PageToken", None)
    start = number * page_size
    if token:
        index = dict((log.sid, position) for position, log in enumerate(items))
        if token[:2] != "PA" or token[2:] not in index:
            return invalid("Invalid PageToken")
        start = index[token[2:]] + 1
    chunk = items[start:start + page_size]

    def url(number, token=None):
        params = filters + [("PageSize", page_size), ("Page", number)]
        if token:
            params.append(("PageToken", token))
        return req.base + path + "?" + urlencode(params)

    next_url = url(number + 1, "PA" + chunk[-1].sid) if start + page_size < len(items) else None
    if req.fault and req.fault.get("next_page_url"):
        next_url = req.fault["next_page_url"]
    return 200, {
        "logs": [render(item) for item in chunk],
        "meta": {
            "first_page_url": url(0),
            "key": "logs",
            "next_page_url": next_url,
            "page": number,
            "page_size": page_size,
            "previous_page_url": url(number - 1) if number > 0 else None,
            "url": url(number, token),
        },
    }


def get_log(req):
    env, missing = find_environment(req)
    if missing:
        return missing
    sid = req.match.group("log")
    with req.store.lock:
        log = logs_of(req.service, env.sid).get(sid)
    if log is None:
        return 404, error_body(404, "%s/%s/Logs/%s" % (env_path(req)[3:], env.sid, sid))
    return 200, log_json(req.service, env, log, req.base)


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "logs"): ("logs", get_logs),
    ("GET", "log"): ("log", get_log),
}


def seed_logs(sim, body):
    """``POST /__sim/logs``: ``rate_limit`` (listings per second per account, null for none) when given; and
    when ``service`` is given, ``count`` logs in its ``environment`` (SID or unique name), spread evenly from
    ``oldest`` to ``newest`` seconds ago (default 3600 and 0; the newest last), their levels taken in turn from
    ``levels`` (default info; sent upper case), their ``function_sids`` likewise (default the service's first
    Function), with ``build_sid`` and ``deployment_sid`` (default the environment's live build and newest
    deployment) and ``message`` (``%d`` is the log's number). Answers the SIDs made, oldest first."""
    store = sim.store
    if "rate_limit" in body:
        with store.lock:
            store.logs_rate_limit = body["rate_limit"]
    if "service" not in body:
        return 200, {"rate_limit": getattr(store, "logs_rate_limit", RATE_LIMIT)}
    service, env, missing = control_target(sim, body)
    if missing:
        return missing
    count = int(body.get("count", 1))
    oldest, newest = float(body.get("oldest", 3600)), float(body.get("newest", 0))
    if oldest < newest or count < 0:
        raise ValueError("oldest must be at least newest, and count at least 0")
    levels = body.get("levels") or ["info"]
    functions = body.get("function_sids") or [next((r.sid for r in service.resources.values()
                                                    if r.kind == "function"), None)]
    build_sid = body.get("build_sid", env.build_sid)
    deployment_sid = body.get("deployment_sid", env.deployments[0].sid if env.deployments else None)
    message = body.get("message", "log line %d")
    now = time.time()
    step = (oldest - newest) / (count - 1) if count > 1 else 0.0
    specs = [{"created": now - oldest + step * i if count > 1 else now - newest, "level": levels[i % len(levels)],
              "message": message % i if "%d" in message else message, "function_sid": functions[i % len(functions)],
              "build_sid": build_sid, "deployment_sid": deployment_sid} for i in range(count)]
    made = add_logs(store, service, env, specs)
    return 200, {"service_sid": service.sid, "environment_sid": env.sid, "sids": [log.sid for log in made]}


CONTROL = {
    ("POST", "/__sim/logs"): seed_logs,
}


def sample(store, service):
    """Three logs in the service's first Environment, two of them in the same second, for tests that walk
    every route."""
    if not service.environments:
        return
    env = service.environments[0]
    function_sid = next((r.sid for r in service.resources.values() if r.kind == "function"), None)
    deployment_sid = env.deployments[0].sid if env.deployments else None
    now = int(time.time())
    add_logs(store, service, env, [
        {"created": now - 60 + offset, "level": level, "message": "sample %s" % level, "function_sid": function_sid,
         "build_sid": env.build_sid, "deployment_sid": deployment_sid}
        for offset, level in ((0.1, "info"), (30.2, "warn"), (30.7, "error"))])
