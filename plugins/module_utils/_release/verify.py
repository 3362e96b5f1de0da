# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Verifying what an Environment runs: smoke checks against its domain, then the error-log gate.

The steps of ``serverless_verify``, over plain values: the options checked before any request
(``check_verify_options``), the live Build's visibilities and the checks no request may be sent for
(``preflight``: private paths; protected ones with no auth token to sign them), the checks themselves
(``run_checks``), the wait for the logs (``settle_seconds``), the logs of the live Deployment
(``read_deployment_logs``) and the verdict (``verdict``, ``failure_message``). The roll back is
``_release/rollback.py``'s, the same as ``serverless_deployment``'s ``rollback: true``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import re
import time

from ansible.module_utils.six.moves.urllib.parse import urlencode, urlsplit

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.logs import (
    count_levels,
    LogQuery,
    read_logs,
    shape_log,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.signature import HEADER, signature
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import cut, excerpt, shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import read_build_versions

DOMAIN_BASE_URL_ENV = "TWILIO_SERVERLESS_DOMAIN_BASE_URL"
DEFAULT_DOMAIN_BASE_URL = "https://{domain_name}"
PLACEHOLDER = "{domain_name}"
DEFAULT_SETTLE = 10
DEFAULT_TIMEOUT = 10.0
# Logs are read from this long before the Deployment's date: Twilio's clocks and the function runtime's may
# disagree by a little, and a log written a second "before" its deployment is still its deployment's.
CLOCK_SKEW = datetime.timedelta(seconds=60)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Methods whose form ``body`` goes in the query string, as Twilio sends a GET webhook's parameters.
QUERY_METHODS = ("GET", "HEAD", "DELETE", "OPTIONS")
NOT_CALLED = "check mode - not called"
# Error logs kept in the result (the first ones), their messages cut to this length; quoted in the message.
ERRORS_KEPT = 20
MESSAGE_CHARS = 500
QUOTED = 3
QUOTED_CHARS = 120
_HOSTNAME = re.compile(r"\A[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")

# The fields of a check. Checked here, not by Ansible's suboptions: Ansible fails on a check that is neither a
# mapping nor key=value text with a message that does not name the option (while it collects no_log values).
CHECK_FIELDS = ("path", "method", "status", "contains", "regex", "headers", "body", "timeout")

Check = collections.namedtuple("Check", "index path method statuses contains regex headers body timeout")
VerifyOptions = collections.namedtuple("VerifyOptions", "checks domain_base_url settle max_errors")


def label(check):
    """How a message names a check: its place in the list, its method and path."""
    return "checks[%d] (%s %s)" % (check.index, check.method, check.path)


def _statuses(value, option):
    values = value if isinstance(value, list) else [value]
    if not values:
        raise OptionError(option, "an empty list allows no status; expected an HTTP status such as 200, or a list")
    found = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, (int, str)) or not str(item).strip().isdigit():
            raise OptionError(option, "%s is not an HTTP status; expected a whole number from 100 to 599, or a list "
                                      "of them" % shown(item))
        found.append(check_range(option, int(str(item).strip()), 100, 599, unit="an HTTP status"))
    return tuple(found)


def _scalar(value):
    return isinstance(value, (str, int, float, bool))


