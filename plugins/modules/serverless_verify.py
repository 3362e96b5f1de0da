#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_verify
short_description: Verify what a Twilio Serverless Environment runs, and roll it back when it fails
version_added: 0.3.0
description:
  - Calls the Functions and Assets of an Environment's live Build on the Environment's own domain (O(checks)), then
    reads the Logs its live Deployment wrote since it went live (the log gate), and fails when a check fails or
    there are more error Logs than O(max_errors).
  - Twilio has no such check. The module calls the domain as any caller would, never with Twilio's credentials;
    Protected Functions are called signed with C(X-Twilio-Signature), as Twilio signs its webhooks, which needs the
    account's auth token (with O(subaccount_sid), the subaccount's). Private Functions and Assets are served to no
    caller, so a check of one is refused before any Function is called.
  - The log gate waits until O(settle) seconds have passed since the Deployment went live (no wait when they
    have), then reads the Environment's Logs from then (less a minute for clocks that disagree) and keeps those
    of the live Deployment (client-side, as the API has no such filter).
  - No check called and no Log written proves nothing. Then RV(passed) is null, RV(traffic) false, and a warning
    says so; the task does not fail.
  - With O(rollback_on_failure=true), a failure rolls the Environment back through the same path as
    M(twilio_community.serverless.serverless_deployment) with O(twilio_community.serverless.serverless_deployment#module:rollback=true);
    the task still fails, with C(changed) true.
  - A passing verification changes nothing. In check mode no Function is called (a Function may have effects of its
    own, such as sending a message). The checks are reported as not called, the Logs are read, and a failure says
    what a roll back would do. A task with C(check_mode) set to false runs its checks as usual.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.service
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode no Function is called; the Logs are read, and a failure reports what a roll back would do.
      - A task with C(check_mode) false runs its checks even in a check mode run.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
options:
  environment:
    description:
      - The Environment to verify, by SID (V(ZE) followed by 32 hexadecimal digits), unique name or domain suffix.
      - Its live Build and the newest Deployment of that Build are verified.
    type: str
    required: true
  checks:
    description:
      - Requests to send to the Environment's domain, in order, each judged by its answer.
      - Every entry is checked before any request; an entry that is not a mapping, or has a field not listed
        here, is refused.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description:
          - The path to call, starting with C(/), such as V(/hello) or V(/hello?name=ada).
        type: str
        required: true
      method:
        description: The HTTP method (V(GET), V(HEAD), V(POST), V(PUT), V(PATCH), V(DELETE) or V(OPTIONS)).
        type: str
        default: GET
      status:
        description: The HTTP status expected (100 to 599), or a list of those accepted.
        type: raw
        default: 200
      contains:
        description: Text the answer's body must contain. Mutually exclusive with O(checks[].regex).
        type: str
      regex:
        description: A Python regular expression the answer's body must match (searched, not anchored).
        type: str
      headers:
        description: Headers to send. The module adds none of Twilio's credentials, ever.
        type: dict
      body:
        description:
          - A mapping is sent as form fields (in the query string for V(GET), V(HEAD), V(DELETE) and V(OPTIONS));
            those of a V(POST) are signed with the URL for a Protected Function, as Twilio signs a webhook. A
            string is sent as it is.
        type: raw
      timeout:
        description: Seconds to wait for the answer. The call is never repeated.
        type: float
        default: 10
  domain_base_url:
    description:
      - Where the Environment's domain is reached, a template in which V({domain_name}) is the Environment's
        domain name. If not set, V(https://{domain_name}).
      - An http(s) URL, with a path if needed (a proxy for private egress, the simulator), no query or credentials.
      - A Protected Function's signature is over the URL requested, as Twilio signs a webhook; through a proxy that
        changes the URL on its way to Twilio, a Protected Function's check fails with status 401.
      - If not set, the environment variable E(TWILIO_SERVERLESS_DOMAIN_BASE_URL) is used (an empty value counts as
        not set).
    type: str
  settle:
    description:
      - Seconds after the Deployment went live before its Logs are read, for the Logs of the checks and of live
        traffic to arrive. No wait when the Deployment went live longer ago.
    type: int
    default: 10
  max_errors:
    description: Error Logs of the Deployment allowed before the verification fails.
    type: int
    default: 0
  rollback_on_failure:
    description:
      - When the verification fails, make live again the Build that ran before, as
        O(twilio_community.serverless.serverless_deployment#module:rollback=true) does, by the same rules (a roll
        back run twice does not toggle, and one the history cannot decide is refused).
      - Not done when a check was refused before any call (a private path, no auth token to sign).
    type: bool
    default: false
seealso:
  - module: twilio_community.serverless.serverless_logs_info
    description: Read the Logs themselves.
  - module: twilio_community.serverless.serverless_deployment
    description: Deploy, promote and roll back.
  - name: Protected and private Functions
    description: Twilio's visibility rules, and how a protected Function checks its signature.
    link: https://www.twilio.com/docs/serverless/functions-assets/visibility
"""

EXAMPLES = r"""
- name: Verify staging after a release, and roll it back if it fails
  twilio_community.serverless.serverless_verify:
    service: acme-ivr
    environment: staging
    checks:
      - path: /health
        contains: ok
      - path: /sms/reply
        method: POST
        body:
          From: "+15005550006"
          Body: ping
        regex: "<Response>.*</Response>"
      - path: /styles.css
    max_errors: 0
    rollback_on_failure: true
  register: verified

- name: What a verification would find, calling no function
  twilio_community.serverless.serverless_verify:
    service: acme-ivr
    environment: production
    settle: 0
  check_mode: true
"""

RETURN = r"""
passed:
  description:
    - True when every check passed and the error Logs are at most O(max_errors); false when not; null when no
      check was called and the Deployment wrote no Log (see RV(traffic)), or when the task failed before a verdict.
  returned: always
  type: bool
  sample: true
traffic:
  description: Whether a check was called or the Deployment wrote a Log; without either nothing was verified.
  returned: always
  type: bool
  sample: true
checks:
  description: One entry per check, in order.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path called.
      type: str
      sample: /health
    method:
      description: The method.
      type: str
      sample: GET
    visibility:
      description: The path's visibility in the live Build (V(public), V(protected)); null when the Build has no
        such path.
      type: str
      sample: public
    status:
      description: The HTTP status of the answer; null when none came, or in check mode.
      type: int
      sample: 200
    ok:
      description: Whether the answer was as expected; null in check mode.
      type: bool
      sample: true
    seconds:
      description: How long the answer took; null in check mode.
      type: float
      sample: 0.12
    reason:
      description: What was found, such as C(status 500, expected 200), or C(check mode - not called) in check mode.
      type: str
      sample: status 200 as expected
counts:
  description: The Deployment's Logs by level since it went live (V(info), V(warn) and V(error) always).
  returned: always
  type: dict
  sample:
    info: 4
    warn: 0
    error: 0
errors:
  description:
    - The Deployment's first error Logs (at most 20, oldest first), each as M(twilio_community.serverless.serverless_logs_info)
      returns a Log, the message cut to 500 characters.
  returned: always
  type: list
  elements: dict
  sample: []
service_sid:
  description: The SID of the Service; null if the task failed before it was known.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment_sid:
  description: The SID of the Environment; null if the task failed before it was known.
  returned: always
  type: str
  sample: ZE0123456789abcdef0123456789abcdef
verified_build_sid:
  description: The Build verified (live when the task started); null if unknown.
  returned: always
  type: str
  sample: ZB0123456789abcdef0123456789abcdef
deployment_sid:
  description: The Deployment verified (the newest of the verified Build); null if unknown.
  returned: always
  type: str
  sample: ZD0123456789abcdef0123456789abcdef
build_sid:
  description: The Build live now; after a roll back, the Build rolled back to (in check mode, the one that would be).
  returned: always
  type: str
  sample: ZB0123456789abcdef0123456789abcdef
build:
  description: That Build, with every field Twilio returns; empty if unknown.
  returned: always
  type: dict
  sample:
    sid: ZB0123456789abcdef0123456789abcdef
    status: completed
rolled_back:
  description: Whether this task rolled the Environment back (never in check mode).
  returned: always
  type: bool
  sample: false
rollback_build_sid:
  description:
    - The Build a roll back makes live, as O(twilio_community.serverless.serverless_deployment#module:rollback=true)
      decides it from the history read before any roll back; null when a roll back would change nothing or be
      refused, or if unknown.
  returned: always
  type: str
  sample: ZBfedcba9876543210fedcba9876543210
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 8
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
    writes:
      description: Deployments sent (by a roll back), also counted in RV(stats.requests).
      returned: always
      type: int
      sample: 0
    pages:
      description: Pages of the Log listing read.
      returned: always
      type: int
      sample: 1
    calls:
      description: Requests sent to the Environment's domain (not in RV(stats.requests)); never retried.
      returned: always
      type: int
      sample: 3
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import fetch_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.domain import DomainCaller
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import non_empty_env, SERVICE_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._release import verify
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.rollback import (
    environment_state,
    roll_back,
)

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    environment=dict(type="str", required=True),
    checks=dict(type="list", elements="dict", default=[]),
    domain_base_url=dict(type="str", fallback=(non_empty_env, [verify.DOMAIN_BASE_URL_ENV])),
    settle=dict(type="int", default=verify.DEFAULT_SETTLE),
    max_errors=dict(type="int", default=0),
    rollback_on_failure=dict(type="bool", default=False),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(passed=None, traffic=False, checks=[], counts=dict(info=0, warn=0, error=0), errors=[],
                    service_sid=None, environment_sid=None, verified_build_sid=None, deployment_sid=None,
                    build_sid=None, build={}, rolled_back=False, rollback_build_sid=None,
                    stats=dict(requests=0, retries=0, writes=0, pages=0, calls=0))


def check_params(params):
    """Validate every option of this module before any request; return the VerifyOptions; raise OptionError."""
    check_service(params["service"])
    check_environment_name(params["environment"])
    return verify.check_verify_options(params)


def signing_token(params, connection):
    """The auth token (given, with an API key too, or a subaccount's): the only key a signature can be made with."""
    if connection.subaccount_sid is not None:
        return connection.password
    token = params.get("auth_token")
    return token if isinstance(token, str) and token.strip() else None


def roll_back_on_failure(module, client, result, state):
    """Roll back (or, in check mode, say what a roll back would do); the words to add to the failure."""
    try:
        done = roll_back(client, result["service_sid"], state, module.check_mode)
    except TaskFailed as err:
        return "; rollback_on_failure: nothing was rolled back: %s" % err.msg
    for warning in done.warnings:
        module.warn(warning)
    if not done.changed:
        return "; rollback_on_failure: nothing was rolled back: %s" % (done.warnings[0] if done.warnings else "")
    result.update(changed=True, rolled_back=not module.check_mode, build_sid=done.build_sid, build=done.build)
    if module.check_mode:
        return "; rollback_on_failure would make build %s live again (check mode)" % done.build_sid
    return "; rolled back: build %s is live in environment %s again" % (done.build_sid, state.name)


def run(module, client, result):
    params = module.params
    options = check_params(params)
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    env = find_environment(list_environments(client, service_sid), params["environment"], service_sid)
    state = environment_state(client, service_sid, env)
    result["environment_sid"] = env_sid = state.read["sid"]
    if state.live is None:
        raise TaskFailed("Environment %s of service %s runs no build; nothing to verify" % (state.name, service_sid))
    result["verified_build_sid"] = result["build_sid"] = live = state.live
    result["rollback_build_sid"] = state.plan.target
    deployment = verify.live_deployment(state.history, live)
    result["deployment_sid"] = deployment_sid = readers.sid(deployment, "sid", "ZD")
    live_since = verify.went_live(deployment)
    result["build"] = build = fetch_build(client, service_sid, live)
    visibility, functions = verify.served(build)
    token = signing_token(params, client.connection)
    # Every refusal before the first call: a half-run list of checks would prove nothing.
    verify.preflight(options.checks, visibility, token, live)
    caller = DomainCaller(client, verify.domain_base(options.domain_base_url, verify.domain_name_of(env, state.name)))
    try:
        result["checks"] = verify.run_checks(caller, options.checks, visibility, token, module.check_mode)
    finally:
        result["stats"]["calls"] = caller.calls
        caller.close()
    wait = verify.settle_seconds(live_since, verify.server_now(client), options.settle)
    if wait:
        client.sleep(wait)

    def count_page(page):
        result["stats"]["pages"] += 1

    found = verify.read_deployment_logs(client, service_sid, env_sid, deployment_sid, live_since,
                                        verify.server_now(client), on_page=count_page)
    result["counts"], result["errors"] = verify.gate(found.logs, functions)
    result["passed"], result["traffic"] = verify.verdict(result["checks"], result["counts"], options.max_errors,
                                                         len(found.logs))
    if result["passed"] is None:
        module.warn(verify.NO_TRAFFIC % (deployment_sid, live))
    if result["passed"] is not False:
        return result
    msg = verify.failure_message(live, state.name, service_sid, result["checks"], result["counts"], result["errors"],
                                 options.max_errors)
    if params["rollback_on_failure"]:
        msg += roll_back_on_failure(module, client, result, state)
    raise TaskFailed(msg)


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
