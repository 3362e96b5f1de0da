#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_build_wait
short_description: Wait for Twilio Serverless Builds to complete or fail
version_added: 0.1.0
description:
  - Polls the Status of one or more Builds of a Twilio Serverless Service until each is V(completed) or
    V(failed), or until O(timeout) has passed, and returns each finished Build in full.
  - The Twilio API has no way to wait for a Build, and its Build Status resource says nothing of why a Build
    failed. This module polls that resource, the one Twilio recommends for polling, on a schedule that starts
    fast and backs off, then fetches the finished Build once so a failure comes with its runtime,
    dependencies, function and asset versions and dates.
  - While two or more Builds are pending, one listing of the Service's newest Builds reads all their statuses
    at once (a Build it does not reach is polled on its own), so waiting for 50 Builds takes about as many
    requests as waiting for one, and as long as the slowest.
  - A failed Build fails the task, naming the Build, unless O(fail_on_failed=false).
  - Every request is a read, so the module never reports C(changed) and does the same in check mode.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.read_only
  - twilio_community.serverless.service
options:
  sids:
    description:
      - The Builds to wait for, by SID (V(ZB) followed by 32 hexadecimal digits).
      - A Build that does not exist fails the task at once, naming it.
      - Exactly one of O(sids) and O(latest) is required.
    type: list
    elements: str
  latest:
    description:
      - Wait for the newest Build of the Service, whatever its status.
      - Exactly one of O(sids) and O(latest=true) is required.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait in all, for every Build together, measured on a monotonic clock.
      - The last poll starts exactly at this deadline (and may take up to 5 seconds), so a Build that finishes
        in the last interval is not reported as timed out; no wait runs past it. The task then fails, naming
        the Builds still building with their last status and poll count.
      - Retries of a poll (see O(retries)) count toward it.
      - For waits longer than the job's connection allows, run the task with C(async) and C(poll).
    type: float
    default: 600
  poll_interval:
    description:
      - Seconds between the first and the second poll of a Build. The first poll is immediate.
      - Each later gap is twice the one before, with 10% random jitter, up to O(max_poll_interval).
        With the defaults a Build is polled at about 0, 1, 3, 7, 12, 17, ... seconds, so a Build taking a minute
        costs 15 polls where a fixed one-second poll costs 60, and is seen done at most 5 seconds late.
    type: float
    default: 1
  max_poll_interval:
    description:
      - The longest gap between two polls of a Build, in seconds; at least O(poll_interval).
      - It bounds how late a finished Build is noticed.
    type: float
    default: 5
  prediction:
    description:
      - Whether to time the polls by the Service's history. Builds of one Service take about as long as each
        other, so the module reads how long its recent completed Builds took (from Twilio's own timestamps, one
        small listing, or none extra with O(latest)) and the awaited Build's age (from Twilio's clock, the
        HTTP C(Date) header, so this machine's clock does not matter). It then polls at once, at most twice
        more before the expected finish, every O(poll_interval) around it (within 10% of the expected
        duration), and with gaps doubling up to O(max_poll_interval) if the Build runs late.
      - With fewer than 3 completed Builds in the history, or no C(Date) header, the Build is polled on the
        schedule O(poll_interval) describes, as with V(false).
    type: bool
    default: true
  fail_on_failed:
    description:
      - Whether a Build that failed fails the task.
      - With V(false) the task succeeds with a warning and reports RV(status=failed), so a playbook can branch on it.
    type: bool
    default: true
seealso:
  - module: twilio_community.serverless.serverless_build_info
    description: List and filter Builds, for example to find the newest completed one.
  - name: Twilio Serverless Build Status API
    description: The resource this module polls.
    link: https://www.twilio.com/docs/serverless/api/resource/build#fetch-a-build-status
"""

EXAMPLES = r"""
- name: Wait for one build
  twilio_community.serverless.serverless_build_wait:
    service: acme-ivr
    sids: ZB0123456789abcdef0123456789abcdef

