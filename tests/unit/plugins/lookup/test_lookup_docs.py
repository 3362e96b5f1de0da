# SPDX-License-Identifier: GPL-3.0-or-later
"""Every lookup takes its connection options from the twilio.plugin_options fragment, never restated.

(The fragment itself is compared with CONNECTION_ARGUMENT_SPEC in tests/unit/plugins/modules/test_contract.py.)
"""

import importlib
import os

import pytest
import yaml

from ansible_collections.twilio_community.serverless.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC

LOOKUP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))), "plugins", "lookup")
LOOKUPS = sorted(name[:-3] for name in os.listdir(LOOKUP_DIR) if name.endswith(".py") and not name.startswith("_"))


def test_the_lookups_are_found():
    assert "serverless_builds" in LOOKUPS and "serverless_environment" in LOOKUPS


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_lookups_take_the_connection_options_from_the_fragment(lookup):
    plugin = importlib.import_module("ansible_collections.twilio_community.serverless.plugins.lookup." + lookup)
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert "twilio_community.serverless.twilio.plugin_options" in doc["extends_documentation_fragment"]
    assert not set(doc.get("options", {})) & set(CONNECTION_ARGUMENT_SPEC), "connection options restated"
