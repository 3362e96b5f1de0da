# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for AnsibleModule: run(module, client) is tested without Ansible's process plumbing."""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._client import TwilioClient


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a load test that takes more than a few seconds")


class Failed(Exception):
    def __init__(self, result):
        super().__init__(result["msg"])
        self.result = result


class FakeModule:
    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.check_mode = False

    def fail_json(self, **result):
        raise Failed(result)

    def warn(self, text):
        self.warnings.append(text)


@pytest.fixture
def client(connection):
    made = TwilioClient(connection(), sleep=lambda s: None)
    yield made
    made.close()
