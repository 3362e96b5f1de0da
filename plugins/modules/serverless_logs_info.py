#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_logs_info
short_description: Read the Logs of a Twilio Serverless Environment
version_added: 0.3.0
description:
  - Reads the Logs that the Functions of an Environment wrote (C(console.log), C(console.warn), C(console.error))
    in a time window, newest first, each once; what C(twilio serverless:logs) shows, for a pipeline.
  - The Twilio API filters Logs by Function and time only. This module keeps only the Logs of O(build),
    O(deployment) or O(level) itself, client-side.
  - Twilio returns at most 10,000 Logs for one query. When a window's listing reaches that many, the module
    splits the window in two halves and reads each the same way, so a busy hour is read whole; a log met twice
    is returned once. Only a second holding more than 10,000 Logs cannot be read whole; then RV(truncated)
    is true and a warning names the window.
  - Twilio allows 5 requests per second on its Logs listing. The module keeps to it by itself, and a 429
    answer is retried after the time Twilio asks for (Retry-After), within O(retries).
  - Twilio keeps Logs for 30 days, and only an Environment with a deployed Build has any.
  - Every request is a read, so the module never reports C(changed) and does the same in check mode.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.read_only
  - twilio_community.serverless.service
options:
  environment:
    description:
      - The Environment whose Logs to read, by SID (V(ZE) followed by 32 hexadecimal digits), unique name or
        domain suffix.
      - An Environment that does not exist fails the task, listing those that do.
    type: str
    required: true
  function:
    description:
      - Only the Logs of this Function, by path (V(/hello)) or by SID (V(ZH) followed by 32 hexadecimal digits).
        Twilio filters by it.
      - A path is looked up among the Service's Functions (one request); a path that is not one fails the task,
        listing those that are.
    type: str
  since:
    description:
      - The start of the window, as an ISO 8601 date-time such as V(2026-11-24T08:00:00Z) (a value without a zone
        is UTC), or as a duration meaning that long ago, such as V(15m), V(2h), V(1d) or V(1h30m) (units V(s),
        V(m), V(h), V(d) and V(w)).
      - Durations count back from the clock of the host the module runs on.
      - If not set, one hour before O(until).
      - A value not before O(until) is refused.
    type: str
  until:
    description:
      - The end of the window, written as O(since) is. If not set, now.
    type: str
  build:
    description:
      - Only the Logs written while this Build ran (V(ZB) followed by 32 hexadecimal digits). Filtered
        client-side.
      - Mutually exclusive with O(deployment), which names one Build already.
    type: str
  deployment:
    description:
      - Only the Logs written under this Deployment (V(ZD) followed by 32 hexadecimal digits). Filtered
        client-side.
    type: str
  level:
    description:
      - Only the Logs of these levels, V(info), V(warn) or V(error), in any case; V(warning) is read as
        V(warn). Filtered client-side. Any other value is refused.
      - If not set, Logs of every level.
    type: list
    elements: str
  limit:
    description:
      - Return at most this many Logs, the newest. Reading stops at the end of the page where there are this
        many, and RV(truncated) is then true.
    type: int
    default: 1000
seealso:
  - module: twilio_community.serverless.serverless_environment_info
    description: The Environments of a Service and the Build live in each.
  - name: Twilio Serverless Logs API
    description: The resource this module reads, and its limits.
    link: https://www.twilio.com/docs/serverless/api/resource/logs
"""

EXAMPLES = r"""
- name: Errors of the last 15 minutes in production
  twilio_community.serverless.serverless_logs_info:
    service: acme-ivr
    environment: production
    since: 15m
    level: error
  register: errors

- name: Fail when there were any
  ansible.builtin.assert:
    that: errors.counts.error == 0
    fail_msg: "{{ errors.counts.error }} errors, the newest: {{ errors.logs[0].message | default('') }}"

- name: Everything one function logged under one build, in a given hour
  twilio_community.serverless.serverless_logs_info:
    service: acme-ivr
    environment: stage-environment
    function: /sms/reply
    build: ZB0123456789abcdef0123456789abcdef
    since: "2026-11-24T08:00:00Z"
    until: "2026-11-24T09:00:00Z"
    limit: 100000
  register: replies
