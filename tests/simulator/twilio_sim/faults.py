# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection: per route, a queue of faults consumed one request at a time.

A fault is a dict; ``times`` says how many requests it applies to (default 1,
-1 for every request from then on). What it does:

- ``status`` (int): answer with this HTTP status and, by ``body``, a Twilio error
  body (default), an HTML page (``html``), a truncated JSON document
  (``truncated``), or nothing (``empty``); ``json`` (dict) sends that body
  instead (with status 200 when no ``status`` is given); ``retry_after`` adds that header, ``headers`` (dict) any others
  (a ``Location`` for a redirect, say).
- ``drop`` (bool): close the connection without answering.
- ``short`` (bool): promise more bytes in Content-Length than are sent, then close.
- ``delay`` (float seconds): wait first; with nothing else, then answer normally.
- ``next_page_url`` (str): answer normally but with this ``meta.next_page_url``.
- ``commit`` (bool): on a write (an upload, CreateBuild, any POST or DELETE), carry the request out first,
  then answer with the fault (a ``status`` or ``drop``): the write that failed ambiguously
  (commit-then-503: ``{"commit": true, "status": 503}``; commit-then-drop: ``{"commit": true, "drop": true}``).

Routes: the route names of ``ROUTE_TABLE``, each declared next to its handler in a ``resources/`` module
(``create_build``, ``environments``, ...; ``python -m twilio_sim --routes`` lists them), a fault group a module
declares (``uploads`` for either upload: one queue both take from, so faults meet concurrent uploads in the
order they arrive, whatever their kind), or ``*`` for any API route. A route's own queue is used first, then
its group's, then ``*``. ``commit`` acts on writes only. ``domain`` (domains.py: a call to what an environment
serves) takes its own faults only, never ``*``'s, and no ``commit``.
"""

import threading


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._queues = {}

    def add(self, route, faults):
        with self._lock:
            queue = self._queues.setdefault(route, [])
            for fault in faults:
                entry = dict(fault)
                entry.setdefault("times", 1)
                queue.append(entry)

    def clear(self):
        with self._lock:
            self._queues.clear()

    def take(self, route, groups=(), wildcard=True):
        """Return the fault for this request, or None, consuming one use of it: from the route's queue, else
        from its ``groups``' (in order), else (``wildcard``) from ``*``'s."""
        with self._lock:
            for name in (route,) + tuple(groups) + (("*",) if wildcard else ()):
                queue = self._queues.get(name)
                if not queue:
                    continue
                fault = queue[0]
                if fault["times"] > 0:
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        queue.pop(0)
                return dict(fault)
        return None
