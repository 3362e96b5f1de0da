# SPDX-License-Identifier: GPL-3.0-or-later
"""The version sent in the User-Agent is the collection's own."""

import json
import os

import yaml

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.version import COLLECTION_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))))


def test_collection_version_equals_galaxy_yml():
    # In the checkout galaxy.yml says it; in the built collection (where ansible-test runs), MANIFEST.json.
    if os.path.exists(os.path.join(ROOT, "galaxy.yml")):
        with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
            version = yaml.safe_load(handle)["version"]
    else:
        with open(os.path.join(ROOT, "MANIFEST.json"), encoding="utf-8") as handle:
            version = json.load(handle)["collection_info"]["version"]
    assert COLLECTION_VERSION == version
