# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: fleet_report
short_description: One report of a release across many Services and accounts
version_added: 0.3.0
description:
  - Turns the hosts of a fleet release (one host per Service of an account, as the
    R(accounts inventory,ansible_collections.twilio_community.serverless.docsite.user_guide) makes them) into one row
    per host and environment and a summary, for one C(run_once) task at the end of the play.
  - "Each host's variables are read: C(release_report), the fact the P(twilio_community.serverless.release#role) role
    sets (the Build live before and after in each environment, its runtime, the verify result, and with
    C(release_report_source=true) the source digest); C(twilio_subaccount_sid), C(twilio_account_friendly_name) and
    C(twilio_service), the accounts inventory's host variables; and C(fleet_error), a message the play's C(rescue)
    may set."
  - A host that failed is never left out. A host without C(release_report), or whose release did not finish
    (C(release_report.complete) is not true), is counted in C(failed) and its source is unknown.
  - The C(same source everywhere) check compares the environments' C(source_sha256), the digest of the files of
    the Build live there (C(build_source_sha256) of M(twilio_community.serverless.serverless_environment_info));
    the same folder built in any Service or account, on any runtime, has the same digest. It holds only when every
    environment of every host has a known digest and there is one digest in all.
  - With AWX job slicing, each slice is a job of its own that sees only its hosts; the recipe in C(docs/awx) shows a
    report over every slice.
options:
  _input:
    description:
      - The hosts' variables, as C(hostvars) (a mapping of host name to its variables), or a list of records, each
        a mapping with C(host) (the host name) and that host's variables (what a job hands on with C(set_stats)).
    type: raw
    required: true
  hosts:
    description:
      - The hosts to report on, in this order, such as C(ansible_play_hosts_all) (every host of the play, the
        failed ones included). Unset, every host of the input.
      - A host named here with no record in a list of records is reported as failed.
    type: list
    elements: str
author:
  - Twilio Community Serverless maintainers (@twilio-community)
seealso:
  - module: twilio_community.serverless.serverless_environment_info
    description: Reports each environment's C(build_source_sha256) with O(twilio_community.serverless.serverless_environment_info#module:source_digest=true).
"""

EXAMPLES = r"""
- name: Report the fleet, and fail unless every service released the same source and passed its verification
  run_once: true
  vars:
    report: "{{ hostvars | twilio_community.serverless.fleet_report(ansible_play_hosts_all) }}"
  block:
    - name: Show the report
      ansible.builtin.debug:
        msg: "{{ report.summary }}"

    - name: Check it
      ansible.builtin.assert:
        that:
          - report.summary.failed == 0
          - report.summary.verify_failed == 0
          - report.summary.same_source
        fail_msg: "failed: {{ report.summary.failed_hosts }}; sources: {{ report.summary.sources }}"

- name: From records handed on by set_stats, each with its host
  ansible.builtin.debug:
    msg: "{{ records | twilio_community.serverless.fleet_report }}"
  vars:
    records:
      - host: helpline-ke_ivr
        twilio_subaccount_sid: AC0123456789abcdef0123456789abcdef
        release_report: {complete: true, service: ivr, environments: []}
"""

RETURN = r"""
_value:
  description: The report.
  type: dict
  contains:
    rows:
      description: One per host and environment, in the order of the hosts; one row with a null C(environment) for
        a host that has no environment in its report (it failed before its first deployment).
      type: list
      elements: dict
      contains:
        host:
          description: The inventory host.
          type: str
          sample: helpline-ke_ivr
        account_sid:
          description: The host's C(twilio_subaccount_sid); null if it has none.
          type: str
          sample: AC0123456789abcdef0123456789abcdef
        account_name:
          description: The host's C(twilio_account_friendly_name); null if it has none.
          type: str
          sample: Helpline Kenya
        service:
          description: The Service's unique name (C(twilio_service), else the role's C(release_service)).
          type: str
          sample: ivr
        service_sid:
          description: The Service's SID, once the release knew it.
          type: str
          sample: ZS0123456789abcdef0123456789abcdef
        environment:
          description: The environment, as the release named it; null for a host that reached none.
          type: str
          sample: production
        build_before:
          description: The Build live there before the release; null if none was.
          type: str
          sample: ZBfedcba9876543210fedcba9876543210
        build_after:
          description: The Build live there after it.
          type: str
          sample: ZB0123456789abcdef0123456789abcdef
        changed:
          description: Whether the release made a new Build live there.
          type: bool
        runtime:
          description: The runtime of the Build live there after the release.
          type: str
          sample: node22
        verified:
          description: The verification's verdict; null when nothing was verified (no checks, check mode).
          type: bool
        source_sha256:
          description: The digest of the files of the Build live there; null when unknown (see the role's
            C(release_report_source)).
          type: str
          sample: 3f0c8a1d5b7e9f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a
        failed:
          description: Whether this host's release failed or did not finish.
          type: bool
        error:
          description: Why, when it failed (C(fleet_error), else what the report found missing).
          type: str
    summary:
      description: The fleet at a glance.
      type: dict
      contains:
        hosts:
          description: Hosts reported.
          type: int
          sample: 200
        accounts:
          description: Distinct accounts (C(twilio_subaccount_sid)) among them; the hosts without one (Services of
            the main account) count as one.
          type: int
          sample: 50
        services:
          description: Distinct Services (per account).
          type: int
          sample: 200
        changed:
          description: Hosts where the release made a Build live somewhere.
          type: int
          sample: 3
        failed:
          description: Hosts whose release failed or did not finish.
          type: int
          sample: 0
        verify_failed:
          description: Hosts with an environment whose verification failed.
          type: int
          sample: 0
        same_source:
          description: Whether every environment of every host runs a Build of the same source (one digest, none
            unknown).
          type: bool
        sources:
          description: Each digest, with the hosts that run it somewhere (a host is under two digests when its
            environments differ).
          type: dict
          sample: {3f0c8a1d5b7e9f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a: [helpline-ke_ivr, helpline-ug_ivr]}
        unknown_source:
          description: Hosts with an environment whose source is not known (failed hosts among them).
          type: list
          elements: str
        failed_hosts:
          description: The hosts counted in C(failed).
          type: list
          elements: str
        verify_failed_hosts:
          description: The hosts counted in C(verify_failed).
          type: list
          elements: str
        changed_hosts:
          description: The hosts counted in C(changed).
          type: list
          elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.twilio_community.serverless.plugins.plugin_utils._fleet_report import (
    FleetReportError,
    fleet_report,
)


def fleet_report_filter(hosts_vars, hosts=None):
    try:
        return fleet_report(hosts_vars, hosts)
    except FleetReportError as err:
        raise AnsibleFilterError(str(err))


class FilterModule(object):
    def filters(self):
        return {"fleet_report": fleet_report_filter}