def check_check(index, item):
    """One entry of ``checks`` as a Check; OptionError naming ``checks[index].<field>``."""
    where = "checks[%d]" % index
    if not isinstance(item, dict):
        raise OptionError(where, "%s is not a mapping; expected a dict with path and optionally method, status, "
                                 "contains or regex, headers, body and timeout" % shown(item))
    unknown = sorted(set(item) - set(CHECK_FIELDS), key=str)
    if unknown:
        raise OptionError(where, "%s %s of a check; expected %s" % (
            ", ".join(shown(name) for name in unknown), "is not a field" if len(unknown) == 1 else "are not fields", ", ".join(CHECK_FIELDS)))
    path = item.get("path")
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        raise OptionError(where + ".path", "%s does not start with a single '/'; expected the path of a Function or "
                                           "Asset, such as /hello" % shown(path))
    if any(char.isspace() or ord(char) < 32 for char in path) or "#" in path:
        raise OptionError(where + ".path", "%s holds a space, a control character or '#'; expected a path as a URL "
                                           "has it, such as /hello?name=ada" % shown(path))
    method = item.get("method") or "GET"
    method = method.strip().upper() if isinstance(method, str) else method
    if method not in METHODS:
        raise OptionError(where + ".method", "%s is not an HTTP method this module sends; expected one of %s"
                          % (shown(item.get("method")), ", ".join(METHODS)))
    statuses = _statuses(item.get("status", 200) if item.get("status") is not None else 200, where + ".status")
    contains, regex = item.get("contains"), item.get("regex")
    if contains is not None and regex is not None:
        raise OptionError(where + ".contains", "give contains or regex, not both")
    compiled = None
    if regex is not None:
        try:
            compiled = re.compile(regex)
        except (re.error, TypeError) as exc:
            raise OptionError(where + ".regex", "%s is not a valid regular expression (%s); expected Python's re "
                                                "syntax" % (shown(regex), exc))
    headers = item.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(k, str) and k.strip() and _scalar(v)
                                                for k, v in headers.items()):
        raise OptionError(where + ".headers", "expected a mapping of header names to strings")
    body = item.get("body")
    if body is not None and not isinstance(body, str) and not (
            isinstance(body, dict) and all(isinstance(k, str) and _scalar(v) for k, v in body.items())):
        raise OptionError(where + ".body", "%s is neither a string nor a mapping of form fields to strings or "
                                           "numbers" % shown(body))
    timeout = item.get("timeout")
    timeout = check_range(where + ".timeout", DEFAULT_TIMEOUT if timeout is None else timeout, 0, 3600, above=True)
    return Check(index, path, method, statuses, contains, compiled,
                 dict((k, "%s" % v) for k, v in headers.items()),
                 dict((k, "%s" % v) for k, v in body.items()) if isinstance(body, dict) else body, float(timeout))


def check_domain_base_url(value, option="domain_base_url"):
    """The template of a domain's base URL: ``{domain_name}`` in an http(s) URL with no query, fragment or
    credentials; the default when ``value`` is None or blank."""
    if value is None or not value.strip():
        return DEFAULT_DOMAIN_BASE_URL
    value = value.strip()
    if PLACEHOLDER not in value:
        raise OptionError(option, "%s has no {domain_name}; expected a template such as https://{domain_name} or "
                                  "http://127.0.0.1:8080/__sim/domains/{domain_name}" % shown(value, 80))
    sample = value.replace(PLACEHOLDER, "example-1234-stage.twil.io")
    if "{" in sample or "}" in sample:
        raise OptionError(option, "%s has a placeholder other than {domain_name}" % shown(value, 80))
    try:
        parts = urlsplit(sample)
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise OptionError(option, "%s is not a valid URL template" % shown(value, 80))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OptionError(option, "%s is not an http(s) URL; expected a template such as https://{domain_name}"
                          % shown(value, 80))
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise OptionError(option, "%s has credentials, a query or a fragment; expected scheme, host, port and "
                                  "path only" % shown(value, 80))
    return value


def check_verify_options(params):
    """VerifyOptions from the module's parameters; OptionError naming the option, before any request."""
    checks = params.get("checks") or []
    if not isinstance(checks, list):
        raise OptionError("checks", "expected a list of mappings, each with a path")
    return VerifyOptions(
        checks=[check_check(index, item) for index, item in enumerate(checks)],
        domain_base_url=check_domain_base_url(params.get("domain_base_url")),
        settle=check_range("settle", params.get("settle", DEFAULT_SETTLE), 0, 3600),
        max_errors=check_range("max_errors", params.get("max_errors", 0), 0, unit="a whole number"),
    )


def domain_name_of(environment, env_name):
    """The Environment's ``domain_name`` as Twilio sent it, checked to be a host name (it becomes a URL)."""
    name = readers.text(environment, "domain_name")
    if name is None or not _HOSTNAME.match(name):
        raise TwilioError("Twilio sent environment %s %s, not a domain name; its functions cannot be called"
                          % (env_name, "no domain_name" if name is None else "the domain_name %s" % shown(name)))
    return name


