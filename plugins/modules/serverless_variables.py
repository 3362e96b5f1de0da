#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_variables
short_description: Set, prune or delete the variables of a Twilio Serverless Environment, never showing a value
version_added: 0.3.0
description:
  - Makes the variables of an Environment hold the given keys and values, from O(variables), a C(.env) file
    (O(env_file)), or both. Only what differs is written. Missing keys are created and changed values updated
    in place; other keys are left alone unless O(prune=true). With O(state=absent), the given keys are
    deleted.
  - Values are secrets. They never appear in the result, the diff, a warning or a message, at any verbosity,
    also when they come from O(env_file); the result and the diff name keys only (added, changed, removed).
    Twilio's API returns values in clear text when variables are listed; the module reads them to compare,
    and keeps them in memory only.
  - Checked before any write, each naming the key (never the value); a key is 1 to 128 characters, a value at
    most 450 bytes of UTF-8 (Twilio's limits), and the whole set, as JSON, at most 3 KB. Twilio fails every
    invocation of a function whose context passes about 3 KB (error 82006), a failure only seen at run time;
    the module fails above 3072 bytes and warns from 2560 bytes.
  - A write is never sent twice on faith. After a 5xx, a timeout or a dropped connection the module lists the
    variables again; if the key already reads as wanted it goes on with a warning, otherwise it sends the
    write again, within O(retries).
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
  - twilio_community.serverless.service
options:
  environment:
    description:
      - The Environment, by SID (V(ZE) followed by 32 hexadecimal digits), unique name (such as V(production))
        or domain suffix (such as V(stage)).
    type: str
    required: true
  variables:
    description:
      - Keys and values. A value is a string; a whole number is written in decimal. A boolean, a float, a null,
        a list or a dict is refused, naming its key, rather than converted, because the conversion would change
        it silently (YAML reads V(yes) as a boolean, which Python would write V(True); V(1.10) as the float
        V(1.1)); quote such a value.
      - Keys given here win over the same keys from O(env_file).
      - With O(state=absent), only the keys are used.
      - The values, and those read from O(env_file), are registered as secrets (C(no_log)), so Ansible masks them
        in the result and its messages (a very short value, V(1), then inside other strings too), such as a Twilio
        error that quotes one. It does not mask warnings, so the module never puts a value in one.
    type: dict
  env_file:
    description:
      - A C(.env) file on the managed node, read with the Twilio serverless toolkit's rules (dotenv 6.2), so a
        toolkit project's file means the same here. One C(KEY=VALUE) per line, the key made of letters, digits,
        V(_), V(.) and V(-); one pair of surrounding quotes removed; C(\n) becomes a newline only inside double
        quotes; no C(export) (such a line is skipped), no inline comments (a C(#) after a value is part of the value);
        a key given twice keeps its last value; lines that are not C(KEY=VALUE), comments included, are skipped.
      - Each line skipped (other than a blank line or a comment), such as C(export X=1) or C(MY KEY=x), and each
        line a later one of the same key replaces, is named in a warning with its line number and key, never its
        value.
      - V(ACCOUNT_SID) and V(AUTH_TOKEN) are dropped, with a warning, as the toolkit drops them (they are the
        deploy's own credentials; M(twilio_community.serverless.serverless_service) puts them in the context with
        O(twilio_community.serverless.serverless_service#module:include_credentials)).
      - The file must be UTF-8.
    type: path
  prune:
    description:
      - Delete the Environment's variables whose keys are not given (in O(variables) or O(env_file)).
      - Not looked at with O(state=absent).
    type: bool
    default: false
  state:
    description:
      - V(present) creates and updates the given keys (and, with O(prune=true), deletes the others).
      - V(absent) deletes the given keys; keys that do not exist are not an error.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Variables are not versioned with Builds, so deploying or rolling back a Build does not change them.
seealso:
  - module: twilio_community.serverless.serverless_environment
    description: The Environment itself.
  - name: Twilio Serverless Variable API
    description: The resource this module manages.
    link: https://www.twilio.com/docs/serverless/api/resource/variable
  - name: Twilio error 82006
    description: What happens when the context is too big.
    link: https://www.twilio.com/docs/api/errors/82006
"""

EXAMPLES = r"""
- name: Variables of staging, from vault
  twilio_community.serverless.serverless_variables:
    service: acme-ivr
    environment: staging
    variables:
      GREETING: Welcome to ACME
      CRM_API_KEY: "{{ vault_crm_api_key }}"
      MAX_RETRIES: 3

- name: Production from the project's .env, with one value overridden, and no other keys left
  twilio_community.serverless.serverless_variables:
    service: acme-ivr
    environment: production
    env_file: "{{ project_dir }}/.env.production"
    variables:
      CRM_API_KEY: "{{ vault_crm_api_key_production }}"
    prune: true

- name: Which keys would change, without changing them or showing a value
  twilio_community.serverless.serverless_variables:
    service: acme-ivr
    environment: production
    env_file: "{{ project_dir }}/.env.production"
  check_mode: true
  diff: true

- name: Remove a key
  twilio_community.serverless.serverless_variables:
    service: acme-ivr
    environment: staging
    variables:
      OLD_FEATURE_FLAG: ""
    state: absent
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null if the task failed before it was known, or in check mode when the Service does not exist yet.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment_sid:
  description: The SID of the Environment; null if the task failed before it was known, or in check mode when the
    Environment does not exist yet.
  returned: always
  type: str
  sample: ZE0123456789abcdef0123456789abcdef
variables:
  description: The keys, by what the task did to them (in check mode, would do); never a value.
  returned: always
  type: dict
  contains:
    added:
      description: Keys created.
      returned: always
      type: list
      elements: str
      sample: [CRM_API_KEY]
    changed:
      description: Keys whose value was updated in place.
      returned: always
      type: list
      elements: str
      sample: [GREETING]
    removed:
      description: Keys deleted (O(prune=true) or O(state=absent)).
      returned: always
      type: list
      elements: str
      sample: []
    unchanged:
      description: Keys given whose value was already the one asked for.
      returned: always
      type: list
      elements: str
      sample: [MAX_RETRIES]
  sample:
    added: [CRM_API_KEY]
    changed: [GREETING]
    removed: []
    unchanged: [MAX_RETRIES]
context_bytes:
  description: The size of the Environment's variables as JSON after the task (in check mode, as they would be),
    the measure of the 3 KB limit; null if the task failed before it was known.
  returned: always
  type: int
  sample: 412
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 6
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
    writes:
      description: Writes sent (POST and DELETE requests), also counted in RV(stats.requests). More than one only
        when Twilio rate-limited one, or one failed without taking effect; each one sent again also counts in
        RV(stats.retries).
      returned: always
      type: int
      sample: 1
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
    find_environment_or_missing,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    missing_in_check_mode,
    resolve_service_or_missing,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.variables import (
    apply,
    budget,
    check_variables,
    diff,
    list_variables,
    plan,
    summary,
    to_text,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.dotenv import read_env_file

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    environment=dict(type="str", required=True),
    variables=dict(type="dict", no_log=True),
    env_file=dict(type="path"),
    prune=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, environment_sid=None,
                    variables=dict(added=[], changed=[], removed=[], unchanged=[]), context_bytes=None,
                    stats=dict(requests=0, retries=0, writes=0))


def check_params(params, warnings=None):
    """Validate every option of this module before any request; raise OptionError. Return the wanted key ->
    value set (env_file's, overridden by variables'); reading env_file is part of the check."""
    check_service(params["service"])
    check_environment_name(params["environment"])
    if params.get("variables") is None and params.get("env_file") is None:
        raise OptionError("variables", "give variables, env_file or both (variables: {} with prune: true deletes "
                                       "every variable)")
    present = params["state"] == "present"
    wanted = {}
    if params.get("env_file") is not None:
        from_file, _dropped = read_env_file(params["env_file"], warnings=warnings)
        check_variables(from_file, "env_file", values=present)
        wanted.update(from_file)
    given = dict((key, to_text(key, value, "variables") if present else "")
                 for key, value in (params.get("variables") or {}).items())
    check_variables(given, "variables", values=present)
    wanted.update(given)
    if present:
        _size, message, over = budget(wanted)
        if over:
            raise OptionError("variables", message + ", so nothing was written")
    return wanted


def run(module, client, result):
    params = module.params
    read_warnings = []
    wanted = check_params(params, read_warnings)
    for warning in read_warnings:
        module.warn(warning)
    # Values read from env_file are secrets like the option's: Ansible then masks them in the result and msg (not
    # in warnings: no warning here holds a value).
    module.no_log_values.update(value for value in wanted.values() if value)
    state = params["state"]
    result["service_sid"] = service_sid = resolve_service_or_missing(client, params["service"], module.check_mode)
    env = None
    if service_sid is not None:
        env = find_environment_or_missing(list_environments(client, service_sid), params["environment"], service_sid,
                                          module.check_mode)
    if env is None:
        # Check mode after a task that would have created the service or the environment: no variables yet.
        name, existing = params["environment"], []
        missing = ("environment %s" % name) if service_sid else ("service %s" % params["service"])
        if wanted and state == "present":
            module.warn(missing_in_check_mode(missing, "its variables would be set"))
    else:
        result["environment_sid"] = env_sid = env["sid"]
        name = env.get("unique_name") or env_sid
        existing = list_variables(client, service_sid, env_sid)
    found = plan(existing, wanted, state, params["prune"])
    size, message, over = budget(found.after)
    result.update(variables=summary(found), context_bytes=size)
    if over and state == "present":
        raise TaskFailed("variables of environment %s: %s, so nothing was written" % (name, message))
    if message and state == "present":
        module.warn("variables of environment %s: %s" % (name, message))
    if not (found.create or found.update or found.delete):
        return result
    result["changed"] = True
    if module._diff:
        result["diff"] = diff(found, name)
    if module.check_mode:
        return result
    warnings = []
    apply(client, service_sid, env_sid, found, warnings)
    for warning in warnings:
        module.warn(warning)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
