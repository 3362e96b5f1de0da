# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deployments: an environment's history, the roll back rule over it, and making a build live."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    fetch_build,
    list_builds,
    read_build,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    fetch_environment,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import deployments_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write


def read_deployment(record):
    """What the collection decides on in a Deployment record: ``sid``, ``build_sid`` (a Build SID or None) and
    ``date_created`` (a datetime or None)."""
    return dict(sid=readers.sid(record, "sid", "ZD"), build_sid=readers.sid(record, "build_sid", "ZB"),
                date_created=readers.date(record, "date_created"))


def list_deployments(client, service_sid, env_sid, limit=None):
    """Deployments of an environment, newest first.

    Twilio lists them newest first (the Terraform provider relies on it) but
    does not promise it, so they are sorted by date_created here. The sort is
    stable: deployments made in the same second keep the API's order. A sort
    by SID would not do, since Twilio does not make SIDs grow with time.
    """
    records = iter_records(client, deployments_path(service_sid, env_sid),
                           "deployments of environment %s" % env_sid, params={"PageSize": 1000})
    ordered = sorted(records, key=_created, reverse=True)
    return ordered[:limit] if limit else ordered


# A deployment without a readable date sorts as the oldest.
_NO_DATE = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


def _created(deployment):
    return read_deployment(deployment)["date_created"] or _NO_DATE


class RollbackPlan:
    """What ``rollback: true`` would do now, decided from the deployment history alone.

    ``target`` is the Build it would make live, or None. Then ``rolled_back``
    is true when the newest deployment was itself a roll back (nothing to do,
    ``message`` is the warning), and false when a roll back is refused
    (``message`` says why and how to go on).
    """

    def __init__(self, target=None, rolled_back=False, message=None):
        self.target = target
        self.rolled_back = rolled_back
        self.message = message[:1].upper() + message[1:] if message else message


def live_builds(deployments):
    """The Builds an environment ran, newest first, one entry per change: a deployment of the Build that was
    already live changes nothing, so repeats in a row count once. None if a deployment names no valid Build."""
    runs = []
    for deployment in deployments:
        build_sid = read_deployment(deployment)["build_sid"]
        if build_sid is None:
            return None
        if not runs or runs[-1] != build_sid:
            runs.append(build_sid)
    return runs


def rollback_plan(deployments, live_build_sid, env_name="the environment"):
    """Decide what ``rollback: true`` does from ``deployments`` (newest first) and the live Build.

    With B0 the live Build and B1, B2, B3 the Builds live before it, each
    before the next (``live_builds``):

    - B0 new (never live before): roll back to B1;
    - B0 == B2: the newest deployment was a roll back (from B1 to B0), or a
      re-release of B0, which looks the same; change nothing, so that running
      the same roll back twice never puts B1 back;
    - B0 live before, but not as B2: a roll back to a Build named by SID, or a
      re-release of an old Build; the history cannot tell which, and each
      calls for a different answer (nothing, or B1), so refuse;
    - no B1, no history, a live Build the newest deployment did not make live,
      or a deployment without a Build SID: refuse, saying so.
    """
    runs = live_builds(deployments)
    name_it = "name the Build to make live with build: instead"
    if runs is None:
        return RollbackPlan(message="a deployment of %s names no valid Build SID, so the history cannot say which "
                                    "Build ran before; nothing was changed; %s" % (env_name, name_it))
    if not runs or len(runs) == 1 and runs[0] == live_build_sid:
        return RollbackPlan(message="%s has no earlier build to roll back to" % env_name)
    if runs[0] != live_build_sid:
        return RollbackPlan(message="%s runs %s, but its newest deployment made build %s live, so the history does "
                                    "not say what ran before; nothing was changed; %s"
                                    % (env_name, "build %s" % live_build_sid if live_build_sid else "no build",
                                       runs[0], name_it))
    live, before = runs[0], runs[1]
    if len(runs) > 2 and runs[2] == live:
        further = " (build %s ran before %s)" % (runs[3], live) if len(runs) > 3 else ""
        return RollbackPlan(rolled_back=True, message=(
            "%s was already rolled back from build %s to build %s by its newest deployment (or %s was released "
            "again: the history cannot tell which), so nothing was changed. To go further back, name the build "
            "with build:%s; to return to %s, use build: %s" % (env_name, before, live, live, further, before,
                                                               before)))
    if live in runs[3:]:
        return RollbackPlan(message=(
            "the newest deployment of %s made build %s live again after build %s, and %s is not the build that ran "
            "before %s (%s was), so it was a roll back to a build named by SID or a new release of an old build, "
            "and the history cannot tell which; nothing was changed. Name the build to make live with build: "
            "(build %s ran before %s)" % (env_name, live, before, live, before, runs[2], before, live)))
    return RollbackPlan(target=before)


def rollback_target(deployments, live_build_sid):
    """The Build ``rollback: true`` would make live now, or None (see ``rollback_plan``)."""
    return rollback_plan(deployments, live_build_sid).target


