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
  - However the polls are timed, a Build that completes or fails is noticed within O(max_poll_interval) plus one
    request. With O(prediction) (the default) the Service's history times the polls so an on-time Build is
    noticed within about a second, at about a quarter of the requests of polling every second.
  - Every request is a read, so the module never reports C(changed) and does the same in check mode. In check
    mode a Service named by unique name that does not exist yet (as when an earlier task of the run would
    create it) has no Build to wait for; the wait is skipped with a warning instead of failing.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.read_only
  - twilio_community.serverless.service
  - twilio_community.serverless.wait
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
    - Null only when the task failed before any Build was polled (a bad option, an unknown Service), or when
      in check mode the Service does not exist yet, so there was nothing to wait for (a warning says so).
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
    was known, or in check mode when the Service does not exist yet.
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    missing_in_check_mode,
    resolve_service_or_missing,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service, check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import wait_for_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import (
    WAIT_ARGUMENT_SPEC,
    wait_options_from_params,
)

ARGUMENT_SPEC = dict(
    ((name, dict(spec)) for name, spec in WAIT_ARGUMENT_SPEC.items()),
    service=dict(SERVICE_OPTION),
    sids=dict(type="list", elements="str"),
    latest=dict(type="bool", default=False),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(status=None, elapsed=0.0, polls=0, predicted_seconds=None, service_sid=None, builds=[],
                    stats=dict(requests=0, retries=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError. Return the WaitOptions."""
    check_service(params["service"])
    sids = params.get("sids") or []
    if bool(sids) == bool(params.get("latest")):
        raise OptionError("sids", "give the Builds to wait for in sids, or set latest to true (exactly one of them)")
    for sid in sids:
        check_sid(sid, "ZB", "sids")
    if len(set(sids)) != len(sids):
        raise OptionError("sids", "names a Build more than once")
    return wait_options_from_params(params)


def run(module, client, result):
    params = module.params
    options = check_params(params)
    result["service_sid"] = service_sid = resolve_service_or_missing(client, params["service"], module.check_mode)
    if service_sid is None:
        module.warn(missing_in_check_mode("service %s" % params["service"], "it would have no build to wait for, so "
                                          "the wait was skipped"))
        return result
    outcome = wait_for_builds(client, service_sid, options, None if params["latest"] else list(params["sids"]))
    result.update(outcome.result())
    outcome.check(options.fail_on_failed, module.warn)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
