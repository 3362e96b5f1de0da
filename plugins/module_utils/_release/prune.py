# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pruning builds: which ones may go (pure), and the release step that deletes them (one request per build).

Twilio keeps every Build of a Service and offers no clean-up (serverless-toolkit #311). The rule here is
the one safety needs: a Build that an Environment runs is never deleted, nor the Build a roll back of it would
restore (``rollback_builds`` in ``_api/deployments.py``, the rule ``serverless_deployment`` applies, and up to
``keep_rollbacks`` of the Builds it ran before), nor one that has not finished (``building``, or a status Twilio
did not send: unknown is treated as not finished), whatever ``keep`` says. Knowing the roll back targets costs
one read of the deployments of each Environment that runs a Build.
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
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import (
    list_deployments,
    rollback_builds,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service_or_missing
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
    ``live``: SID -> names of the environments running it; ``unfinished``: SIDs not finished; ``rollbacks``:
    SID -> why roll backs need it (of the listed builds); ``stay``: the listed build records not deleted, newest
    first, each with the ``reason`` it stays."""

    def __init__(self, delete, kept, live, unfinished, rollbacks=None, stay=None):
        self.delete = delete
        self.kept = kept
        self.live = live
        self.unfinished = unfinished
        self.rollbacks = rollbacks or {}
        self.stay = stay or []


def live_builds(environments):
    """Build SID -> unique names (else SIDs) of the environments running it."""
    live = {}
    for record in environments:
        env = read_environment(record)
        if env["build_sid"]:
            live.setdefault(env["build_sid"], []).append(env["unique_name"] or env["sid"] or "?")
    return live


def rollback_needs(histories, environments, depth=1):
    """Build SID -> why roll backs need it (``rollback_builds`` of each environment, ``depth`` deep), from
    ``histories``: environment SID -> its deployments, newest first."""
    needs = {}
    for record in environments:
        env = read_environment(record)
        if env["sid"] not in histories:
            continue
        name = env["unique_name"] or env["sid"]
        target, builds = rollback_builds(histories[env["sid"]], env["build_sid"], depth)
        for build_sid in builds:
            needs.setdefault(build_sid, []).append(
                "the roll back target of environment %s" % name if build_sid == target else
                "ran in environment %s before its live build" % name)
    return needs


def plan_prune(builds, environments, keep=None, rollbacks=None):
    """Which of ``builds`` (a newest-first listing, as Twilio lists them) to delete.

    With ``keep`` (a whole number), the ``keep`` newest completed builds stay (a live one among them counts),
    and so does every live, roll back (``rollbacks``: SID -> reasons, see ``rollback_needs``) or unfinished
    build; the other builds go. Without ``keep``, every given build goes unless live, needed for a roll back
    or unfinished (the one-build case). A record without a valid SID is left alone: it cannot be named in a
    request.
    """
    live = live_builds(environments)
    rollbacks = rollbacks or {}
    delete, kept, unfinished, seen, stay = [], [], [], set(), []
    for build in builds:
        read = read_build(build)
        sid, status = read["sid"], read["status"]
        if sid is None or sid in seen:
            continue
        seen.add(sid)
        reasons = ["live in environment %s" % name for name in sorted(live.get(sid, []))] + rollbacks.get(sid, [])
        if keep is not None and status == "completed" and len(kept) < keep:
            kept.append(sid)
            reasons.append("one of the %d newest completed builds (keep)" % keep)
        elif not reasons and status not in FINISHED:
            unfinished.append(sid)
            reasons.append("not finished (%s)" % (status or "status unknown"))
        elif not reasons:
            delete.append(build)
            continue
        stay.append((build, "; ".join(reasons)))
    return PrunePlan(delete, kept, dict((sid, names) for sid, names in live.items() if sid in seen), unfinished,
                     dict((sid, why) for sid, why in rollbacks.items() if sid in seen), stay)


def refusal(plan, sid):
    """Why the one build ``sid`` cannot be deleted; None when it can (or is gone)."""
    if sid in plan.live:
        return ("Build %s is live in environment %s; deploy another build there before deleting it"
                % (sid, ", ".join(sorted(plan.live[sid]))))
    if sid in plan.rollbacks:
        return ("Build %s is kept for roll backs (%s); it can be deleted once newer deployments leave it out of "
                "the roll back history (keep_rollbacks sets how deep that is)" % (sid, "; ".join(plan.rollbacks[sid])))
    if sid in plan.unfinished:
        return "Build %s has not finished; it can be deleted once it is completed or failed" % sid
    return None


def shown(build, reason=None):
    fields = dict((field, build.get(field)) for field in SHOWN_FIELDS)
    if reason is not None:
        fields["reason"] = reason
    return fields


def read_rollback_needs(client, service_sid, environments, depth):
    """``rollback_needs`` read from Twilio: one listing of deployments per environment that runs a build (an
    environment that runs none has nothing to roll back from)."""
    histories = {}
    for record in environments:
        env = read_environment(record)
        if env["sid"] and env["build_sid"]:
            histories[env["sid"]] = list_deployments(client, service_sid, env["sid"])
    return rollback_needs(histories, environments, depth)


def check_prune_params(params):
    """The options of state=absent (``source``, ``build``, ``keep``, ``keep_rollbacks``), before any request;
    raise OptionError."""
    if params.get("source") is not None:
        raise OptionError("source", "is not used with state=absent; give build or keep")
    if (params.get("build") is None) == (params.get("keep") is None):
        raise OptionError("build", "and keep: give exactly one with state=absent (one Build SID, or how many "
                                   "completed builds to keep)")
    if params.get("build") is not None:
        check_sid(params["build"], "ZB", "build")
    else:
        check_range("keep", params["keep"], 0, unit="builds")
    if params.get("keep_rollbacks") is not None:
        # At least the target itself: pruning never takes a roll back away.
        check_range("keep_rollbacks", params["keep_rollbacks"], 1, 100, unit="builds per environment")


def prune(client, service_sid, build, keep, check_mode, warnings, result, keep_rollbacks=None):
    """Delete the one Build ``build``, or those ``keep`` does not keep, never a live, roll back or unfinished
    one (a named one that is fails the task; one already gone is no change). Fills result builds (deleted, or
    to delete in ``check_mode``), kept (with the reason) and changed, also when a delete fails half-way; appends
    to ``warnings``."""
    environments = list_environments(client, service_sid)
    if build is not None:
        try:
            builds = [fetch_build(client, service_sid, build)]
        except TwilioError as err:
            if err.http_status != 404:
                raise
            return result  # already gone
        needs = read_rollback_needs(client, service_sid, environments, keep_rollbacks or 1)
        plan = plan_prune(builds, environments, rollbacks=needs)
        reason = refusal(plan, build)
        if reason:
            raise TaskFailed(reason)
    else:
        needs = read_rollback_needs(client, service_sid, environments, keep_rollbacks or 1)
        plan = plan_prune(list_builds(client, service_sid, BuildFilter(), fields=SHOWN_FIELDS), environments, keep,
                          needs)
    result["kept"] = [shown(record, reason) for record, reason in plan.stay]
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


def prune_service(client, params, check_mode, warnings, result):
    """serverless_build state=absent: the Service, then prune with the task's options. In check mode a Service
    yet to be made by an earlier task has no build to delete: the result as it is."""
    service_sid = result["service_sid"] = resolve_service_or_missing(client, params["service"], check_mode)
    if service_sid is None:
        return result
    return prune(client, service_sid, params.get("build"), params.get("keep"), check_mode, warnings, result,
                 params.get("keep_rollbacks"))