def rollback_builds(deployments, live_build_sid, depth=1):
    """(target, builds): the Build ``rollback: true`` would make live now (``rollback_target``, or None), and the
    Builds the environment ran before its live one, newest first, at most ``depth`` of them. When there is a
    target it is the first of them (the Build that ran before the live one); without one (a repeated or refused
    roll back) they are still the builds its message names for ``build:``. A deployment without a valid Build
    SID is passed over here: it names nothing to keep."""
    readable = [deployment for deployment in deployments if read_deployment(deployment)["build_sid"]]
    builds = []
    for build_sid in live_builds(readable):
        if len(builds) >= depth:
            break
        if build_sid != live_build_sid and build_sid not in builds:
            builds.append(build_sid)
    return rollback_target(deployments, live_build_sid), builds


# How many of the service's builds a message about a deleted roll back target names.
NAMED_BUILDS = 5


def fetch_rollback_target(client, service_sid, build_sid, env_name, live_build_sid):
    """The Build a roll back of ``env_name`` would make live; when Twilio no longer has it (404), TaskFailed
    saying it was deleted, naming the service's newest builds and what ``build:`` does instead."""
    try:
        return fetch_build(client, service_sid, build_sid)
    except TwilioError as err:
        if err.http_status != 404:
            raise
    raise TaskFailed(gone_target_message(client, service_sid, build_sid, env_name, live_build_sid))


def gone_target_message(client, service_sid, build_sid, env_name, live_build_sid):
    """Why a roll back to the deleted ``build_sid`` cannot be done, and what to do (one more request: the newest
    builds of the service)."""
    newest = list_builds(client, service_sid, BuildFilter(), limit=NAMED_BUILDS,
                         fields=("sid", "status", "date_created"))
    named = []
    for record in newest:
        read = read_build(record)
        if read["sid"]:
            when = ", %s" % readers.value(record, "date_created") if read["date_created"] else ""
            named.append("%s (%s%s)" % (read["sid"], read["status"] or "status unknown", when))
    if named:
        more = " and older ones" if len(named) >= NAMED_BUILDS else ""
        exist = "the service's builds, newest first: %s%s. To make one of them live" % (", ".join(named), more)
    else:
        exist = "the service has no build left. Once one is built, to make it live"
    return ("A roll back of %s would make build %s live again, but that build no longer exists: it was deleted "
            "(pruned with serverless_build state=absent?); nothing was changed. Now %s, give its SID with build: (a "
            "new deployment; a roll back after it returns to %s)"
            % (env_name, build_sid, exist, "build %s" % live_build_sid if live_build_sid else "no build"))


def rollback_target_exists(client, service_sid, build_sid):
    """Whether Twilio still has the Build ``build_sid`` (one request); False on a 404 only."""
    try:
        fetch_build(client, service_sid, build_sid)
    except TwilioError as err:
        if err.http_status != 404:
            raise
        return False
    return True


class Deployed:
    """What making a build live did: the deployment made (None if none was seen), the environment re-read
    after it, and warnings a person should read."""

    def __init__(self, deployment, environment, warnings):
        self.deployment = deployment
        self.environment = environment
        self.warnings = warnings


def deploy_build(client, service_sid, env_sid, build_sid, env_name):
    """Make ``build_sid`` live in the environment, never by two deployments.

    A 429 is retried by the client (Twilio did not process it). After a 5xx,
    a timeout, a dropped connection or a 409 the POST may have taken effect
    (or a concurrent one did): the environment is re-read, and the POST is
    sent again only if the build is not live, within the client's retry bound.
    """
    path = deployments_path(service_sid, env_sid)
    what = "a deployment of build %s to environment %s" % (build_sid, env_name)
    warnings = []

    def settled():
        if read_environment(fetch_environment(client, service_sid, env_sid))["build_sid"] != build_sid:
            return False, None
        return True, _newest_deployment_of(client, service_sid, env_sid, build_sid)

    def adopted(err, _deployment):
        return ("%s; the environment was re-read and build %s is live there, so the deployment was not sent again"
                % (err.msg, build_sid))
    deployment = reconciled_write(client, lambda: client.post(path, what, {"BuildSid": build_sid}), settled, what,
                                  warnings, also_ambiguous=(409,), adopted=adopted, label="a deployment",
                                  not_done="build %s is not live in environment %s" % (build_sid, env_name))
    environment = fetch_environment(client, service_sid, env_sid)
    if read_environment(environment)["build_sid"] != build_sid:
        raise TwilioError("After deploying build %s, environment %s runs build %s instead" % (
            build_sid, env_name, readers.value(environment, "build_sid")))
    return Deployed(deployment, environment, warnings)


def _newest_deployment_of(client, service_sid, env_sid, build_sid):
    for deployment in list_deployments(client, service_sid, env_sid):
        if read_deployment(deployment)["build_sid"] == build_sid:
            return deployment
    return None
