#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_build_info
short_description: List or fetch the Builds of a Twilio Serverless Service
version_added: 0.1.0
description:
  - Lists the Builds of a Twilio Serverless Service, newest first, or fetches the Builds named by O(sids).
  - The Twilio API can neither filter nor count Builds. This module filters client-side by O(status),
    O(runtime), O(created_after) and O(created_before), and stops reading pages as soon as it has O(limit)
    matching Builds, or once Builds are older than O(created_after) (Twilio lists Builds newest first).
    Asking for the newest completed Build therefore usually costs one request.
  - The Service may be named by SID or by unique name; a unique name costs one request to resolve.
  - Every request is a read, so the module never changes anything and never reports C(changed).
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
      - Fetch exactly these Builds (SIDs starting with V(ZB)), and return them in this order.
      - A Build that does not exist fails the task, naming it.
      - The filters and O(limit) apply to the fetched Builds too.
    type: list
    elements: str
  status:
    description:
      - Keep only Builds with one of these statuses. Filtered client-side.
    type: list
    elements: str
    choices:
      - building
      - completed
      - failed
  runtime:
    description:
      - Keep only Builds with one of these runtimes, such as V(node22). Filtered client-side.
      - Not limited to a fixed list, because Twilio adds runtimes before its API description names them.
    type: list
    elements: str
  created_after:
    description:
      - Keep only Builds created after this ISO 8601 date-time, such as V(2026-11-24T08:00:00Z).
      - A value without a time zone is taken as UTC; a date alone means its midnight.
      - Reading stops at the first older Build.
    type: str
  created_before:
    description:
      - Keep only Builds created before this ISO 8601 date-time. Read as O(created_after) is.
    type: str
  limit:
    description:
      - Return at most this many Builds, the newest first; reading stops as soon as there are this many.
      - If not set, every matching Build is returned.
    type: int
  fields:
    description:
      - Return only these fields of each Build, such as V(sid), V(status) and V(date_created); every field when
        not set. Filters still see every field.
      - A listing of many Builds costs Ansible time in proportion to the size of the result (it copies, scrubs
        and serialises it more than once); asking for three fields of 10,000 Builds makes the task several times
        faster than asking for all of them.
    type: list
    elements: str
    choices: [sid, account_sid, service_sid, asset_versions, function_versions, dependencies, runtime, status,
              date_created, date_updated, url, links]
  page_size:
    description:
      - How many Builds to ask Twilio for per page, from 1 to 1000.
      - If not set, the module picks the size costing fewest requests, O(limit) (at most 1000) when no filter
        is set, otherwise 1000.
    type: int
seealso:
  - module: twilio_community.serverless.serverless_build_wait
    description: Wait for Builds to complete or fail.
  - name: Twilio Serverless Build API
    description: The API this module reads.
    link: https://www.twilio.com/docs/serverless/api/resource/build
"""

EXAMPLES = r"""
- name: Find the newest completed build
  twilio_community.serverless.serverless_build_info:
    service: acme-ivr
    status: completed
    limit: 1
  register: newest_good

- name: Show its SID
  ansible.builtin.debug:
    msg: "Newest good build: {{ newest_good.builds[0].sid }}"
  when: newest_good.builds | length > 0

- name: Builds of the last 24 hours
  twilio_community.serverless.serverless_build_info:
    service: ZS0123456789abcdef0123456789abcdef
    created_after: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() - 86400, utc=true) }}"
  register: recent

- name: Failed builds on node18
  twilio_community.serverless.serverless_build_info:
    service: acme-ivr
    status: failed
    runtime: node18

- name: Fetch two builds by SID
  twilio_community.serverless.serverless_build_info:
    service: acme-ivr
    sids:
      - ZB0123456789abcdef0123456789abcdef
      - ZBfedcba9876543210fedcba9876543210

- name: Set credentials once for every module of the collection
  module_defaults:
    group/twilio_community.serverless.twilio:
      account_sid: "{{ twilio_account_sid }}"
      auth_token: "{{ twilio_auth_token }}"
  block:
    - name: The five newest builds
      twilio_community.serverless.serverless_build_info:
        service: acme-ivr
        limit: 5

- name: API key authentication from TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET
  twilio_community.serverless.serverless_build_info:
    service: acme-ivr
    limit: 1
  environment:
    TWILIO_ACCOUNT_SID: "{{ lookup('ansible.builtin.env', 'CI_TWILIO_ACCOUNT_SID') }}"
    TWILIO_API_KEY: "{{ lookup('ansible.builtin.env', 'CI_TWILIO_API_KEY') }}"
    TWILIO_API_SECRET: "{{ lookup('ansible.builtin.env', 'CI_TWILIO_API_SECRET') }}"
