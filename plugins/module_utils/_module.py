# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module of the collection does around its own work.

A module calls ``twilio_module(spec)`` to get an AnsibleModule with the
connection options merged in, ``connect(module)`` to get a client (or a clean
failure), and ``fail(module, err)`` to turn any error into one result shape.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import decimal

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.twilio_community.serverless.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    TwilioClient,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    connection_from_params,
    twilio_argument_spec,
)


def set_aside_infinite_ints(argument_spec, params):
    """Remove whole-number options whose value is infinite; return them as (name, value) pairs.

    ansible-core converts int options through decimal.Decimal, and int() of an
    infinite Decimal raises OverflowError, which it does not catch: ``limit: inf``
    would end in a traceback. Set aside here, such a value is reported as a
    clear failure instead.
    """
    found = []
    for name, spec in argument_spec.items():
        if spec.get("type") != "int" or name not in params:
            continue
        try:
            infinite = decimal.Decimal(str(params[name]).strip()).is_infinite()
        except (decimal.DecimalException, TypeError, ValueError):
            infinite = False
        if infinite:
            found.append((name, params.pop(name)))
    return found


class TwilioModule(AnsibleModule):
    """AnsibleModule that fails cleanly on an infinite whole number (see set_aside_infinite_ints)."""

    def _load_params(self):
        super(TwilioModule, self)._load_params()
        self.infinite_ints = set_aside_infinite_ints(self.argument_spec, self.params)


def twilio_module(argument_spec, **kwargs):
    kwargs.setdefault("supports_check_mode", True)
    module = TwilioModule(argument_spec=twilio_argument_spec(**argument_spec), **kwargs)
    if module.infinite_ints:
        name, value = module.infinite_ints[0]
        module.fail_json(msg="%s: %r is not a whole number; expected a finite whole number" % (name, value))
    return module


def fail(module, err, **result):
    """Fail the task with one shape: ``msg`` plus Twilio's status, code, more_info, request_id."""
    if isinstance(err, TwilioError):
        result.update(err.details())
        module.fail_json(msg=err.msg, **result)
    module.fail_json(msg=str(err), **result)


def connect(module):
    """Validate the connection options and return a TwilioClient, or fail the task."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    try:
        connection = connection_from_params(module.params)
    except OptionError as err:
        fail(module, err)
    if not connection.validate_certs:
        module.warn("validate_certs is false: the TLS certificate of %s is not checked, so the credentials "
                    "could reach an impostor. Use this only for testing." % connection.base_url)
    return TwilioClient(connection)


def run_module(module, run):
    """Call ``run(module, client)`` and exit with its result, failing cleanly on any known error."""
    client = connect(module)
    try:
        result = run(module, client)
    except (OptionError, TwilioError) as err:
        fail(module, err, changed=False, stats=dict(requests=client.requests, retries=client.retries))
    finally:
        client.close()
    module.exit_json(**result)
