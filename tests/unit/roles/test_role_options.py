# SPDX-License-Identifier: GPL-3.0-or-later
"""A role variable named for a module option reaches that option: ``release_max_poll_interval`` is the
``max_poll_interval`` of every task of the release role that calls a module having that option. A task that
drops one would leave the variable documented, accepted and without effect."""

import glob
import importlib
import os

import pytest
import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PREFIX = "twilio_community.serverless."
ROLES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(COLLECTION, "roles", "*")) if os.path.isdir(p))


def role_variables(role):
    with open(os.path.join(COLLECTION, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    return set(name for entry in specs.values() for name in entry.get("options", {}))


def tasks(entries):
    for task in entries or []:
        for key in ("block", "rescue", "always"):
            yield from tasks(task.get(key))
        yield task


def module_calls(role):
    """(file, task name, module name, arguments) of each task calling one of our modules."""
    for path in sorted(glob.glob(os.path.join(COLLECTION, "roles", role, "tasks", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            for task in tasks(yaml.safe_load(handle)):
                for key, args in task.items():
                    if key.startswith(PREFIX) and isinstance(args, dict):
                        yield os.path.basename(path), task.get("name"), key[len(PREFIX):], args


def options_of(module):
    spec = importlib.import_module("ansible_collections.twilio_community.serverless.plugins.modules." + module)
    return set(spec.ARGUMENT_SPEC)


@pytest.mark.parametrize("role", ROLES)
def test_each_variable_named_for_an_option_reaches_it(role):
    variables = role_variables(role)
    calls = list(module_calls(role))
    assert calls, "role %s calls none of the collection's modules" % role
    missing = []
    for filename, name, module, args in calls:
        if args.get("state") == "absent":
            # Pruning: the options of a build (source, runtime, the wait) do not apply to it.
            continue
        for option in sorted(options_of(module)):
            variable = "%s_%s" % (role, option)
            if variable in variables and option not in args:
                missing.append("%s, task %r (%s): %s is not passed as %s" % (filename, name, module, variable, option))
    assert missing == []


def test_the_check_sees_the_poll_bound_of_both_roles():
    # The options this test exists for: were the roles renamed, the check above would pass on nothing.
    for role in ("release", "build_gate"):
        assert "%s_max_poll_interval" % role in role_variables(role)
        assert any("max_poll_interval" in options_of(module) for dummy, dummy2, module, dummy3 in module_calls(role))
