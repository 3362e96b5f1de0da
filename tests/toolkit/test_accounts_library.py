# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's v2010 Accounts API read by Twilio's own node library (`make toolkit-test`, after `make toolkit`):
twilio-node's AccountInstance (lib/rest/api/v2010/account.js) names the fields, its paging follows next_page_uri.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIBRARY = os.path.join(HERE, "node_modules", "twilio")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.launcher import credentials, start, stop  # noqa: E402  pylint: disable=wrong-import-position

SCRIPT = """
const twilio = require(process.argv[1]);
const client = twilio(process.argv[2], process.env.SIM_AUTH_TOKEN);
client.api.baseUrl = process.argv[3];
client.api.v2010.accounts.list({pageSize: 2}).then((accounts) => {
  console.log(JSON.stringify(accounts.map((a) => [a.sid, a.friendlyName, a.status, a.ownerAccountSid, a.type,
    a.dateCreated instanceof Date && !isNaN(a.dateCreated), typeof a.subresourceUris, a.uri])));
}).catch((e) => { console.error(String(e)); process.exit(1); });
"""


def test_twilio_node_lists_the_accounts():
    if not os.path.exists(os.path.join(LIBRARY, "package.json")):
        pytest.fail("Twilio's helper library is not installed: run `make toolkit` (npm ci in tests/toolkit)")
    account = credentials()
    proc, dummy = start()
    try:
        out = subprocess.run([shutil.which("node") or "node", "-e", SCRIPT, LIBRARY, account["account_sid"],
                              proc.accounts_url], env={"PATH": os.environ["PATH"], "SIM_AUTH_TOKEN": account["auth_token"]},
                             capture_output=True, text=True, timeout=60, check=False)
    finally:
        stop(proc)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    main, north, south, east = rows
    assert main[0] == main[3] == account["account_sid"]
    assert north[1:] == ["Helpline North", "active", main[0], "Full", True, "object",
                         "/2010-04-01/Accounts/%s.json" % north[0]]
    assert (south[2], east[2], east[4]) == ("suspended", "closed", "Trial")
