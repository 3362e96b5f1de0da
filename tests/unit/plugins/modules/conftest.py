# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for AnsibleModule: run(module, client) is tested without Ansible's process plumbing."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a load test that takes more than a few seconds")


class FakeModule:
    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.check_mode = False

    def fail_json(self, **result):
        raise AssertionError("run() must raise, not call fail_json: %r" % (result,))

    def warn(self, text):
        self.warnings.append(text)
