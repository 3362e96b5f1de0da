# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Logs of an Environment: a time window read whole, within the limits Twilio documents for them.

https://www.twilio.com/docs/serverless/api/resource/logs: logs are kept 30 days; one query returns at most
10,000 results ("use the StartDate and EndDate filters"); the /Logs endpoint takes 5 requests per second;
logs are listed newest first but those of the same millisecond may come out of order. The API filters by
function and time only: build, deployment and level are filtered here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import json
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.dates import parse_datetime
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_sid, is_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import (
    child_path,
    environment_path,
)

LEVELS = ("info", "warn", "error")
# Twilio's examples say "warn" until 2025 and "warning" since; live clients read "WARN" (see
# tests/simulator/resources/logs.py). One name for it, the one console.warn() suggests.
LEVEL_SYNONYMS = {"warning": "warn"}
# Twilio's documented limits.
MAX_RESULTS = 10000
REQUESTS_PER_SECOND = 5
RETENTION = datetime.timedelta(days=30)
MAX_PAGE_SIZE = 1000
DEFAULT_SPAN = datetime.timedelta(hours=1)
DEFAULT_LIMIT = 1000
# Halves of a window share their middle second (Twilio's dates are whole seconds, its bounds' inclusiveness is
# not documented); a window narrower than this cannot be split further.
SMALLEST_SPLIT = datetime.timedelta(seconds=2)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"\A(?:\d+[smhdw])+\Z")
_DURATION_PART = re.compile(r"(\d+)([smhdw])")
_NO_DATE = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
# The fields of each returned log, in this order; function_path is added from the Functions listing.
LOG_FIELDS = ("sid", "date_created", "level", "message", "function_sid", "function_path", "build_sid",
              "deployment_sid", "request_sid")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(moment):
    """Twilio's date format: whole seconds, UTC, with a Z (four digits of year, which strftime does not promise)."""
    moment = moment.astimezone(datetime.timezone.utc)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def read_level(value):
    """A log's level as this collection names it: lower case, ``warning`` read as ``warn``; None when Twilio sent
    none. Twilio has sent ``warn``, ``warning`` and ``WARN`` for the same thing."""
    if not isinstance(value, str) or not value.strip():
        return None
    name = value.strip().lower()
    return LEVEL_SYNONYMS.get(name, name)


def read_log(record):
    """A Log record as the collection reads it: ``level`` (``read_level``), ``message``, ``date_created`` (a
    datetime), and the ``build_sid``, ``deployment_sid`` and ``function_sid`` it names (each None when missing or
    of another kind). The fixtures test holds it to every Log body Twilio's sources show."""
    return dict(level=read_level(readers.value(record, "level")), message=readers.text(record, "message"),
                date_created=readers.date(record, "date_created"), build_sid=readers.sid(record, "build_sid", "ZB"),
                deployment_sid=readers.sid(record, "deployment_sid", "ZD"),
                function_sid=readers.sid(record, "function_sid", "ZH"))


def check_levels(values, option="level"):
    """The levels to keep, as a frozenset, or None for every level; OptionError for a level that is not one."""
    if not values:
        return None
    found = set()
    for value in values:
        name = read_level(value)
        if name not in LEVELS:
            raise OptionError(option, "%s is not a log level; expected info, warn (or warning) or error, in any case"
                              % shown(value))
        found.add(name)
    return frozenset(found)


def parse_moment(value, option, now):
    """An aware datetime from an ISO 8601 date-time, or from a duration (``15m``, ``2h``, ``1d``, ``1h30m``: that
    long before ``now``); OptionError for anything else."""
    text = value.strip() if isinstance(value, str) else value
    moment = parse_datetime(text)
    if moment is not None:
        return moment
    if isinstance(text, str) and _DURATION.match(text):
        seconds = sum(int(count) * UNITS[unit] for count, unit in _DURATION_PART.findall(text))
        try:
            return now - datetime.timedelta(seconds=seconds)
        except OverflowError:
            raise OptionError(option, "%s is further back than a date can be; expected a shorter duration (Twilio "
                                      "keeps logs 30 days)" % shown(value))
    raise OptionError(option, "%s is neither an ISO 8601 date-time nor a duration; expected a value such as "
                              "2026-11-24T08:00:00Z (a value without a zone is UTC), or 15m, 2h, 1d or 1h30m for "
                              "that long ago (s, m, h, d or w)" % shown(value))


