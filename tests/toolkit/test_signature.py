# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's X-Twilio-Signature check against Twilio's own signer (`make toolkit-test`, after `make toolkit`).

Twilio's helper library (the `twilio` npm package, pinned in package.json) signs, through sign.js, a GET with a
query string and a POST whose form has names out of order, a repeated name and values a form encodes; the
simulator serves the protected function it calls (twilio_sim/domains.py). Signed: 200; a tampered query or body, a
signature made with another token, or none: 401. A Python signer would agree with the simulator by construction.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIBRARY = os.path.join(HERE, "node_modules", "twilio", "package.json")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.control import Control  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import credentials, start, stop  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def simulator():
    if not os.path.exists(LIBRARY):
        pytest.fail("Twilio's helper library is not installed: run `make toolkit` (npm ci in tests/toolkit)")
    proc, url = start()
    try:
        yield url
    finally:
        stop(proc)


def test_twilios_library_signs_what_the_simulator_accepts(simulator):
    control = Control(simulator)
    made = control.call("POST", "/__sim/deploy", {
        "service": "release-app", "environment": "stage-environment",
        "functions": [{"path": "/hook", "visibility": "protected", "content": "// sim: body=signed\n"}]})
    url = "%s/__sim/domains/%s/hook" % (simulator, made["domain_name"])
    token = credentials()["auth_token"]
    proc = subprocess.run([shutil.which("node") or "node", os.path.join(HERE, "sign.js"), url],
                          env={"PATH": os.environ["PATH"], "SIM_AUTH_TOKEN": token}, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert token not in proc.stdout + proc.stderr
    results = {case["name"]: case.get("status", case.get("valid")) for case in json.loads(proc.stdout)}
    assert results == {"get": 200, "post": 200, "get tampered query": 401, "post tampered body": 401,
                       "post with another token": 401, "unsigned": 401, "validateRequest": True}
    # The request log: the two signed calls served, the others refused.
    assert [entry["status"] for entry in control.log() if entry["route"] == "domain"] == [200, 200, 401, 401, 401, 401]