def domain_base(template, domain_name):
    return template.replace(PLACEHOLDER, domain_name)


def served(build):
    """What the live Build serves: (path -> visibility, Function SID -> path). A path whose version cannot be
    read has visibility None."""
    versions, unreadable = read_build_versions(build)
    visibility = dict((v.path, v.visibility) for v in versions)
    visibility.update((u.path, None) for u in unreadable if u.path)
    functions = dict((v.resource_sid, v.path) for v in versions if v.kind == "function" and v.resource_sid)
    return visibility, functions


def _bare(path):
    return path.split("?", 1)[0]


def preflight(checks, visibility, auth_token, build_sid):
    """Refuse, before any function is called, the checks that cannot be made: a private path (Twilio serves it
    to nobody) or a protected one with no auth token to sign it (an API key cannot sign)."""
    for check in checks:
        seen = visibility.get(_bare(check.path))
        if seen == "private":
            raise TaskFailed("%s names a private function or asset of build %s: Twilio serves it to no caller, so "
                             "it cannot be checked; remove the check or make it protected" % (label(check), build_sid))
        if seen == "protected" and not auth_token:
            raise TaskFailed("%s calls a protected function of build %s, which answers only requests signed with "
                             "X-Twilio-Signature, and signing needs the account's auth token: only api_key and "
                             "api_secret were given. Set auth_token (or TWILIO_AUTH_TOKEN) as well; API requests "
                             "keep using the API key" % (label(check), build_sid))


def _request_of(check, url_of, auth_token, signing):
    """(path with any query, headers, data) of a check, signed when ``signing``: over the URL as requested
    (``url_of(path)``), as Twilio signs a webhook and as a Function checks the URL it was called at."""
    path, data, params = check.path, check.body, {}
    if isinstance(check.body, dict):
        if check.method in QUERY_METHODS:
            path += ("&" if "?" in path else "?") + urlencode(sorted(check.body.items()))
            data = None
        elif check.method == "POST":
            # Twilio signs a POST's form parameters (twilio-node's validateExpressRequest reads a POST's body only).
            params = check.body
    headers = dict(check.headers)
    if signing:
        headers[HEADER] = signature(auth_token, url_of(path), params)
    return path, headers, data


def judge(check, called):
    """(ok, reason) of an answer."""
    if called.error is not None:
        return False, called.error
    if called.status not in check.statuses:
        expected = " or ".join(str(s) for s in check.statuses)
        return False, "status %d, expected %s" % (called.status, expected)
    if check.contains is not None and check.contains not in called.text:
        return False, "status %d, but the body does not contain %s (it begins %s)" % (
            called.status, shown(check.contains), shown(excerpt(called.text, 60), 64))
    if check.regex is not None and not check.regex.search(called.text):
        return False, "status %d, but the body does not match %s (it begins %s)" % (
            called.status, shown(check.regex.pattern), shown(excerpt(called.text, 60), 64))
    what = " and the body %s" % ("contains %s" % shown(check.contains) if check.contains is not None else
                                 "matches %s" % shown(check.regex.pattern)) if (
        check.contains is not None or check.regex is not None) else ""
    return True, "status %d as expected%s" % (called.status, what)


def run_checks(caller, checks, visibility, auth_token, check_mode):
    """The result of each check, in order: path, method, visibility, status, ok, seconds, reason. In check mode
    none is called (a function may have effects of its own)."""
    results = []
    for check in checks:
        seen = visibility.get(_bare(check.path))
        found = dict(path=check.path, method=check.method, visibility=seen, status=None, ok=None, seconds=None,
                     reason=NOT_CALLED)
        results.append(found)
        if check_mode:
            continue
        # Signing a public call does no harm, and a path the build does not know may still be protected.
        signing = auth_token is not None and seen != "public"
        path, headers, data = _request_of(check, caller.url, auth_token, signing)
        called = caller.call(check.method, path, headers, data, check.timeout)
        ok, reason = judge(check, called)
        found.update(status=called.status, ok=ok, seconds=round(called.seconds, 3), reason=reason)
    return results


