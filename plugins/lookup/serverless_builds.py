# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: serverless_builds
short_description: The Builds of a Twilio Serverless Service, newest first, filtered
version_added: 0.2.0
description:
  - Returns the Builds of each Service given, newest first, with every field Twilio returns, for use in
    templates, C(when:) conditions and AWX surveys without a task and a C(register).
  - Filters as M(twilio_community.serverless.serverless_build_info) does, client-side, and stops paging as soon
    as it has O(limit) matching Builds; "the newest completed build" is usually one request.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio.plugin_options
options:
  _terms:
    description: Services, by SID (V(ZS)...) or unique name. The Builds of each, one Service after the other.
    required: true
    type: list
    elements: str
  status:
    description: Keep only Builds with one of these statuses.
    type: list
    elements: str
    choices: [building, completed, failed]
  runtime:
    description: Keep only Builds with one of these runtimes, such as V(node22).
    type: list
    elements: str
  created_after:
    description: Keep only Builds created after this ISO 8601 date-time; a value without a zone is UTC.
    type: str
  created_before:
    description: Keep only Builds created before this ISO 8601 date-time.
    type: str
  limit:
    description: At most this many Builds per Service, the newest first. If not set, every matching Build.
    type: int
seealso:
  - module: twilio_community.serverless.serverless_build_info
    description: The same as a task, with paging statistics.
"""

EXAMPLES = r"""
- name: Deploy the newest completed build
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: staging
    build: "{{ query('twilio_community.serverless.serverless_builds', 'acme-ivr', status='completed', limit=1)[0].sid }}"

- name: The two newest completed builds, with credentials from variables
  ansible.builtin.debug:
    msg: "{{ query('twilio_community.serverless.serverless_builds', 'acme-ivr', status='completed', limit=2)
             | map(attribute='sid') }}"
  vars:
    twilio_account_sid: "{{ vault_twilio_account_sid }}"
    twilio_api_key: "{{ vault_twilio_api_key }}"
    twilio_api_secret: "{{ vault_twilio_api_secret }}"
"""

RETURN = r"""
_raw:
  description: The matching Builds, newest first, each with every field Twilio returns (any may be null).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    check_build_filter,
    list_builds,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.plugin_utils._connection import (
    run_with_client,
    set_plugin_options,
)


def build_filter(options):
    """The filter the options describe; OptionError for a bad one, before any request (the module's check)."""
    return check_build_filter(options)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_plugin_options(self, variables, kwargs)
        options = dict((name, self.get_option(name)) for name in
                       ("status", "runtime", "created_after", "created_before", "limit"))
        try:
            services = [check_service(term, "_terms") for term in terms]
            wanted = build_filter(options)
        except OptionError as err:
            raise AnsibleLookupError("%s: %s" % (self._load_name, err))

        def work(client):
            builds = []
            for service in services:
                builds.extend(list_builds(client, resolve_service(client, service), wanted, options["limit"]))
            return builds
        return run_with_client(self, work)