- name: Wait for the newest build of the service
  twilio_community.serverless.serverless_build_wait:
    service: acme-ivr
    latest: true
    timeout: 300
  register: waited

- name: Wait for several builds at once
  twilio_community.serverless.serverless_build_wait:
    service: ZS0123456789abcdef0123456789abcdef
    sids:
      - ZB0123456789abcdef0123456789abcdef
      - ZBfedcba9876543210fedcba9876543210

- name: Branch on failure instead of failing
  twilio_community.serverless.serverless_build_wait:
    service: acme-ivr
    latest: true
    fail_on_failed: false
  register: result

- name: Roll back when the build failed
  ansible.builtin.debug:
    msg: "Build {{ result.builds[0].sid }} failed on {{ result.builds[0].build.runtime }}; not promoting"
  when: result.status == 'failed'

- name: A long wait in AWX, without holding the connection open
  twilio_community.serverless.serverless_build_wait:
    service: acme-ivr
    latest: true
    timeout: 1800
  async: 1900
  poll: 15

- name: Credentials once, for every module of the collection
  module_defaults:
    group/twilio_community.serverless.twilio:
      account_sid: "{{ twilio_account_sid }}"
      api_key: "{{ twilio_api_key }}"
      api_secret: "{{ twilio_api_secret }}"
  block:
    - name: Wait for the newest build
      twilio_community.serverless.serverless_build_wait:
        service: acme-ivr
        latest: true
"""

RETURN = r"""
status:
  description:
    - V(completed) if every Build completed, V(failed) if every Build finished and one or more failed, and
      V(building) if the wait ended before every Build finished (the deadline passed, or polling failed, as
      C(msg) and RV(error) say).
    - Null only when the task failed before any Build was polled (a bad option, an unknown Service).
  returned: always
  type: str
  sample: completed
elapsed:
  description: Seconds the wait took; 0 if it never started.
  returned: always
  type: float
  sample: 41.07
polls:
  description: Times a Build's status was read, for all Builds together (one listing reads several); see
    RV(stats.requests) for the requests sent.
  returned: always
  type: int
  sample: 11
predicted_seconds:
  description:
    - When the last awaited Build was expected to finish, in seconds from the start of the wait, from the
      Service's history (see O(prediction)); null without a prediction.
  returned: always
  type: float
  sample: 41.0
service_sid:
  description: The SID of the Service, also when O(service) was a unique name; null if the task failed before it
    was known.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
builds:
  description:
    - One entry per awaited Build, in the order of O(sids), with what was last known of it, also when the task
      failed; empty if it failed before the Builds were known.
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The SID of the Build.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    status:
      description: The last status seen, V(building), V(completed) or V(failed); null if the Build was never polled.
      type: str
      sample: completed
    elapsed:
      description: Seconds from the start of the wait until the Build was seen done (or the wait ended).
      type: float
      sample: 12.01
    polls:
      description: Times this Build's status was read.
      type: int
      sample: 5
    predicted_seconds:
      description: When this Build was expected to finish, in seconds from the start of the wait; null without a
        prediction.
      type: float
      sample: 41.0
    build:
      description:
        - The finished Build with every field Twilio returns, as RV(ignore:builds) of
          M(twilio_community.serverless.serverless_build_info) describes them.
        - Empty while the Build is still building, or when it finished so close to the deadline that there
          was no time left to fetch it (the module then warns).
      type: dict
      sample:
        sid: ZB0123456789abcdef0123456789abcdef
        status: completed
        runtime: node22
        date_created: "2026-11-24T08:00:00Z"
        date_updated: "2026-11-24T08:00:41Z"
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 7
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
error:
  description: What Twilio or the network said, when the task failed because of it.
  returned: on failure from the API
  type: dict
  contains:
    http_status:
      description: The HTTP status of the last answer; null for a network failure.
      returned: failure
      type: int
      sample: 503
    code:
      description: Twilio's error code, if it sent one.
      returned: failure
      type: int
      sample: 20503
    more_info:
      description: Twilio's link explaining the error code, if it sent one.
      returned: failure
      type: str
      sample: https://www.twilio.com/docs/errors/20503
    request_id:
      description: The C(Twilio-Request-Id) of the last answer, to quote to Twilio support.
      returned: failure
      type: str
      sample: RQ0123456789abcdef0123456789abcdef
