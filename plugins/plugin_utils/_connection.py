# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection options of a lookup plugin, through the same validation and client as the modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleLookupError
from ansible.utils.display import Display

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import subaccount_connection
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import HAS_REQUESTS, TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    connection_from_params,
)


def set_plugin_options(plugin, variables, kwargs):
    """Load the plugin's options. Variables reach a lookup untemplated, so the connection variables
    (``twilio_*``) are templated first: ``twilio_account_sid: "{{ vault_sid }}"`` then works as in a task."""
    if variables:
        variables = dict(variables)
        for name, value in list(variables.items()):
            if name.startswith("twilio_") and isinstance(value, str) and "{" in value:
                variables[name] = plugin._templar.template(value)
    plugin.set_options(var_options=variables, direct=kwargs)


def plugin_client(plugin):
    """A TwilioClient for the plugin's connection options; AnsibleLookupError with the modules' message if bad."""
    if not HAS_REQUESTS:
        raise AnsibleLookupError("the Python library requests is required on the controller for %s"
                                 % plugin._load_name)
    params = dict((name, plugin.get_option(name)) for name in CONNECTION_ARGUMENT_SPEC)
    try:
        connection = connection_from_params(params)
    except OptionError as err:
        raise AnsibleLookupError(str(err))
    if not connection.validate_certs:
        Display().warning("validate_certs is false: the TLS certificate of %s is not checked, so the "
                          "credentials could reach an impostor. Use this only for testing." % connection.base_url)
    try:
        # The subaccount's token stays in this Connection, in memory: a lookup has no output to mask it in.
        connection = subaccount_connection(connection, TwilioClient)
    except TwilioError as err:
        raise AnsibleLookupError("%s: %s" % (plugin._load_name, err.msg))
    return TwilioClient(connection)


def run_with_client(plugin, work):
    """Call ``work(client)`` with a client of its own, closed afterwards; any API or option error becomes one
    AnsibleLookupError line (its messages never hold a secret)."""
    client = plugin_client(plugin)
    try:
        return work(client)
    except (OptionError, TwilioError) as err:
        raise AnsibleLookupError("%s: %s" % (plugin._load_name, getattr(err, "msg", None) or err))
    finally:
        client.close()
