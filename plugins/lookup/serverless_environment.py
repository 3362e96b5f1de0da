# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: serverless_environment
short_description: An Environment of a Twilio Serverless Service, with the Build live in it
version_added: 0.2.0
description:
  - Returns the Environment named by O(environment) of each Service given, with every field Twilio returns
    (C(build_sid) is the Build live there) and C(build), that Build in full (empty when none is live).
  - For templates, C(when:) conditions and AWX surveys ("what runs in production?") without a task.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio.plugin_options
options:
  _terms:
    description: Services, by SID (V(ZS)...) or unique name.
    required: true
    type: list
    elements: str
  environment:
    description:
      - The Environment, by SID (V(ZE)...), unique name (such as V(production)) or domain suffix (such as
        V(stage)). An unknown one is an error listing those that exist.
    type: str
    required: true
seealso:
  - module: twilio_community.serverless.serverless_environment_info
    description: The same as a task, with the deployment history.
"""

EXAMPLES = r"""
- name: What runs in production
  ansible.builtin.debug:
    msg: "{{ lookup('twilio_community.serverless.serverless_environment', 'acme-ivr', environment='production').build_sid }}"

- name: Promote only when staging runs something newer than production
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: production
    from_environment: staging
  when: >-
    lookup('twilio_community.serverless.serverless_environment', 'acme-ivr', environment='staging').build.date_created
    > lookup('twilio_community.serverless.serverless_environment', 'acme-ivr', environment='production').build.date_created
"""

RETURN = r"""
_raw:
  description: One Environment per Service, with every field Twilio returns and C(build), the live Build in full.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import fetch_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.plugin_utils._connection import (
    run_with_client,
    set_plugin_options,
)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        set_plugin_options(self, variables, kwargs)
        name = self.get_option("environment")
        try:
            services = [check_service(term, "_terms") for term in terms]
            check_environment_name(name)
        except OptionError as err:
            raise AnsibleLookupError("%s: %s" % (self._load_name, err))

        def work(client):
            found = []
            for service in services:
                service_sid = resolve_service(client, service)
                env = dict(find_environment(list_environments(client, service_sid), name, service_sid))
                live = env.get("build_sid")
                # A null build_sid means nothing is live; anything else goes through fetch_build's SID check.
                env["build"] = fetch_build(client, service_sid, live) if live is not None else {}
                found.append(env)
            return found
        return run_with_client(self, work)
