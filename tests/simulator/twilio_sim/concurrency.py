# SPDX-License-Identifier: GPL-3.0-or-later
"""Twilio's per-account concurrency limit: how many API requests of one account are in flight.

Twilio counts the REST requests of an account that are being served at once; one more than its limit is
answered HTTP 429 with error 20429 and not processed (https://www.twilio.com/docs/errors/20429), and every
answer says in ``Twilio-Concurrent-Requests`` how many were in flight, itself included. The limit is
``--account-concurrency N``, the seed's ``account_concurrency`` or ``POST /__sim/account_concurrency``
(0 or none: no limit; the header is sent either way). ``peak`` and ``refused`` (per account SID) let a test
assert what the server saw, not what a client claims.
"""

import threading

HEADER = "Twilio-Concurrent-Requests"


class AccountConcurrency:
    def __init__(self, limit=0):
        self._lock = threading.Lock()
        self.limit = 0
        self.set_limit(limit)
        self.in_flight = {}
        self.peak = {}
        self.refused = {}

    def set_limit(self, limit):
        limit = int(limit or 0)
        if limit < 0:
            raise ValueError("account_concurrency must be 0 (no limit) or more, not %d" % limit)
        with self._lock:
            self.limit = limit

    def enter(self, account_sid):
        """Count a request of ``account_sid`` in; return (admitted, in flight with it). A request refused is not
        counted in (the caller must not call leave for it): Twilio did not process it."""
        with self._lock:
            count = self.in_flight.get(account_sid, 0) + 1
            if self.limit and count > self.limit:
                self.refused[account_sid] = self.refused.get(account_sid, 0) + 1
                return False, count
            self.in_flight[account_sid] = count
            self.peak[account_sid] = max(self.peak.get(account_sid, 0), count)
            return True, count

    def leave(self, account_sid):
        with self._lock:
            self.in_flight[account_sid] -= 1

    def reset(self):
        """Forget the peaks and refusals (not the requests in flight)."""
        with self._lock:
            self.peak = {}
            self.refused = {}

    def describe(self):
        with self._lock:
            return {"limit": self.limit, "in_flight": dict(self.in_flight), "peak": dict(self.peak),
                    "refused": dict(self.refused)}


def set_account_concurrency(sim, body):
    """``limit`` (0: none) from now on; the peaks and refusals counted so far are forgotten."""
    sim.concurrency.set_limit(body.get("limit", 0))
    sim.concurrency.reset()
    return 200, sim.concurrency.describe()


def get_account_concurrency(sim, body):  # pylint: disable=unused-argument
    return 200, sim.concurrency.describe()


CONTROL = {
    ("POST", "/__sim/account_concurrency"): set_account_concurrency,
    ("GET", "/__sim/account_concurrency"): get_account_concurrency,
}
