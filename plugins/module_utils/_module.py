# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module of the collection does around its own work.

A module calls ``twilio_module(spec, BLANK_RESULT)`` to get an AnsibleModule with the
connection options merged in, then ``run_module(module, run, result)``: it
connects, calls ``run``, and turns every outcome into one result shape (the
documented keys, ``msg`` on failure, API details under ``error``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import decimal
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import subaccount_connection
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    TwilioClient,
)
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
    """AnsibleModule that fails cleanly on an infinite whole number (see set_aside_infinite_ints), and whose
    every failure returns the module's documented keys (``blank_result``).

    Ansible's own option checks (types, choices, required and mutually exclusive options) fail from inside
    AnsibleModule's constructor, before ``run_module`` has a result to return: without the blank result here,
    a ``limit: abc`` would return ``msg`` alone.
    """

    def __init__(self, *args, **kwargs):
        self.blank_result = kwargs.pop("blank_result", None) or {}
        super(TwilioModule, self).__init__(*args, **kwargs)

    def _load_params(self):
        super(TwilioModule, self)._load_params()
        self.infinite_ints = set_aside_infinite_ints(self.argument_spec, self.params)

    def fail_json(self, msg, **kwargs):
        for name, value in getattr(self, "blank_result", {}).items():
            kwargs.setdefault(name, copy.deepcopy(value))
        kwargs.setdefault("changed", False)
        super(TwilioModule, self).fail_json(msg=msg, **kwargs)


def twilio_module(argument_spec, blank_result=None, **kwargs):
    """An AnsibleModule with the connection options; ``blank_result`` is the module's BLANK_RESULT."""
    kwargs.setdefault("supports_check_mode", True)
    return TwilioModule(argument_spec=twilio_argument_spec(**argument_spec), blank_result=blank_result, **kwargs)


def fail(module, err, result):
    """Fail the task with ``result`` (every documented key) and ``msg``; API details under ``error``."""
    result = dict(result)
    if isinstance(err, TwilioError):
        result["error"] = err.error()
    module.fail_json(msg=getattr(err, "msg", None) or str(err), **result)


def connect(module, clients):
    """Validate the connection options and return a TwilioClient; raise OptionError, or TwilioError when
    subaccount_sid cannot be used. Each client made (the Accounts API's, the Serverless API's) is appended to
    ``clients``: the result's stats count their requests."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    connection = connection_from_params(module.params)
    if not connection.validate_certs:
        module.warn("validate_certs is false: the TLS certificate of %s is not checked, so the credentials "
                    "could reach an impostor. Use this only for testing." % connection.base_url)
    # A read, so in check mode too.
    connection = subaccount_connection(connection, TwilioClient, clients)
    if connection.subaccount_sid is not None:
        # The subaccount's auth token is no option's value, so Ansible would not know to mask it.
        module.no_log_values.add(connection.password)
    client = TwilioClient(connection)
    clients.append(client)
    return client


def run_module(module, run, result):
    """Call ``run(module, client, result)`` and exit with the result it returns.

    ``result`` holds every key the module's RETURN documents, with the values
    that mean "not known yet"; ``run`` fills it in as it learns, so a failure
    at any point still returns every key, and what was learned before it.
    """
    result = dict(copy.deepcopy(result), changed=False)
    clients = []
    try:
        if module.infinite_ints:
            name, value = module.infinite_ints[0]
            raise OptionError(name, "%r is not a whole number; expected a finite whole number" % (value,))
        client = connect(module, clients)
        result = run(module, client, result)
    except (OptionError, TwilioError, TaskFailed) as err:
        _record_stats(result, clients)
        fail(module, err, result)
    except Exception as err:  # pylint: disable=broad-except
        # Server data is untrusted: whatever shape slipped past the checks ends as one line, not a traceback.
        _record_stats(result, clients)
        result["exception"] = traceback.format_exc()
        fail(module, "Unexpected %s while handling Twilio's answer: %s" % (type(err).__name__, err), result)
    finally:
        for made in clients:
            made.close()
    _record_stats(result, clients)
    for made in clients:
        summary = made.retry_summary()
        if summary:
            module.warn(summary)
    module.exit_json(**result)


def _record_stats(result, clients):
    """The counters of the clients, summed, for the ones the module documents (its BLANK_RESULT's stats keys)."""
    if clients:
        stats = result.setdefault("stats", {})
        for name in list(stats):
            counts = [made.stats()[name] for made in clients if name in made.stats()]
            if counts:
                stats[name] = sum(counts)
