# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One HTTP client for the Twilio Serverless API: a requests.Session with retries.

Every request has a timeout, goes to the configured API origin only (never a
redirect, never a next page on another host), and every failure becomes a
TwilioError with one line a person can act on. Reads are retried; a write is
retried only when Twilio said it was not processed (429), since after a 5xx,
a timeout or a dropped connection it may have taken effect: the caller
re-reads the state and decides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import email.utils
import json
import platform
import random
import re
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.six.moves.urllib.parse import urljoin, urlsplit

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import excerpt
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.version import (
    COLLECTION_NAME,
    COLLECTION_VERSION,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.budget import Budget
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.retries import (
    parse_retry_after,
    retry_delay,
    RETRY_STATUSES,
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
# Twilio: a 429 "was not processed", so even a write may be sent again after it.
WRITE_RETRY_STATUSES = frozenset((429,))
# Parallel uploads, as the serverless toolkit does (p-limit of 10 in its upload step).
UPLOAD_WORKERS = 10


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


def read_error(body):
    """What an error body says: ``code`` (Twilio's error code, an int, or None), ``message`` and ``more_info``
    (strings or None). Twilio sends ``{code, message, more_info, status}``; some gateways ``detail`` and
    ``moreInfo``; anything else is ignored."""
    code = readers.value(body, "code")
    if isinstance(code, str) and code.strip().isdigit():
        code = int(code)
    elif not isinstance(code, int) or isinstance(code, bool):
        code = None
    return dict(code=code, message=readers.text(body, "message") or readers.text(body, "detail"),
                more_info=readers.text(body, "more_info") or readers.text(body, "moreInfo"))


def user_agent():
    return "%s/%s (python-requests/%s; Python/%s)" % (
        COLLECTION_NAME, COLLECTION_VERSION, getattr(requests, "__version__", "?"), platform.python_version())


def _retry_reason(err):
    if err.http_status == 429:
        return "429 rate limit"
    if err.http_status:
        return str(err.http_status)
    return err.reason or "network error"


class TwilioClient:
    """JSON over HTTP with the Twilio Serverless API, with bounded retries.

    ``clock``, ``sleep`` and ``rand`` are injectable so retry timing can be
    tested without waiting; the clock is also the one every deadline given to
    the client is measured on, so a caller waiting on it uses ``client.clock``.
    ``sent_requests``, ``sent_writes``, ``uploads``, ``bytes_uploaded`` and
    ``retried`` (reason -> count) say what the calls cost.

    ``concurrently`` runs jobs (uploads, and the creates and reads around
    them) in up to ``UPLOAD_WORKERS`` threads. A request made in any thread
    but the one that made the client goes through a session of that thread's
    own, from ``session_factory``: requests does not promise that one Session
    is safe to share between threads (its cookie jar and adapters are shared
    state), and ten sessions cost at most ten connections, which parallel
    requests need anyway. Counters are updated under a lock.

    Every attempt, in any thread, first takes its place in ``budget`` (budget.py): the account's slots on this
    machine (``max_concurrent_requests``) and the client's own cap, which a 429 halves.
    """

    def __init__(self, connection, session=None, clock=time.monotonic, sleep=time.sleep, rand=random.random,
                 session_factory=None):
        if connection.subaccount_sid is not None and connection.username != connection.subaccount_sid:
            # A task on a subaccount sends the main account's credentials to the Accounts API only
            # (_api/accounts.py: subaccount_connection gives the Connection to use here).
            raise TwilioError("Refused to send the main account's credentials to %s: subaccount_sid %s was not "
                              "resolved to its own credentials" % (connection.base_url, connection.subaccount_sid))
        self.connection = connection
        self.base_url = connection.base_url
        self.origin = origin(self.base_url)
        # Where uploads go (set_upload_base_url); until then nothing may be uploaded.
        self.upload_base_url = None
        self.upload_origin = None
        self.uploads = 0
        self.bytes_uploaded = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._owner = threading.current_thread()
        self._thread_sessions = []
        self._pool = None
        self._pool_workers = None
        # An injected session (a test's fake) serves the upload threads too, unless a factory is given.
        self.session_factory = session_factory or ((lambda: session) if session is not None else requests.Session)
        self.clock = clock
        self.sleep = sleep
        self.rand = rand
        self.budget = Budget.for_connection(connection, UPLOAD_WORKERS, clock=clock, sleep=sleep, rand=rand)
        self.sent_requests = 0
        self.sent_writes = 0
        self.retried = collections.Counter()
        # The server's clock as of the last answer (its Date header), and our clock then: the age of a
        # build needs the server's time, since this machine's clock may be off.
        self.server_time = None
        self.server_time_at = None
        self.session = session or requests.Session()
        self.session.auth = (connection.username, connection.password)
        # Given with each request, not set on the session: requests lets REQUESTS_CA_BUNDLE override a
        # session's verify (even False), so ca_path and validate_certs would not win otherwise.
        self.verify = (connection.ca_path or True) if connection.validate_certs else False
        self.session.headers.update({"User-Agent": user_agent(), "Accept": "application/json"})
        if not connection.validate_certs:
            # The module warns once; urllib3 would warn on every request, to stderr.
            try:
                from urllib3.exceptions import InsecureRequestWarning
                requests.packages.urllib3.disable_warnings(InsecureRequestWarning)
            except (ImportError, AttributeError):
                pass

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.session.close()
        for session in self._thread_sessions:
            if session is not self.session:
                session.close()

    def _new_session(self):
        session = self.session_factory()
        session.auth = self.session.auth
        session.headers.update(self.session.headers)
        with self._lock:
            self._thread_sessions.append(session)
        return session

    def _session_here(self):
        """The main session in the thread that made the client; in any other, that thread's own."""
        if threading.current_thread() is self._owner:
            return self.session
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._new_session()
        return session

    # -- what it cost ---------------------------------------------------------
    @property
    def retries(self):
        return sum(self.retried.values())

    def stats(self):
        return {"requests": self.sent_requests, "retries": self.retries, "writes": self.sent_writes,
                "uploads": self.uploads, "bytes_uploaded": self.bytes_uploaded}

    def count_retry(self, reason):
        """Record a retry a caller made (a write re-sent after re-reading the state)."""
        with self._lock:
            self.retried[reason] += 1

    def retry_summary(self):
        """One line for a person reading the job output, or None when nothing was retried."""
        if not self.retried:
            return None
        count = self.retries
        reasons = ", ".join(u"%s \u00d7%d" % (reason, n) for reason, n in
                            sorted(self.retried.items(), key=lambda item: (-item[1], item[0])))
        return u"%d request%s retried: %s" % (count, " was" if count == 1 else "s were", reasons)

    # -- URLs ---------------------------------------------------------------
    def url(self, path):
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def same_origin(self, url):
        return origin(url) == self.origin

    def set_upload_base_url(self, url):
        """Allow uploads to ``url`` (a checked origin, see _options.upload_base_url), and only there."""
        self.upload_base_url = url
        self.upload_origin = origin(url)

    def upload(self, path, what, body, content_type):
        """POST a multipart ``body`` to ``path`` on the upload origin; return the decoded JSON object.

        Sent again after a 429, a 5xx, a timeout or a dropped connection, within ``retries``: an upload
        that took effect anyway leaves an unused version, which Twilio deletes after 7 days, and the
        caller uses only the version of the answer it got.
        """
        if self.upload_base_url is None:
            raise TwilioError("No upload origin is set; refusing to upload %s" % what)
        url = urljoin(self.upload_base_url + "/", path.lstrip("/"))
        found = self._call("POST", url, what, None, body, None, RETRY_STATUSES,
                           headers={"Content-Type": content_type}, upload=True)
        with self._lock:
            self.uploads += 1
            self.bytes_uploaded += len(body)
        return found

    def concurrently(self, jobs, workers=UPLOAD_WORKERS):
        """Run ``jobs`` (callables making requests through this client) at most ``workers`` at a time; return
        their results in order.

        The first failure is raised once every job started has ended; jobs not yet started are cancelled.
        """
        jobs = list(jobs)
        if len(jobs) <= 1 or workers <= 1:
            return [job() for job in jobs]
        if self._pool is None or self._pool_workers != workers:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            # One pool for the client's life: its threads, and so their sessions, serve every call.
            self._pool, self._pool_workers = ThreadPoolExecutor(max_workers=workers), workers
        futures = [self._pool.submit(job) for job in jobs]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            for future in futures:
                if not future.cancelled():
                    future.exception()  # wait for the ones already running
            raise

    # -- requests -----------------------------------------------------------
    def get(self, url, what, params=None, deadline=None):
        """GET ``url`` (a path, or an absolute URL on the API origin) and return the decoded JSON object.

        ``what`` names the resource in messages ("service 'acme'"). With a
        ``deadline`` (a ``clock`` value), no attempt starts and no retry wait
        runs past it, the request timeout shrinks to fit, and running out of
        time raises DeadlineError.
        """
        return self._call("GET", url, what, params, None, deadline, RETRY_STATUSES)

    def post(self, url, what, data):
        """POST form-encoded ``data``; return the decoded JSON object.

        Retried only after a 429. Any other failure raises a TwilioError whose
        ``maybe_committed`` says whether the write may have taken effect.
        """
        return self._call("POST", url, what, None, data, None, WRITE_RETRY_STATUSES)

    def delete(self, url, what):
        """DELETE ``url``; return {} (Twilio answers 204 with no body).

        Retried only after a 429, as any write: after a 5xx, a timeout or a dropped connection the caller
        re-reads (a 404 then means it is gone).
        """
        return self._call("DELETE", url, what, None, None, None, WRITE_RETRY_STATUSES)

    def _call(self, method, url, what, params, data, deadline, retry_statuses, headers=None, upload=False):
        if "://" not in url:
            url = self.url(url)
        if upload and origin(url) != self.upload_origin:
            raise TwilioError("Refused to upload %s to %s: it is not on the configured upload host %s"
                              % (what, excerpt(url), self.upload_base_url))
        if not upload and not self.same_origin(url):
            # Credentials go to the configured API host and nowhere else.
            raise TwilioError("Refused to request %s for %s: it is not on the configured API host %s"
                              % (excerpt(url), what, self.base_url))
        attempt = 0
        while True:
            timeout = self.connection.request_timeout
            if deadline is not None:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    raise DeadlineError("Reached the deadline before requesting %s" % what)
                timeout = min(timeout, remaining)
            try:
                return self._attempt(method, url, what, params, data, timeout, retry_statuses, headers, upload,
                                     deadline_wait=timeout if deadline is not None else None)
            except DeadlineError:
                raise
            except TwilioError as err:
                if not err.retryable or attempt >= self.connection.retries:
                    if err.retryable and attempt:
                        err.amend("gave up after %d retries" % attempt)
                    raise
                delay = retry_delay(attempt, err.retry_after, self.rand)
                if deadline is not None and self.clock() + delay >= deadline:
                    raise DeadlineError("%s; no time left for another retry before the deadline" % err.msg,
                                        err.http_status, err.code, err.more_info, err.request_id)
                self.sleep(delay)
                attempt += 1
                self.count_retry(_retry_reason(err))

    def _attempt(self, method, url, what, params, data, timeout, retry_statuses, headers=None, upload=False,
                 deadline_wait=None):
        # Held from before the request is sent until its answer is read or it failed, never across a retry's wait.
        with self.budget.request(deadline_wait) as place:
            return self._attempt_in_budget(place, method, url, what, params, data, timeout, retry_statuses, headers,
                                           upload)

    def _attempt_in_budget(self, place, method, url, what, params, data, timeout, retry_statuses, headers, upload):
        writing = method != "GET"
        with self._lock:
            self.sent_requests += 1
            if writing:
                self.sent_writes += 1
        host = (self.upload_origin if upload else self.origin)[1]
        # An upload may be sent again after a dropped connection or a timeout (see upload()).
        resend_safe = upload or not writing
        try:
            response = self._session_here().request(method, url, params=params, data=data, timeout=timeout,
                                                    allow_redirects=False, verify=self.verify, headers=headers)
        except SSLError as exc:
            raise TwilioError("TLS verification of %s failed for %s: %s. Give the CA bundle that signs its certificate "
                              "in ca_path (or TWILIO_SERVERLESS_CA_PATH), or set validate_certs to false only for "
                              "testing" % (host, what, excerpt(str(exc), 200)))
        except Timeout:
            if timeout < self.connection.request_timeout:
                # The caller's deadline shortened this request: its deadline ran out, not request_timeout.
                raise DeadlineError("No answer from %s for %s before the deadline" % (host, what))
            raise self._network_error("No answer from %s for %s within %.3g seconds (request_timeout)"
                                      % (host, what, timeout), "timeout", writing, resend_safe)
        except (RequestsConnectionError, ChunkedEncodingError, ContentDecodingError) as exc:
            raise self._network_error("Could not %s %s %s: connection failed (%s)" % (
                "send" if writing else "read", what, "to " + host if writing else "from " + host,
                excerpt(type(exc).__name__ + ": " + str(exc), 160)), "connection error", writing, resend_safe)
        except RequestException as exc:
            # Anything else requests raises (an invalid URL, say) is not worth a retry.
            raise TwilioError("Could not request %s from %s: %s"
                              % (what, host, excerpt(type(exc).__name__ + ": " + str(exc), 160)))
        place.answered(response.status_code, response.headers)
        if response.status_code == 429:
            self.budget.throttled(parse_retry_after(response.headers.get("Retry-After")))
        try:
            return self._decode(response, what, retry_statuses, writing)
        finally:
            response.close()

    @staticmethod
    def _network_error(msg, reason, writing, resend_safe=False):
        return TwilioError(msg, retryable=resend_safe or not writing, reason=reason, maybe_committed=writing)

    def server_now(self):
        """The server's current time (epoch seconds) from its last Date header, or None if it sent none."""
        if self.server_time is None:
            return None
        return self.server_time + (self.clock() - self.server_time_at)

    def _note_server_time(self, response):
        try:
            parsed = email.utils.parsedate_to_datetime(response.headers.get("Date") or "")
        except (TypeError, ValueError, IndexError):
            return
        if parsed is not None and parsed.tzinfo is not None:
            with self._lock:
                self.server_time, self.server_time_at = parsed.timestamp(), self.clock()

    def _decode(self, response, what, retry_statuses, writing):
        status = response.status_code
        request_id = _request_id(response)
        self._note_server_time(response)
        content_type = response.headers.get("Content-Type", "")
        try:
            body = json.loads(response.content.decode("utf-8")) if response.content else None
        except (ValueError, UnicodeDecodeError):
            body = None
            text = response.content.decode("utf-8", "replace")
            if 200 <= status < 300:
                raise TwilioError("Twilio answered %s with a body that is not valid JSON (HTTP %d, %s): '%s'"
                                  % (what, status, content_type or "no content type", excerpt(text)),
                                  http_status=status, request_id=request_id)
            text = excerpt(re.sub(r"<[^>]*>", " ", text))
        else:
            text = None
        if status == 204 and not response.content:
            # No Content: a DELETE's answer.
            return {}
        if 200 <= status < 300:
            if not isinstance(body, dict):
                raise TwilioError("Twilio answered %s with JSON that is not an object (HTTP %d)" % (what, status),
                                  http_status=status, request_id=request_id)
            return body
        raise self._http_error(status, body, text, what, request_id, response, retry_statuses, writing)

    def _http_error(self, status, body, text, what, request_id, response, retry_statuses, writing):
        said_by = read_error(body)
        code, message, more_info = said_by["code"], said_by["message"], said_by["more_info"]
        said = "Twilio error %s: %s" % (code, message) if code else (message or ("'%s'" % text if text else ""))
        detail = "HTTP %d, %s" % (status, said) if said else "HTTP %d" % status
        said = " (%s)" % said if said else ""
        if 300 <= status < 400:
            msg = ("Twilio answered %s with a redirect (HTTP %d) to %s; redirects are not followed so credentials "
                   "stay on the API host" % (what, status, excerpt(response.headers.get("Location", "?"))))
        elif status == 401 and self.connection.subaccount_sid is not None:
            msg = ("Twilio rejected the credentials of subaccount_sid %s (HTTP 401%s), read from the Accounts API at "
                   "the start of this task: the subaccount may have been suspended or closed, or its auth token "
                   "changed, since; check its status and run the task again"
                   % (self.connection.subaccount_sid, ", code %s" % code if code else ""))
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
        return TwilioError(msg, http_status=status, code=code, more_info=more_info, request_id=request_id,
                           retryable=status in retry_statuses, retry_after=response.headers.get("Retry-After"),
                           maybe_committed=writing and status >= 500)