"""

from ansible_collections.twilio_community.serverless.plugins.module_utils._build_wait import wait_for_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._builds import (
    BuildFilter,
    list_builds,
    newest_build_sid,
    resolve_service,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION, check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._sids import check_service, check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._prediction import HISTORY_PAGE_SIZE
from ansible_collections.twilio_community.serverless.plugins.module_utils._waiter import PredictiveSchedule, Schedule

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    sids=dict(type="list", elements="str"),
    latest=dict(type="bool", default=False),
    timeout=dict(type="float", default=600.0),
    poll_interval=dict(type="float", default=1.0),
    max_poll_interval=dict(type="float", default=5.0),
    fail_on_failed=dict(type="bool", default=True),
    prediction=dict(type="bool", default=True),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(status=None, elapsed=0.0, polls=0, predicted_seconds=None, service_sid=None, builds=[],
                    stats=dict(requests=0, retries=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service(params["service"])
    sids = params.get("sids") or []
    if bool(sids) == bool(params.get("latest")):
        raise OptionError("sids", "give the Builds to wait for in sids, or set latest to true (exactly one of them)")
    for sid in sids:
        check_sid(sid, "ZB", "sids")
    if len(set(sids)) != len(sids):
        raise OptionError("sids", "names a Build more than once")
    check_range("timeout", params.get("timeout"), 0, 86400, above=True)
    check_range("poll_interval", params.get("poll_interval"), 0, 3600, above=True)
    check_range("max_poll_interval", params.get("max_poll_interval"), 0, 3600, above=True)
    if params["max_poll_interval"] < params["poll_interval"]:
        raise OptionError("max_poll_interval", "%s is below poll_interval (%s); expected at least poll_interval"
                          % (params["max_poll_interval"], params["poll_interval"]))


def run(module, client, result):
    params = module.params
    check_params(params)
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    recent = None
    if params["latest"]:
        # The newest build, and with prediction the history too, from one small listing.
        recent = list_builds(client, service_sid, BuildFilter(),
                             limit=HISTORY_PAGE_SIZE if params["prediction"] else 1)
    sids = list(params["sids"] or []) or [newest_build_sid(recent, service_sid)]
    schedule = (PredictiveSchedule if params["prediction"] else Schedule)(params["poll_interval"],
                                                                          params["max_poll_interval"])
    outcome = wait_for_builds(client, service_sid, sids, schedule, params["timeout"], recent, params["prediction"])
    builds = [b.summary() for b in outcome.builds]
    result.update(status=outcome.status, elapsed=round(outcome.elapsed, 3), polls=outcome.polls, builds=builds,
                  predicted_seconds=outcome.predicted_seconds)
    if outcome.late:
        module.warn("Build %s finished at the deadline; its details were not fetched" % ", ".join(outcome.late))
    if outcome.error is not None:
        raise outcome.error
    if outcome.timed_out:
        waiting = [b for b in builds if b["status"] not in ("completed", "failed")]
        raise TaskFailed("Timed out after %.1f s waiting for %d of %d builds of service %s: %s" % (
            outcome.elapsed, len(waiting), len(builds), service_sid,
            ", ".join("%s (last status %s, %d polls)" % (b["sid"], b["status"] or "unknown", b["polls"])
                      for b in waiting)))
    failed = [b for b in builds if b["status"] == "failed"]
    if failed:
        runtime = (failed[0]["build"] or {}).get("runtime")
        msg = "Build %s of service %s failed after %.1f s%s; see builds[].build for its runtime, dependencies and " \
              "versions" % (", ".join(b["sid"] for b in failed), service_sid, outcome.elapsed,
                            " (runtime %s)" % runtime if len(failed) == 1 and runtime else "")
        if params["fail_on_failed"]:
            raise TaskFailed(msg)
        module.warn(msg)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
