# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pruning builds: which ones may go (pure), and the deletes (one request per build).

Twilio keeps every Build of a Service and offers no clean-up (serverless-toolkit #311). The rule here is
the one safety needs: a Build that an Environment runs is never deleted, nor one that has not finished
(``building``, or a status Twilio did not send: unknown is treated as not finished), whatever ``keep`` says.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import is_sid

# Only a build that ended may be deleted.
FINISHED = ("completed", "failed")
# What the result shows of each build (the whole record holds every version SID).
SHOWN_FIELDS = ("sid", "status", "runtime", "date_created")


class PrunePlan:
    """``delete``: the build records to delete, newest first; ``kept``: SIDs kept as the newest completed;
    ``live``: SID -> names of the environments running it; ``unfinished``: SIDs not finished."""

    def __init__(self, delete, kept, live, unfinished):
        self.delete = delete
        self.kept = kept
        self.live = live
        self.unfinished = unfinished


def live_builds(environments):
    """Build SID -> unique names (else SIDs) of the environments running it."""
    live = {}
    for env in environments:
        sid = env.get("build_sid")
        if is_sid(sid, "ZB"):
            live.setdefault(sid, []).append(env.get("unique_name") or env.get("sid") or "?")
    return live


def plan_prune(builds, environments, keep=None):
    """Which of ``builds`` (a newest-first listing, as Twilio lists them) to delete.

    With ``keep`` (a whole number), the ``keep`` newest completed builds stay (a live one among them counts),
    and so does every live or unfinished build; the other builds go. Without ``keep``, every given build
    goes unless live or unfinished (the one-build case). A record without a valid SID is left alone: it
    cannot be named in a request.
    """
    live = live_builds(environments)
    delete, kept, unfinished, seen = [], [], [], set()
    for build in builds:
        sid = build.get("sid")
        if not is_sid(sid, "ZB") or sid in seen:
            continue
        seen.add(sid)
        status = build.get("status")
        if keep is not None and status == "completed" and len(kept) < keep:
            kept.append(sid)
        elif sid in live:
            continue
        elif status not in FINISHED:
            unfinished.append(sid)
        else:
            delete.append(build)
    return PrunePlan(delete, kept, dict((sid, names) for sid, names in live.items() if sid in seen), unfinished)


def refusal(plan, sid):
    """Why the one build ``sid`` cannot be deleted; None when it can (or is gone)."""
    if sid in plan.live:
        return ("Build %s is live in environment %s; deploy another build there before deleting it"
                % (sid, ", ".join(sorted(plan.live[sid]))))
    if sid in plan.unfinished:
        return "Build %s has not finished; it can be deleted once it is completed or failed" % sid
    return None


def shown(build):
    return dict((field, build.get(field)) for field in SHOWN_FIELDS)
