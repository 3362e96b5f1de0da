# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for AnsibleModule (run(module, client) is tested without Ansible's process plumbing), and each
module's happy path for the contract test."""

import importlib
import os


class FakeModule:
    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.check_mode = False

    def fail_json(self, **result):
        raise AssertionError("run() must raise, not call fail_json: %r" % (result,))

    def warn(self, text):
        self.warnings.append(text)


# The happy path of each module of the action group, for tests/unit/plugins/modules/test_contract.py, which
# finds it by name: a fixture ``contract_<module>`` returning {"sim": the simulator to run against, "args": the
# module's own options for a run that succeeds} and, for a module with a ``timeout`` option (a wait),
# "deadline_args": options for a run that reaches its deadline. Each lives beside the module's own tests, in a
# test_*.py of this folder, and is gathered here so that test_contract.py sees it. A module added to the action
# group without one fails the contract test, saying so (see docs/architecture.md, "Adding a module").
for _file in sorted(os.listdir(os.path.dirname(os.path.abspath(__file__)))):
    if _file.startswith("test_") and _file.endswith(".py") and _file != "test_contract.py":
        _tests = importlib.import_module("." + _file[:-3], __package__)
        globals().update((_name, _value) for _name, _value in vars(_tests).items() if _name.startswith("contract_"))
