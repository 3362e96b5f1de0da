# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Making a Build live in an Environment, and the roll back: one path for ``serverless_deployment`` (a Build,
a promotion, ``rollback: true``) and for ``serverless_verify``'s ``rollback_on_failure``.

The roll back is decided from the Environment's Deployments alone (``_api/deployments.py``'s
``rollback_plan``): running it twice never toggles between two Builds, whichever module ran it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import build_status, fetch_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.deployments import (
    deploy_build,
    fetch_rollback_target,
    list_deployments,
    rollback_plan,
    rollback_target,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import read_environment
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown


class EnvironmentState:
    """An Environment as a release step reads it: ``record`` (as Twilio sent it), ``read`` (read_environment),
    ``name`` (its unique name, else its SID), ``live`` (the Build it runs, or None), ``history`` (its
    Deployments, newest first) and ``plan`` (what ``rollback: true`` would do now)."""

    def __init__(self, record, read, name, history, plan):
        self.record = record
        self.read = read
        self.name = name
        self.live = read["build_sid"]
        self.history = history
        self.plan = plan


def environment_state(client, service_sid, environment):
    """Read the history of ``environment`` (a record from list_environments); an EnvironmentState."""
    read = read_environment(environment)
    name = read["unique_name"] or read["sid"]
    history = list_deployments(client, service_sid, read["sid"])
    plan = rollback_plan(history, read["build_sid"], "environment %s of service %s" % (name, service_sid))
    return EnvironmentState(environment, read, name, history, plan)


class Released:
    """What making a Build live did (or, in check mode, would do): ``changed``, ``build_sid`` (live now),
    ``build`` (its record), ``environment`` (re-read after a change), ``deployment`` (the one made, else None),
    ``rollback_build_sid`` (what a roll back would make live afterwards), ``previous_build_sid`` (live before),
    ``warnings`` and ``diff``."""

    def __init__(self, state):
        self.changed = False
        self.build_sid = state.live
        self.previous_build_sid = state.live
        self.build = {}
        self.environment = state.record
        self.deployment = None
        self.rollback_build_sid = state.plan.target
        self.warnings = []
        self.diff = None


def diff_side(name, build):
    return {"environment": name, "build_sid": build.get("sid"), "build_date_created": build.get("date_created"),
            "build_runtime": build.get("runtime")}


def release_build(client, service_sid, state, build_sid, check_mode, diff=False, build=None):
    """Make ``build_sid`` live in the Environment of ``state``, unless it is already; a Released.

    The Build must be ``completed`` (TaskFailed otherwise, naming its status as read). In check mode nothing is
    sent. The deployment itself is ``deploy_build``'s: never two for one task.
    """
    done = Released(state)
    if build is None:
        build = fetch_build(client, service_sid, build_sid)
    done.build = build
    if build_sid == state.live:
        return done
    status = build_status(build)
    if status != "completed":
        # The status as read (any case Twilio used); one the API does not document is quoted as sent.
        sent = readers.value(build, "status")
        told = status or ("of status %s" % shown(sent) if sent is not None else "of unknown status")
        raise TaskFailed("Build %s of service %s is %s, not completed; it cannot be deployed to %s. Wait for it with "
                         "twilio_community.serverless.serverless_build_wait (or the build_gate role) first"
                         % (build_sid, service_sid, told, state.name))
    done.changed = True
    done.build_sid = build_sid
    # What a roll back would do once this deployment is the newest (in check mode, had it been made).
    done.rollback_build_sid = rollback_target([{"build_sid": build_sid}] + state.history, build_sid)
    if diff:
        before = fetch_build(client, service_sid, state.live) if state.live else {}
        done.diff = dict(before=diff_side(state.name, before), after=diff_side(state.name, build),
                         before_header="environment %s" % state.name, after_header="environment %s" % state.name)
    if check_mode:
        return done
    deployed = deploy_build(client, service_sid, state.read["sid"], build_sid, state.name)
    done.warnings.extend(deployed.warnings)
    done.environment, done.deployment = deployed.environment, deployed.deployment
    return done


def roll_back(client, service_sid, state, check_mode, diff=False):
    """``rollback: true``: make live the Build that ran before the newest Deployment; a Released.

    When the newest Deployment was itself a roll back, nothing changes and the Released carries the plan's
    warning; when the history cannot say what ran before, TaskFailed with the plan's message.
    """
    plan = state.plan
    if plan.rolled_back:
        # Already rolled back: running the same roll back again must not undo it.
        done = Released(state)
        done.warnings.append(plan.message)
        done.build = fetch_build(client, service_sid, state.live)
        return done
    if plan.target is None:
        raise TaskFailed(plan.message)
    # A target deleted since (pruned) fails naming the builds that exist, not as a bare 404.
    build = fetch_rollback_target(client, service_sid, plan.target, "environment %s of service %s"
                                  % (state.name, service_sid), state.live)
    return release_build(client, service_sid, state, plan.target, check_mode, diff, build)
