# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for AnsibleModule: run(module, client) is tested without Ansible's process plumbing."""

import pytest


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


@pytest.fixture
def contract_serverless_build(fresh_sim, tmp_path):
    """serverless_build for the contract test (tests/unit/plugins/modules/test_contract.py): the example
    project built on empty-app (builds there finish at once), and a wait that reaches its deadline on small-app
    (builds there never finish)."""
    import os
    import shutil

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
    source = str(tmp_path / "project")
    shutil.copytree(os.path.join(root, "docs", "examples", "project"), source)
    fresh_sim.new_build("empty-app", ready_in=0)
    fresh_sim.new_build("small-app", ready_in=3600)
    return {"sim": fresh_sim, "args": {"service": "empty-app", "source": source, "prediction": False},
            "deadline_args": {"service": "small-app", "source": source, "timeout": 0.3, "poll_interval": 0.1,
                              "prediction": False}}
