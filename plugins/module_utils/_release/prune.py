# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pruning builds: which ones may go (pure), and the release step that deletes them (one request per build).

Twilio keeps every Build of a Service and offers no clean-up (serverless-toolkit #311). The rule here is
the one safety needs: a Build that an Environment runs is never deleted, nor one that has not finished
(``building``, or a status Twilio did not send: unknown is treated as not finished), whatever ``keep`` says.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    delete_builds,
    fetch_build,
    list_builds,
    read_build,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_sid

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
    for record in environments:
        env = read_environment(record)
        if env["build_sid"]:
            live.setdefault(env["build_sid"], []).append(env["unique_name"] or env["sid"] or "?")
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
        read = read_build(build)
        sid, status = read["sid"], read["status"]
        if sid is None or sid in seen:
            continue
        seen.add(sid)
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


def check_prune_params(params):
    """The options of state=absent (``source``, ``build``, ``keep``), before any request; raise OptionError."""
    if params.get("source") is not None:
        raise OptionError("source", "is not used with state=absent; give build or keep")
    if (params.get("build") is None) == (params.get("keep") is None):
        raise OptionError("build", "and keep: give exactly one with state=absent (one Build SID, or how many "
                                   "completed builds to keep)")
    if params.get("build") is not None:
        check_sid(params["build"], "ZB", "build")
    else:
        check_range("keep", params["keep"], 0, unit="builds")


def prune(client, service_sid, build, keep, check_mode, warnings, result):
    """Delete the one Build ``build``, or those ``keep`` does not keep, never a live or unfinished one (a named
    one that is fails the task; one already gone is no change). Fills result builds (deleted, or to delete in
    ``check_mode``) and changed, also when a delete fails half-way; appends to ``warnings``."""
    environments = list_environments(client, service_sid)
    if build is not None:
        try:
            builds = [fetch_build(client, service_sid, build)]
        except TwilioError as err:
            if err.http_status != 404:
                raise
            return result  # already gone
        plan = plan_prune(builds, environments)
        reason = refusal(plan, build)
        if reason:
            raise TaskFailed(reason)
    else:
        plan = plan_prune(list_builds(client, service_sid, BuildFilter(), fields=SHOWN_FIELDS), environments, keep)
    result["builds"] = [shown(record) for record in plan.delete]
    result["changed"] = bool(plan.delete)
    if check_mode or not plan.delete:
        return result
    deleted = []
    try:
        delete_builds(client, service_sid, plan.delete, warnings, deleted)
    finally:
        result["builds"] = [shown(record) for record in deleted]
        result["changed"] = bool(deleted)
    return result