"""

RETURN = r"""
logs:
  description:
    - The Logs that match, newest first (those of the same second in the order Twilio listed them), each once;
      at most O(limit).
    - An empty list when nothing matches, and when the task failed.
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The SID of the Log.
      type: str
      sample: NO0123456789abcdef0123456789abcdef
    date_created:
      description: When it was written, ISO 8601 in UTC.
      type: str
      sample: "2026-11-24T08:00:00Z"
    level:
      description: V(info), V(warn) or V(error) (Twilio's level in lower case, V(warning) read as V(warn));
        another level Twilio sends, in lower case; null if it sent none.
      type: str
      sample: error
    message:
      description: The text the Function logged (Twilio keeps the last 3 KB of each invocation).
      type: str
      sample: "TypeError: Cannot read properties of undefined"
    function_sid:
      description: The Function that wrote it.
      type: str
      sample: ZH0123456789abcdef0123456789abcdef
    function_path:
      description: The path of that Function, from the Service's Functions; null when it is not known.
      type: str
      sample: /sms/reply
    build_sid:
      description: The Build that ran.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    deployment_sid:
      description: The Deployment that made that Build live.
      type: str
      sample: ZD0123456789abcdef0123456789abcdef
    request_sid:
      description: The request the Function answered.
      type: str
      sample: RQ0123456789abcdef0123456789abcdef
counts:
  description:
    - How many of RV(logs) there are of each level, V(info), V(warn) and V(error) always; any other level by its
      own name, and V(unknown) for Logs with none.
  returned: always
  type: dict
  sample:
    info: 12
    warn: 1
    error: 0
truncated:
  description:
    - True when there are more Logs that match than RV(logs) holds, because O(limit) was reached or a second
      held more than the 10,000 Logs Twilio returns for one query.
  returned: always
  type: bool
  sample: false
window:
  description: The window read, in whole seconds (O(since) rounded down, O(until) up); its values are null when
    the options were refused.
  returned: always
  type: dict
  contains:
    since:
      description: Its start, ISO 8601 in UTC.
      type: str
      sample: "2026-11-24T08:00:00Z"
    until:
      description: Its end, ISO 8601 in UTC.
      type: str
      sample: "2026-11-24T09:00:00Z"
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
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 4
    pages:
      description: Pages of the Log listing read.
      returned: always
      type: int
      sample: 1
    windows:
      description: Windows queried; one, and two more for each window split because it reached Twilio's limit
        of 10,000 Logs for one query.
      returned: always
      type: int
      sample: 1
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.functions_assets import list_resources
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.logs import (
    check_log_options,
    count_levels,
    DEFAULT_LIMIT,
    find_function,
    function_paths,
    iso,
    read_logs,
    retention_warning,
    shape_log,
    utc_now,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service, is_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    environment=dict(type="str", required=True),
    function=dict(type="str"),
    since=dict(type="str"),
    until=dict(type="str"),
    build=dict(type="str"),
    deployment=dict(type="str"),
    level=dict(type="list", elements="str"),
    limit=dict(type="int", default=DEFAULT_LIMIT),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(logs=[], counts=dict(info=0, warn=0, error=0), truncated=False, window=dict(since=None, until=None),
                    service_sid=None, environment_sid=None, stats=dict(requests=0, pages=0, windows=0, retries=0))


def check_params(params, now=None):
    """Validate every option of this module before any request; return the LogQuery; raise OptionError."""
    check_service(params["service"])
    check_environment_name(params["environment"])
    return check_log_options(params, now or utc_now())


def run(module, client, result, now=None):
    params = module.params
    now = now or utc_now()
    query = check_params(params, now)
    result["window"] = dict(since=iso(query.since), until=iso(query.until))
    warning = retention_warning(query.since, now)
    if warning:
        module.warn(warning)
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    env = find_environment(list_environments(client, service_sid), params["environment"], service_sid)
    # Read as every module reads an Environment: a SID in another case or a null build is not a traceback.
    read = read_environment(env)
    result["environment_sid"] = env_sid = read["sid"]
    if not read["build_sid"]:
        module.warn("Environment %s has no deployed build; Twilio keeps Logs only for environments that have one"
                    % params["environment"])
    paths, function_sid = None, None
    if query.function is not None:
        if not is_sid(query.function, "ZH"):
            paths = function_paths(list_resources(client, service_sid, "function"))
        function_sid = find_function(paths or {}, query.function, service_sid)
    stats = result["stats"]

    def count_page(page):
        stats["pages"] += 1

    found = read_logs(client, service_sid, env_sid, query, function_sid, on_page=count_page)
    stats["windows"] = found.windows
    for since, until in found.unsplit:
        module.warn("Twilio returned its limit of 10,000 Logs for %s to %s, a window too short to split: Logs of it "
                    "may be missing" % (iso(since), iso(until)))
    if paths is None and any(log.get("function_sid") for log in found.logs):
        paths = function_paths(list_resources(client, service_sid, "function"))
    result["logs"] = [shape_log(log, paths or {}) for log in found.logs]
    result["counts"] = count_levels(result["logs"])
    result["truncated"] = found.truncated
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT, mutually_exclusive=[("build", "deployment")])
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