def went_live(deployment):
    """When the Deployment was made (its date_created), or TwilioError when Twilio sent none."""
    moment = readers.date(deployment, "date_created")
    if moment is None:
        raise TwilioError("Twilio sent deployment %s without a readable date_created; the log gate cannot tell "
                          "which logs are this deployment's" % readers.value(deployment, "sid"))
    return moment


def live_deployment(history, build_sid):
    """The newest Deployment of the live Build (``history`` newest first), or TwilioError."""
    for deployment in history:
        if readers.sid(deployment, "build_sid", "ZB") == build_sid:
            if readers.sid(deployment, "sid", "ZD") is None:
                raise TwilioError("Twilio listed a deployment of build %s without a valid Deployment SID, so its logs "
                                  "cannot be told apart" % build_sid)
            return deployment
    raise TwilioError("No deployment of build %s is in the environment's history, so the logs of its release "
                      "cannot be told apart" % build_sid)


def server_now(client):
    """The server's time (its Date header, as of the last answer) as an aware datetime; this host's otherwise."""
    now = client.server_now()
    return datetime.datetime.fromtimestamp(now if now is not None else time.time(), datetime.timezone.utc)


def settle_seconds(live_since, now, settle):
    """How long to wait still so that ``settle`` seconds have passed since ``live_since``; 0 when they have."""
    remaining = (live_since + datetime.timedelta(seconds=settle) - now).total_seconds()
    return max(0.0, remaining)


def read_deployment_logs(client, service_sid, env_sid, deployment_sid, live_since, now, on_page=None):
    """Every log of the Deployment since it went live (less CLOCK_SKEW) until ``now``; a LogsRead."""
    since = (live_since - CLOCK_SKEW).replace(microsecond=0)
    until = now.replace(microsecond=0) + datetime.timedelta(seconds=1)
    query = LogQuery(since=since, until=until, function=None, build=None, deployment=deployment_sid, levels=None,
                     limit=None)
    return read_logs(client, service_sid, env_sid, query, on_page=on_page)


def gate(records, functions):
    """(counts by level, the error logs oldest first, cut to ERRORS_KEPT, their messages to MESSAGE_CHARS)."""
    shaped = [shape_log(record, functions) for record in records]
    counts = count_levels(shaped)
    errors = [log for log in reversed(shaped) if log["level"] == "error"]
    for log in errors:
        if log["message"] is not None:
            log["message"] = cut(log["message"], MESSAGE_CHARS)
    return counts, errors[:ERRORS_KEPT]


def verdict(checks, counts, max_errors, logged):
    """(passed, traffic): passed is False when a check failed or there are more error logs than ``max_errors``,
    None when nothing was called and nothing logged ("no traffic, no logs" proves nothing), True otherwise."""
    traffic = logged > 0 or any(check["reason"] != NOT_CALLED for check in checks)
    if any(check["ok"] is False for check in checks) or counts.get("error", 0) > max_errors:
        return False, traffic
    return (True if traffic else None), traffic


def failure_message(build_sid, env_name, service_sid, checks, counts, errors, max_errors):
    """What failed, for ``msg``: each failed check, then the error logs, the first of them quoted (cut)."""
    parts = ["%s %s: %s" % ("checks[%d]" % index, "%s %s" % (c["method"], c["path"]), c["reason"])
             for index, c in enumerate(checks) if c["ok"] is False]
    count = counts.get("error", 0)
    if count > max_errors:
        quoted = ", ".join(shown(excerpt(log["message"] or "", QUOTED_CHARS), QUOTED_CHARS + 4)
                           for log in errors[:QUOTED])
        parts.append("%d error log%s since the deployment went live (max_errors %d)%s" % (
            count, "" if count == 1 else "s", max_errors, ", the first: %s" % quoted if quoted else ""))
    return "Verification of build %s in environment %s of service %s failed: %s" % (
        build_sid, env_name, service_sid, "; ".join(parts))


NO_TRAFFIC = ("No traffic, no logs: no check was called and deployment %s of build %s has written no log since it "
              "went live, so nothing was verified (passed is null). Give checks, or verify after the environment "
              "has had traffic")