"""

RETURN = r"""
builds:
  description:
    - The matching Builds, newest first (in the order of O(sids) when given), with every field Twilio returns.
    - An empty list when nothing matches, and when the task failed.
    - With O(fields), each Build has only those fields.
    - Twilio may send any field as null; the module passes them on as they came.
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The SID of the Build.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    account_sid:
      description: The SID of the Account that created the Build.
      type: str
      sample: AC0123456789abcdef0123456789abcdef
    service_sid:
      description: The SID of the Service of the Build.
      type: str
      sample: ZS0123456789abcdef0123456789abcdef
    status:
      description: The status of the Build, V(building), V(completed) or V(failed).
      type: str
      sample: completed
    asset_versions:
      description: The Asset Versions in the Build, each a dict with C(sid), C(asset_sid), C(path), C(visibility)
        and dates.
      type: list
      elements: dict
      sample:
        - sid: ZN0123456789abcdef0123456789abcdef
          asset_sid: ZH0123456789abcdef0123456789abcdef
          path: /styles.css
          visibility: public
    function_versions:
      description: The Function Versions in the Build, each a dict with C(sid), C(function_sid), C(path),
        C(visibility) and dates.
      type: list
      elements: dict
      sample:
        - sid: ZN0123456789abcdef0123456789abcdee
          function_sid: ZH0123456789abcdef0123456789abcdee
          path: /hello
          visibility: public
    dependencies:
      description: The npm dependencies of the Build, each a dict with C(name) and C(version).
      type: list
      elements: dict
      sample:
        - name: twilio
          version: 5.3.1
    runtime:
      description: The Node.js runtime the Build runs on.
      type: str
      sample: node22
    date_created:
      description: When the Build was created, ISO 8601 in UTC.
      type: str
      sample: "2026-11-24T08:00:00Z"
    date_updated:
      description: When the Build was last updated, ISO 8601 in UTC.
      type: str
      sample: "2026-11-24T08:00:41Z"
    url:
      description: The absolute URL of the Build.
      type: str
      sample: https://serverless.twilio.com/v1/Services/ZS0123456789abcdef0123456789abcdef/Builds/ZB0123456789abcdef0123456789abcdef
    links:
      description: URLs of related resources; C(build_status) is the Build's Status.
      type: dict
      sample:
        build_status: https://serverless.twilio.com/v1/Services/ZS0123456789abcdef0123456789abcdef/Builds/ZB0123456789abcdef0123456789abcdef/Status
service_sid:
  description: The SID of the Service, also when O(service) was a unique name; null if the task failed before it
    was known.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 1
    pages:
      description: Pages of the Build listing read.
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BUILD_FIELDS,
    check_build_filter,
    fetch_build,
    list_builds,
    MAX_PAGE_SIZE,
    only_fields,
    STATUSES,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service, check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    sids=dict(type="list", elements="str"),
    status=dict(type="list", elements="str", choices=list(STATUSES)),
    runtime=dict(type="list", elements="str"),
    created_after=dict(type="str"),
    created_before=dict(type="str"),
    limit=dict(type="int"),
    page_size=dict(type="int"),
    fields=dict(type="list", elements="str", choices=list(BUILD_FIELDS)),
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(builds=[], service_sid=None, stats=dict(requests=0, pages=0, retries=0))


def check_params(params):
    """Validate every option of this module before any request; raise OptionError."""
    check_service(params["service"])
    for sid in params.get("sids") or []:
        check_sid(sid, "ZB", "sids")
    if params.get("page_size") is not None:
        check_range("page_size", params["page_size"], 1, MAX_PAGE_SIZE, unit="a whole number")
    return check_build_filter(params)


def run(module, client, result):
    params = module.params
    build_filter = check_params(params)
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    stats = result["stats"]

    def count_page(page):
        stats["pages"] += 1

    if params["sids"]:
        keep = only_fields(params["fields"])
        builds = [keep(b) for b in (fetch_build(client, service_sid, sid) for sid in params["sids"])
                  if build_filter.matches(b)]
        if params["limit"]:
            builds = builds[:params["limit"]]
    else:
        builds = list_builds(client, service_sid, build_filter, params["limit"], params["page_size"], count_page,
                             params["fields"])
    result["builds"] = builds
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT, mutually_exclusive=[("sids", "page_size")])
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
