# SPDX-License-Identifier: GPL-3.0-or-later
"""Load: waiting on 200 builds in one task, and listing 100,000 builds in a real module process."""

import copy
import json
import os
import subprocess
import sys
import time
import tracemalloc

import pytest

from twilio_sim import SimulatorServer

from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as wait

from .conftest import FakeModule

ACCOUNT = "AC" + "7" * 32
TOKEN = "load-token"
HUGE = "ZS" + "8" * 32
WAITS = "ZS" + "9" * 32
MODULES = os.path.dirname(os.path.abspath(wait.__file__))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(MODULES, *[os.pardir] * 5))


@pytest.fixture(scope="module")
def load_sim():
    seed = {"accounts": [{"sid": ACCOUNT, "auth_token": TOKEN}],
            "services": [{"account_sid": ACCOUNT, "sid": HUGE, "unique_name": "huge", "generate": {"count": 100000}},
                         {"account_sid": ACCOUNT, "sid": WAITS, "unique_name": "waits"}]}
    server = SimulatorServer(seed=seed).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.slow
def test_wait_on_200_builds_in_one_task(load_sim):
    service = load_sim.find_service_any(WAITS)
    durations = [0.5 + 2.5 * i / 199 for i in range(200)]
    sids = [b.sid for b in load_sim.store.create_builds(service, [{"ready_in": d} for d in durations])]
    load_sim.clear_log()
    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN,
                                                  "base_url": load_sim.base_url}))
    module = FakeModule(dict(service=WAITS, sids=sids, latest=False, timeout=60.0, poll_interval=0.2,
                             max_poll_interval=1.0, fail_on_failed=True, prediction=True))
    tracemalloc.start()
    started = time.monotonic()
    result = wait.run(module, client, copy.deepcopy(wait.BLANK_RESULT))
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    client.close()
    log = load_sim.log_snapshot()
    assert result["status"] == "completed" and len(result["builds"]) == 200
    # Time is the benchmark's business (make bench); this only shows it for the record.
    print("200 builds of 0.5-3 s: %.1f s, %d requests" % (elapsed, len(log)))
    # One listing reads every pending build: the history listing, then about one listing per 0.2 s while the
    # builds run (3 s), not one request per build per poll; every finished build comes from a listing.
    # Only when one build is left pending does the wait poll its Status (and then fetch it): a request or two
    # per poll for that one build, never one per build.
    routes = [e["route"] for e in log]
    assert set(routes) <= {"builds", "build_status", "build"} and len(routes) <= 2 * (3.0 / 0.2) + 10, routes
    alone = set(e["path"].split("/Builds/")[1].split("/")[0] for e in log if e["route"] != "builds")
    assert len(alone) <= 1, alone
    assert all(b["build"].get("sid") == b["sid"] for b in result["builds"])
    assert len({e["connection"] for e in log}) == 1  # one session, one socket
    assert peak < 20 * 1024 * 1024, "peak traced memory %d bytes" % peak


@pytest.mark.slow
def test_list_100000_builds_in_a_module_process(load_sim, tmp_path):
    load_sim.clear_log()
    args = tmp_path / "args.json"
    module_args = {"service": HUGE, "account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": load_sim.base_url}
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": module_args}))
    run = subprocess.run([sys.executable, os.path.join(MODULES, "serverless_build_info.py"), str(args)],
                         env=dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT), capture_output=True, check=False,
                         timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert len(result["builds"]) == 100000 and len({b["sid"] for b in result["builds"]}) == 100000
    assert result["stats"] == {"requests": 100, "pages": 100, "retries": 0}
    log = load_sim.log_snapshot()
    assert len(log) == 100 and {e["query"]["PageSize"] for e in log} == {"1000"}
    assert len({e["connection"] for e in log}) == 1
