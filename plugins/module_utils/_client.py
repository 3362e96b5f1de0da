# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One HTTP client for the Twilio Serverless API: a requests.Session with retries.

Every request has a timeout, goes to the configured API origin only (never a
redirect, never a next page on another host), and every failure becomes a
TwilioError with one line a person can act on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import platform
import random
import re
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import urljoin, urlsplit

from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._retries import RETRY_STATUSES, retry_delay
from ansible_collections.twilio_community.serverless.plugins.module_utils._version import (
    COLLECTION_NAME,
    COLLECTION_VERSION,
)

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.exceptions import ChunkedEncodingError, ConnectionError as RequestsConnectionError
    from requests.exceptions import ContentDecodingError, RequestException, SSLError, Timeout
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url):
    """(scheme, host, port) of a URL; the unit credentials are allowed to travel to."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def _request_id(response):
    value = response.headers.get("Twilio-Request-Id") or ""
    tokens = value.replace(",", " ").split()
    return tokens[0] if tokens else None


def _excerpt(text, limit=100):
    text = re.sub(r"\s+", " ", text or "").strip()
    return text[:limit] + ("..." if len(text) > limit else "")


def user_agent():
    return "%s/%s (python-requests/%s; Python/%s)" % (
        COLLECTION_NAME, COLLECTION_VERSION, getattr(requests, "__version__", "?"), platform.python_version())


class TwilioClient:
    """GET JSON from the Twilio Serverless API, with bounded retries.

    ``clock``, ``sleep`` and ``rand`` are injectable so retry timing can be
    tested without waiting. ``requests`` and ``retries`` count what a call cost.
    """

    def __init__(self, connection, session=None, clock=time.monotonic, sleep=time.sleep, rand=random.random):
        self.connection = connection
        self.base_url = connection.base_url
        self.origin = origin(self.base_url)
        self.clock = clock
        self.sleep = sleep
        self.rand = rand
        self.requests = 0
        self.retries = 0
        self.session = session or requests.Session()
        self.session.auth = (connection.username, connection.password)
        self.session.verify = connection.validate_certs
        self.session.headers.update({"User-Agent": user_agent(), "Accept": "application/json"})
        if not connection.validate_certs:
            # The module warns once; urllib3 would warn on every request, to stderr.
            try:
                from urllib3.exceptions import InsecureRequestWarning
                requests.packages.urllib3.disable_warnings(InsecureRequestWarning)
            except (ImportError, AttributeError):
                pass

    def close(self):
        self.session.close()

    # -- URLs ---------------------------------------------------------------
    def url(self, path):
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def same_origin(self, url):
        return origin(url) == self.origin

    # -- requests -----------------------------------------------------------
    def get(self, url, what, params=None, deadline=None):
        """GET ``url`` (a path, or an absolute URL on the API origin) and return the decoded JSON.

        ``what`` names the resource in messages ("service 'acme'"). With a
        ``deadline`` (a ``clock`` value), no attempt starts and no retry wait
        runs past it; the request timeout shrinks to fit.
        """
        if "://" not in url:
            url = self.url(url)
        if not self.same_origin(url):
            # Credentials go to the configured API host and nowhere else.
            raise TwilioError("Refused to request %s for %s: it is not on the configured API host %s"
                              % (_excerpt(url), what, self.base_url))
        attempt = 0
        while True:
            timeout = self.connection.request_timeout
            if deadline is not None:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    raise TwilioError("Reached the deadline before requesting %s" % what, retryable=False)
                timeout = min(timeout, remaining)
            try:
                return self._attempt(url, what, params, timeout)
            except TwilioError as err:
                if not err.retryable or attempt >= self.connection.retries:
                    if err.retryable and attempt:
                        err.msg = "%s (gave up after %d retries)" % (err.msg, attempt)
                        err.args = (err.msg,)
                    raise
                delay = retry_delay(attempt, getattr(err, "retry_after", None), self.rand)
                if deadline is not None and self.clock() + delay >= deadline:
                    err.msg = "%s (no time left for another retry before the deadline)" % err.msg
                    err.args = (err.msg,)
                    raise
                self.sleep(delay)
                attempt += 1
                self.retries += 1

    def _attempt(self, url, what, params, timeout):
        self.requests += 1
        host = self.origin[1]
        try:
            response = self.session.get(url, params=params, timeout=timeout, allow_redirects=False)
        except SSLError as exc:
            raise TwilioError("TLS verification of %s failed for %s: %s. Fix the CA bundle, or set validate_certs "
                              "to false only for testing" % (host, what, _excerpt(str(exc), 200)))
        except Timeout:
            raise TwilioError("No answer from %s for %s within %.3g seconds (request_timeout)"
                              % (host, what, timeout), retryable=True)
        except (RequestsConnectionError, ChunkedEncodingError, ContentDecodingError) as exc:
            raise TwilioError("Could not read %s from %s: connection failed (%s)"
                              % (what, host, _excerpt(type(exc).__name__ + ": " + str(exc), 160)), retryable=True)
        except RequestException as exc:
            # Anything else requests raises (an invalid URL, say) is not worth a retry.
            raise TwilioError("Could not request %s from %s: %s"
                              % (what, host, _excerpt(type(exc).__name__ + ": " + str(exc), 160)))
        try:
            return self._decode(response, what)
        finally:
            response.close()

    def _decode(self, response, what):
        status = response.status_code
        request_id = _request_id(response)
        content_type = response.headers.get("Content-Type", "")
        try:
            body = json.loads(response.content.decode("utf-8")) if response.content else None
        except (ValueError, UnicodeDecodeError):
            body = None
            text = response.content.decode("utf-8", "replace")
            if 200 <= status < 300:
                raise TwilioError("Twilio answered %s with a body that is not valid JSON (HTTP %d, %s): '%s'"
                                  % (what, status, content_type or "no content type", _excerpt(text)),
                                  status=status, request_id=request_id)
            excerpt = _excerpt(re.sub(r"<[^>]*>", " ", text))
        else:
            excerpt = None
        if 200 <= status < 300:
            if not isinstance(body, dict):
                raise TwilioError("Twilio answered %s with JSON that is not an object (HTTP %d)" % (what, status),
                                  status=status, request_id=request_id)
            return body
        raise self._http_error(status, body, excerpt, what, request_id, response)

    def _http_error(self, status, body, excerpt, what, request_id, response):
        body = body if isinstance(body, dict) else {}
        code = body.get("code")
        message = body.get("message") or body.get("detail")
        more_info = body.get("more_info") or body.get("moreInfo")
        said = "Twilio error %s: %s" % (code, message) if code else (message or ("'%s'" % excerpt if excerpt else ""))
        detail = "HTTP %d, %s" % (status, said) if said else "HTTP %d" % status
        said = " (%s)" % said if said else ""
        if 300 <= status < 400:
            msg = ("Twilio answered %s with a redirect (HTTP %d) to %s; redirects are not followed so credentials "
                   "stay on the API host" % (what, status, _excerpt(response.headers.get("Location", "?"))))
        elif status == 401:
            msg = ("Twilio rejected the credentials (HTTP 401%s): check account_sid and auth_token, or api_key and "
                   "api_secret (or the TWILIO_* environment variables)" % (", code %s" % code if code else ""))
        elif status == 403:
            msg = "Twilio refused access to %s (%s): the credentials lack permission" % (what, detail)
        elif status == 404:
            msg = "%s was not found (%s)" % (what[:1].upper() + what[1:], detail)
        elif status == 429:
            msg = "Twilio rate-limited the request for %s (%s)" % (what, detail)
        else:
            msg = "Twilio answered HTTP %d for %s%s" % (status, what, said)
        err = TwilioError(msg, status=status, code=code, more_info=more_info, request_id=request_id,
                          retryable=status in RETRY_STATUSES)
        err.retry_after = response.headers.get("Retry-After")
        return err
