# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for AnsibleModule (run(module, client) is tested without Ansible's process plumbing), and each
module's happy path for the contract test."""

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


# The happy path of each module of the action group, for tests/unit/plugins/modules/test_contract.py, which
# finds it by name: a fixture ``contract_<module>`` returning {"sim": the simulator to run against, "args": the
# module's own options for a run that succeeds} and, for a module with a ``timeout`` option (a wait),
# "deadline_args": options for a run that reaches its deadline. A module added to the action group without one
# fails the contract test, saying so (see docs/architecture.md, "Adding a module").


@pytest.fixture
def contract_serverless_build_info(sim):
    return {"sim": sim, "args": {"service": "small-app", "status": ["completed"], "limit": 2}}


@pytest.fixture
def contract_serverless_build_wait(sim):
    never = sim.builds("ZS44444444444444444444444444444444", {"ready_in": 3600})[0]
    return {"sim": sim, "args": {"service": "small-app", "sids": ["ZB00000000000000000000000000000001"]},
            "deadline_args": {"service": "small-app", "sids": [never], "timeout": 0.3, "poll_interval": 0.1}}


@pytest.fixture
def contract_serverless_deployment(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "environment": "production",
                                       "from_environment": "stage"}}


@pytest.fixture
def contract_serverless_environment_info(sim):
    return {"sim": sim, "args": {"service": "small-app", "deployments": 1}}


@pytest.fixture
def contract_serverless_service(fresh_sim):
    return {"sim": fresh_sim, "args": {"name": "contract-app", "friendly_name": "Contract app"}}


@pytest.fixture
def contract_serverless_environment(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "name": "contract", "domain_suffix": "contract"}}


@pytest.fixture
def contract_serverless_variables(fresh_sim):
    return {"sim": fresh_sim, "args": {"service": "release-app", "environment": "production",
                                       "variables": {"GREETING": "contract-greeting-value"}}}


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
