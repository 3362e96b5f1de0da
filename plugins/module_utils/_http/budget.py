# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How many requests this machine sends one Twilio account at once: the concurrency budget.

Twilio serves about 100 REST requests of one account at once and answers one more with HTTP 429, error 20429
(https://www.twilio.com/docs/errors/20429), not processed. An Ansible run has ``forks`` processes, each module
with up to 10 upload threads: at forks 20, 200 requests. Two limits keep a run under the account's:

- ``MachineSlots``: at most ``max_concurrent_requests`` requests of one account in flight on this machine, across
  every process and thread of this user. A slot is an exclusive ``flock`` on one of N empty files named after the
  account SID in a private (0700) directory of the user. The kernel drops a lock when its holder's file is closed,
  which includes the process dying, so a crashed fork never keeps a slot. No secret is in a name or a file.
- ``AdaptiveCap``: the client's own in-flight cap (its upload threads). A 429 halves it, once per round of
  requests sent under the same cap; each full round of successes raises it by one, up to the thread count, but
  not while ``Twilio-Concurrent-Requests`` (the account's requests in flight, this one included, as Twilio counts
  them) says the account is as busy as when Twilio last refused one: the header of a 429 is the limit plus one. A ``Retry-After`` holds the client's other requests back until it has passed.

The request that got the 429 is sent again by the client's retry loop (client.py), after Retry-After or backoff
with jitter: Twilio did not process it, so this holds for writes too. Nothing here sends anything.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import random
import re
import stat
import tempfile
import threading
import time

try:
    import fcntl
except ImportError:
    # Not POSIX. Ansible controllers are; elsewhere there is no machine-wide limit, the adaptive cap stays.
    fcntl = None

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import DeadlineError, TwilioError

CONCURRENT_HEADER = "Twilio-Concurrent-Requests"
# How long a request waits for a machine-wide slot before the task fails: slots are held one request at a time,
# so only a stuck or stopped process holding them could make a wait this long.
SLOT_WAIT = 300.0
_SAFE_KEY = re.compile(r"\A[A-Za-z0-9]{1,64}\Z")


def budget_key(connection):
    """The account whose limit a request counts against: the account the credentials act in."""
    return connection.account_sid


def slot_directory():
    """Where the slots live: a directory of this user's under the temporary directory (``TMPDIR``)."""
    return os.path.join(tempfile.gettempdir(), "ansible-twilio-serverless-%d" % os.geteuid())


def _private_directory(path):
    """Make ``path`` a directory only this user may use, or raise TwilioError saying why it is not one."""
    def refuse(why):
        return TwilioError("Cannot keep the request slots of max_concurrent_requests in %s: %s. Set TMPDIR to a "
                           "directory of your own, or max_concurrent_requests to 0 to go without the limit on this "
                           "machine" % (path, why))
    try:
        os.mkdir(path, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise refuse(exc.strerror or str(exc))
    found = os.lstat(path)
    if not stat.S_ISDIR(found.st_mode):
        raise refuse("it is not a directory")
    if found.st_uid != os.geteuid():
        # Another user made it first: they could hold every slot, or read what we keep there.
        raise refuse("it belongs to another user (uid %d)" % found.st_uid)
    if stat.S_IMODE(found.st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


class MachineSlots:
    """At most ``count`` holders of ``key``'s slots at once among every process of this user on this machine."""

    def __init__(self, key, count, directory=None, rand=random.random):
        if not _SAFE_KEY.match(key or ""):
            raise ValueError("a slot key is letters and digits, not %r" % (key,))
        self.key = key
        self.count = count
        self.directory = directory
        self.rand = rand
        self._ready = False
        self._lock = threading.Lock()
        # A lock belongs to an open file, and a second flock on the same file in another thread of this process
        # would succeed: slots held here are skipped, not tried.
        self._held = set()
        self.waited = 0.0

    def _path(self, index):
        if not self._ready:
            self.directory = _private_directory(self.directory or slot_directory())
            self._ready = True
        return os.path.join(self.directory, "%s.%d" % (self.key, index))

    def _take(self, index):
        """The open file of slot ``index`` when its lock was free, else None."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(self._path(index), flags, 0o600)
        except OSError as exc:
            raise TwilioError("Cannot open the request slot %s of max_concurrent_requests: %s"
                              % (self._path(index), exc.strerror or exc))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (IOError, OSError) as exc:
            os.close(handle)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return None
            raise TwilioError("Cannot lock the request slot %s of max_concurrent_requests: %s"
                              % (self._path(index), exc.strerror or exc))
        return handle

    def acquire(self, timeout):
        """A held slot ``(index, file)``, or None when none came free within ``timeout`` seconds."""
        start = time.monotonic()
        end = start + timeout
        pause = 0.005
        while True:
            # From a random slot on, so processes do not all queue on slot 0.
            first = int(self.rand() * self.count) % self.count
            for index in [(first + n) % self.count for n in range(self.count)]:
                with self._lock:
                    if index in self._held:
                        continue
                    self._held.add(index)
                try:
                    handle = self._take(index)
                except BaseException:
                    with self._lock:
                        self._held.discard(index)
                    raise
                if handle is not None:
                    with self._lock:
                        self.waited += time.monotonic() - start
                    return index, handle
                with self._lock:
                    self._held.discard(index)
            now = time.monotonic()
            if now >= end:
                return None
            time.sleep(min(end - now, pause * (0.5 + self.rand())))
            pause = min(pause * 2, 0.1)

    def release(self, slot):
        index, handle = slot
        try:
            os.close(handle)  # drops the lock
        finally:
            with self._lock:
                self._held.discard(index)


class AdaptiveCap:
    """The client's own in-flight cap: halved by a 429, raised by one after each full round of successes."""

    def __init__(self, ceiling):
        self.ceiling = max(1, ceiling)
        self.cap = self.ceiling
        self.lowest = self.ceiling
        self.in_flight = 0
        self.throttled = 0
        # A round: the requests sent under one cap. Only a round's first 429 halves it; the rest were sent
        # before the cap went down and say nothing new.
        self.round = 0
        self._successes = 0
        # How many requests of the account Twilio served when it last refused one: Twilio-Concurrent-Requests of
        # the 429, less the refused request itself.
        self.account_limit = None
        self._cond = threading.Condition()

    def acquire(self, timeout):
        """The round the request is sent in, or None when the cap kept it back for ``timeout`` seconds."""
        end = time.monotonic() + timeout
        with self._cond:
            while self.in_flight >= self.cap:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            self.in_flight += 1
            return self.round

    def release(self):
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def answered(self, sent_in, status, concurrent=None):
        """Learn from an answer to a request sent in round ``sent_in``: 429 halves, success raises."""
        with self._cond:
            if status == 429:
                self.throttled += 1
                if concurrent is not None:
                    self.account_limit = max(1, concurrent - 1)
                if sent_in == self.round:
                    self.cap = max(1, self.cap // 2)
                    self.lowest = min(self.lowest, self.cap)
                    self.round += 1
                    self._successes = 0
            elif 200 <= status < 300:
                if self.cap >= self.ceiling or (concurrent is not None and self.account_limit is not None
                                                and concurrent >= self.account_limit):
                    return
                self._successes += 1
                if self._successes >= self.cap:
                    self.cap += 1
                    self.round += 1
                    self._successes = 0
                    self._cond.notify_all()


def _header_count(headers):
    value = (headers or {}).get(CONCURRENT_HEADER)
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


class Budget:
    """Both limits for one client: ``with budget.request(wait):`` around one attempt, ``answered`` on its answer.

    ``max_concurrent_requests`` 0 (or no ``fcntl``) means no machine-wide slots. ``clock`` and ``sleep`` are the
    client's, for the Retry-After pause only; the waits for a slot are real time.
    """

    def __init__(self, key, max_concurrent_requests, ceiling, directory=None, clock=time.monotonic,
                 sleep=time.sleep, rand=random.random):
        self.key = key
        self.max_concurrent_requests = max_concurrent_requests
        self.slots = (MachineSlots(key, max_concurrent_requests, directory, rand)
                      if max_concurrent_requests and fcntl is not None else None)
        self.cap = AdaptiveCap(ceiling)
        self.clock = clock
        self.sleep = sleep
        # How long a request waits for its place when no deadline says otherwise.
        self.slot_wait = SLOT_WAIT
        self._resume_at = None
        self._paused_by = None

    @classmethod
    def for_connection(cls, connection, ceiling, clock=time.monotonic, sleep=time.sleep, rand=random.random):
        return cls(budget_key(connection), connection.max_concurrent_requests, ceiling, clock=clock, sleep=sleep,
                   rand=rand)

    def request(self, deadline_wait=None):
        """One attempt's place; waited for up to ``slot_wait`` seconds, or ``deadline_wait`` (the caller's
        deadline: running out of it is a DeadlineError)."""
        return _Ticket(self, deadline_wait)

    def throttled(self, retry_after):
        """A 429 said to wait ``retry_after`` seconds (or None): the client's other requests wait too; the one
        that got it waits in the retry loop."""
        if retry_after:
            self._resume_at = max(self._resume_at or 0, self.clock() + retry_after)
            self._paused_by = threading.current_thread()

    def _pause(self):
        resume_at = self._resume_at
        if resume_at is None or self._paused_by is threading.current_thread():
            return
        wait = resume_at - self.clock()
        if wait > 0:
            self.sleep(wait)


class _Ticket:
    """One attempt's place in the budget: the cap, then a slot; both given back whatever happens."""

    def __init__(self, budget, deadline_wait):
        self.budget = budget
        self.error = TwilioError if deadline_wait is None else DeadlineError
        self.wait = budget.slot_wait if deadline_wait is None else deadline_wait
        self.sent_in = None
        self.slot = None

    def __enter__(self):
        budget = self.budget
        budget._pause()
        self.sent_in = budget.cap.acquire(self.wait)
        if self.sent_in is None:
            raise self.error("No request could start within %.3g seconds: this task's own requests in flight "
                             "held every place" % self.wait)
        try:
            if budget.slots is not None:
                self.slot = budget.slots.acquire(self.wait)
                if self.slot is None:
                    raise self._no_slot()
        except BaseException:
            budget.cap.release()
            raise
        return self

    def _no_slot(self):
        budget = self.budget
        msg = ("Waited %.3g seconds for one of the %d request slots of account %s on this machine "
               "(max_concurrent_requests): other processes hold them all. Lower forks or throttle, or raise "
               "max_concurrent_requests within the account's limit" % (self.wait, budget.max_concurrent_requests,
                                                                        budget.key))
        return self.error(msg)

    def answered(self, status, headers):
        self.budget.cap.answered(self.sent_in, status, _header_count(headers))

    def __exit__(self, *exc):
        try:
            if self.slot is not None:
                self.budget.slots.release(self.slot)
                self.slot = None
        finally:
            self.budget.cap.release()
        return False