def check_window(since, until, now):
    """(since, until) as aware datetimes in whole seconds, ``since`` rounded down and ``until`` up; ``until``
    defaults to ``now`` and ``since`` to one hour before ``until``. OptionError when ``since`` is not before
    ``until``."""
    end = parse_moment(until, "until", now) if until is not None else now
    try:
        end = end.replace(microsecond=0) + datetime.timedelta(seconds=1 if end.microsecond else 0)
        start = (parse_moment(since, "since", now) if since is not None else end - DEFAULT_SPAN).replace(microsecond=0)
    except OverflowError:
        raise OptionError("until", "%s leaves no window a date can hold" % shown(until))
    if start >= end:
        raise OptionError("since", "%s (%s) is not before until (%s); no log could match"
                          % (shown(since if since is not None else "one hour before until"), iso(start), iso(end)))
    return start, end


def retention_warning(since, now):
    """A warning when the window starts before the oldest log Twilio still keeps, else None."""
    if since < now - RETENTION:
        return ("since is %s, more than 30 days ago: Twilio keeps logs for 30 days, so none older than %s is "
                "left to read" % (iso(since), iso(now - RETENTION)))
    return None


def check_function(value, option="function"):
    """A function by path (``/hello``) or Function SID, as the user gave it; OptionError otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise OptionError(option, "an empty value names no function; expected a path such as /hello or a Function "
                                  "SID (ZH...)")
    if value.startswith("/"):
        return value
    if value[:2] == "ZH":
        return check_sid(value, "ZH", option)
    raise OptionError(option, "%s is neither a function path (it starts with '/', such as /hello) nor a Function SID "
                              "(ZH followed by 32 hexadecimal digits)" % shown(value))


LogQuery = collections.namedtuple("LogQuery", "since until function build deployment levels limit")


def check_log_options(options, now):
    """The LogQuery the options ``since``, ``until``, ``function``, ``build``, ``deployment``, ``level`` and
    ``limit`` describe; OptionError naming the option, before any request."""
    since, until = check_window(options.get("since"), options.get("until"), now)
    function = options.get("function")
    build, deployment, limit = options.get("build"), options.get("deployment"), options.get("limit")
    return LogQuery(
        since=since,
        until=until,
        function=check_function(function) if function is not None else None,
        build=check_sid(build, "ZB", "build") if build is not None else None,
        deployment=check_sid(deployment, "ZD", "deployment") if deployment is not None else None,
        levels=check_levels(options.get("level")),
        limit=check_range("limit", limit, 1, unit="a whole number") if limit is not None else None,
    )


def function_paths(records):
    """Function SID -> path from ``list_resources``' friendly name -> SID (the path is the friendly name)."""
    return dict((sid, name) for name, sid in records.items())


def find_function(paths, function, service_sid, option="function"):
    """The Function SID of ``function`` (a path or a SID) among ``paths`` (SID -> path); OptionError listing the
    functions that exist when a path is unknown."""
    if is_sid(function, "ZH"):
        return function
    for sid, path in sorted(paths.items()):
        if path == function:
            return sid
    known = ", ".join(sorted(paths.values())[:20]) or "no functions"
    raise OptionError(option, "%s is not a function of service %s; it has %s" % (shown(function), service_sid, known))


def matcher(query):
    """Whether a log (as Twilio sent it) passes the filters the API lacks: build, deployment, level."""
    def matches(record):
        if query.build is not None and readers.value(record, "build_sid") != query.build:
            return False
        if query.deployment is not None and readers.value(record, "deployment_sid") != query.deployment:
            return False
        return query.levels is None or read_level(readers.value(record, "level")) in query.levels
    return matches


class Pacer:
    """At most ``rate`` requests in any ``period`` seconds, as the server counts them.

    A request starts at least ``period`` after the answer to the request ``rate`` before it. Timed from answers
    on this side, so whatever the network's delays, the server sees each request arrive later than that answer
    left it: it never counts ``rate + 1`` in one period. ``clock`` and ``sleep`` are the client's.
    """

    def __init__(self, clock, sleep, rate=REQUESTS_PER_SECOND, period=1.0):
        self.clock = clock
        self.sleep = sleep
        self.period = period
        self.answers = collections.deque(maxlen=rate)
        self.waited = 0.0

    def wait(self):
        if len(self.answers) == self.answers.maxlen:
            gap = self.answers[0] + self.period - self.clock()
            if gap > 0:
                self.waited += gap
                self.sleep(gap)

    def answered(self):
        self.answers.append(self.clock())


