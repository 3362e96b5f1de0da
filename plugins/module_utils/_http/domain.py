# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests to an Environment's own domain (``<service>-1234-stage.twil.io``): its Functions and Assets, as a
caller on the internet reaches them.

Never with Twilio's credentials: a session of its own, with no auth and no header of the API client's, and only
to the origin of the domain's base URL. The API client's TLS settings (``validate_certs``, ``ca_path``) and clock
are used. A function call is never retried: it may have effects of its own (a function may send a message), and
a retry would hide what a caller would meet. Redirects are reported, not followed. Nothing here raises on what
the domain answers or on the network: the outcome is a ``Called``, which a check judges.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import excerpt
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import origin, user_agent

try:
    import requests
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import RequestException, SSLError, Timeout
except ImportError:  # the module fails earlier, through _module.connect
    requests = None

# What a check reads of an answer; the rest is left unread (a function may stream a large body).
MAX_BODY_BYTES = 1024 * 1024


class Called:
    """What one request to the domain gave: ``status`` (None when no answer came), ``text`` (the body, at most
    MAX_BODY_BYTES, as UTF-8 with replacements), ``seconds`` it took, and ``error`` (why no answer came)."""

    def __init__(self, status=None, text="", seconds=0.0, error=None):
        self.status = status
        self.text = text
        self.seconds = seconds
        self.error = error


class DomainCaller:
    """Requests to ``base_url`` (an http(s) URL with no query, checked by the caller) and below it only.

    ``client`` is the API client, whose ``verify`` (TLS), ``clock`` and counters of its own are not touched;
    ``calls`` counts the requests sent here.
    """

    def __init__(self, client, base_url, session=None):
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.origin = origin(self.base_url)
        self.session = session if session is not None else requests.Session()
        # Nothing of the API client's session: no credentials, and no header but our name.
        self.session.auth = None
        self.session.headers.clear()
        self.session.headers.update({"User-Agent": user_agent()})
        self.calls = 0

    def close(self):
        self.session.close()

    def url(self, path):
        """The URL of ``path`` (it starts with ``/``) on the domain."""
        return self.base_url + path

    def call(self, method, path, headers=None, data=None, timeout=10.0):
        """Send one request; a Called. ``data`` is a dict (form-encoded) or a string (sent as is)."""
        url = self.url(path)
        host = urlsplit(url).hostname or "?"
        if origin(url) != self.origin:
            # A path cannot move a request off the domain (it starts with "/"); this says so even if one could.
            return Called(error="refused: %s is not on %s" % (excerpt(url), self.base_url))
        self.calls += 1
        started = self.client.clock()
        try:
            response = self.session.request(method, url, headers=headers or None, data=data, timeout=timeout,
                                            allow_redirects=False, verify=self.client.verify, stream=True)
        except SSLError as exc:
            return Called(seconds=self.client.clock() - started, error="TLS verification of %s failed: %s"
                          % (host, excerpt(str(exc), 160)))
        except Timeout:
            return Called(seconds=self.client.clock() - started, error="no answer from %s within %.3g s" % (
                host, timeout))
        except RequestsConnectionError as exc:
            return Called(seconds=self.client.clock() - started, error="connection to %s failed (%s)" % (
                host, excerpt(type(exc).__name__ + ": " + str(exc), 160)))
        except RequestException as exc:
            return Called(seconds=self.client.clock() - started, error="request failed (%s)" % excerpt(
                type(exc).__name__ + ": " + str(exc), 160))
        try:
            body = b""
            try:
                for chunk in response.iter_content(65536):
                    body += chunk
                    if len(body) >= MAX_BODY_BYTES:
                        body = body[:MAX_BODY_BYTES]
                        break
            except RequestException as exc:
                return Called(response.status_code, seconds=self.client.clock() - started,
                              error="the answer was cut short (%s)" % excerpt(type(exc).__name__, 80))
            return Called(response.status_code, body.decode("utf-8", "replace"), self.client.clock() - started)
        finally:
            response.close()
