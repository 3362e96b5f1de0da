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


def _patched_args(args):
    """A context manager giving AnsibleModule ``args``, on every ansible-core this collection supports."""
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
        return patch_module_args(args)
    except ImportError:
        import contextlib
        import json

        from ansible.module_utils import basic
        from ansible.module_utils.common.text.converters import to_bytes

        @contextlib.contextmanager
        def patched():
            saved = getattr(basic, "_ANSIBLE_ARGS", None)
            basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
            try:
                yield
            finally:
                basic._ANSIBLE_ARGS = saved
        return patched()


@pytest.fixture
def run_main(capsys):
    """Drive a module's main() through a real AnsibleModule; return the result it printed."""
    import json

    def run(module, args):
        from ansible.module_utils.common import warnings
        # Warnings are kept per process; each module run here must start with none.
        warnings._global_warnings.clear()
        with _patched_args(args):
            with pytest.raises(SystemExit):
                module.main()
        return json.loads(capsys.readouterr().out)
    return run


def documented_keys(module, failed_from_api=False):
    """The keys a module's RETURN documents for an outcome."""
    import yaml

    keys = set()
    for key, doc in yaml.safe_load(module.RETURN).items():
        returned = doc["returned"]
        if returned == "always" or (failed_from_api and returned == "on failure from the API"):
            keys.add(key)
    return keys