class _Stop(Exception):
    """Raised instead of requesting another page once the caller has what it asked for."""


class _PacedClient:
    """What ``iter_records`` needs of a client (``get``), paced, and stopped before a page no longer needed."""

    def __init__(self, client, pacer, enough):
        self.client = client
        self.pacer = pacer
        self.enough = enough

    def get(self, url, what, params=None, deadline=None):
        if self.enough():
            raise _Stop()
        self.pacer.wait()
        try:
            return self.client.get(url, what, params=params, deadline=deadline)
        finally:
            self.pacer.answered()


class LogsRead:
    """What ``read_logs`` found: ``logs`` (Twilio's records, each once, newest first, at most the limit),
    ``truncated`` (the limit cut the result short, or a window could not be read whole), ``windows`` (windows
    requested) and ``unsplit`` (the windows of one second or two that still held 10,000 logs or more)."""

    def __init__(self):
        self.logs = []
        self.truncated = False
        self.windows = 0
        self.unsplit = []


def _key(record):
    """What makes a log the same log: its SID, or, for a record without one, everything it holds."""
    sid = readers.value(record, "sid")
    return sid if isinstance(sid, str) and sid else json.dumps(record, sort_keys=True, default=str)


def _created(record):
    return readers.date(record, "date_created") or _NO_DATE


def read_logs(client, service_sid, environment_sid, query, function_sid=None, on_page=None, pacer=None):
    """Every log of the environment in ``query``'s window that matches it, each once, newest first; a LogsRead.

    Pages are read newest first and paced (``Pacer``); a 429 is retried by the client after its Retry-After. A
    window whose listing reaches Twilio's 10,000-result cap is split in two halves, each read the same way, the
    newer first; logs met twice (the halves share a second) are kept once. Reading stops once ``query.limit``
    matching logs are held, at the end of a page.
    """
    path = child_path(environment_path(service_sid, environment_sid), "Logs")
    what = "logs of environment %s of service %s" % (environment_sid, service_sid)
    matches = matcher(query)
    limit = query.limit
    found, seen = LogsRead(), set()
    filtered = query.build or query.deployment or query.levels
    page_size = MAX_PAGE_SIZE if filtered or limit is None else min(limit, MAX_PAGE_SIZE)

    def enough():
        return limit is not None and len(found.logs) >= limit

    paced = _PacedClient(client, pacer or Pacer(client.clock, client.sleep), enough)
    windows = [(query.since, query.until)]  # a stack: the newest window on top
    while windows:
        if enough():
            found.truncated = True
            break
        since, until = windows.pop()
        found.windows += 1
        params = {"StartDate": iso(since), "EndDate": iso(until), "PageSize": page_size}
        if function_sid is not None:
            params["FunctionSid"] = function_sid
        listed = 0
        try:
            for record in iter_records(paced, path, what, params=params, on_page=on_page):
                listed += 1
                key = _key(record)
                if key not in seen:
                    seen.add(key)
                    if matches(record):
                        found.logs.append(record)
        except _Stop:
            found.truncated = True
            break
        if listed >= MAX_RESULTS:
            if until - since < SMALLEST_SPLIT:
                found.truncated = True
                found.unsplit.append((since, until))
                continue
            middle = since + datetime.timedelta(seconds=(until - since).total_seconds() // 2)
            windows.extend([(since, middle), (middle, until)])
    found.logs.sort(key=_created, reverse=True)
    if limit is not None and len(found.logs) > limit:
        found.truncated = True
        del found.logs[limit:]
    return found


def shape_log(record, paths):
    """A log as the module returns it: LOG_FIELDS, each a string or null, the level lower case."""
    function_sid = readers.text(record, "function_sid")
    shaped = dict((name, readers.text(record, name)) for name in LOG_FIELDS)
    shaped["level"] = read_level(readers.value(record, "level"))
    shaped["function_path"] = paths.get(function_sid) if function_sid else None
    return shaped


def count_levels(logs):
    """Logs by level: ``info``, ``warn`` and ``error`` always, any other level Twilio sent by its own name, and
    ``unknown`` for logs with none."""
    counts = dict((level, 0) for level in LEVELS)
    for log in logs:
        level = log.get("level") or "unknown"
        counts[level] = counts.get(level, 0) + 1
    return counts
