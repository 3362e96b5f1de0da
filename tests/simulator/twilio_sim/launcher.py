# SPDX-License-Identifier: GPL-3.0-or-later
"""The one way to start the simulator: in a child process, on 127.0.0.1, on a free port.

Python callers (the demo, the benchmarks, the AWX runner test) use start() and
stop(); shell callers (integration targets, molecule) run a command under it
with ``run_simulator.py --seed FILE -- COMMAND...``, see __main__.py.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_SIMULATOR = os.path.join(os.path.dirname(HERE), "run_simulator.py")
SEEDS = os.path.join(os.path.dirname(HERE), "seeds")
TEST_SEED = os.path.join(SEEDS, "test.json")
DEMO_SEED = os.path.join(SEEDS, "demo.json")


def credentials(seed=TEST_SEED):
    """The first account of a seed: the one place tests take their credentials from."""
    with open(seed, encoding="utf-8") as handle:
        account = json.load(handle)["accounts"][0]
    key = (account.get("api_keys") or [{}])[0]
    return {"account_sid": account["sid"], "auth_token": account["auth_token"],
            "api_key": key.get("sid"), "api_secret": key.get("secret")}


def start(seed=TEST_SEED, latency=0.0, variants=None, account_concurrency=None):
    """Start the simulator in a child process; return (process, base URL), the process's ``accounts_url`` the
    v2010 Accounts API's base URL. Call stop(process) in a finally.

    ``variants`` (``MODE[:SEED]``, see variants.py): how it answers; without it, as $SIM_VARIANTS or the seed
    says, else as the spec's examples. ``account_concurrency``: requests of one account served at once (see
    concurrency.py); without it, as the seed says."""
    url_file = os.path.join(tempfile.mkdtemp(prefix="twilio-sim-"), "url")
    proc = subprocess.Popen([sys.executable, RUN_SIMULATOR, "--host", "127.0.0.1", "--port", "0", "--seed", seed,
                             "--latency", str(latency), "--url-file", url_file]
                            + (["--variants", variants] if variants else [])
                            + (["--account-concurrency", str(account_concurrency)]
                               if account_concurrency is not None else []), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if os.path.exists(url_file):
            with open(url_file, encoding="utf-8") as handle:
                url, proc.accounts_url = handle.read().split()[:2]
            return proc, url
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    stop(proc)
    raise RuntimeError("the simulator did not start")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_command(command, seed=TEST_SEED, latency=0.0, url_env="SIM_URL", variants=None, account_concurrency=None):
    """Run ``command`` with the simulator up; stop it whatever happens.

    The command gets the URL in ``url_env``, the Accounts API's in SIM_ACCOUNTS_URL, the seed's path in SIM_SEED, its
    first account's credentials in SIM_ACCOUNT_SID, SIM_AUTH_TOKEN,
    SIM_API_KEY and SIM_API_SECRET, and ``variants`` (if given) in SIM_VARIANTS.
    """
    proc, url = start(seed, latency, variants, account_concurrency)
    try:
        env = dict(os.environ, SIM_SEED=seed)
        if variants:
            env["SIM_VARIANTS"] = variants
        env.update(("SIM_" + name.upper(), value) for name, value in credentials(seed).items() if value)
        env[url_env] = url
        env["SIM_ACCOUNTS_URL"] = proc.accounts_url
        if url_env == "SIM_URL":
            env["TWILIO_SERVERLESS_BASE_URL"] = url
            env["TWILIO_ACCOUNTS_BASE_URL"] = proc.accounts_url
        return subprocess.call(command, env=env)
    finally:
        stop(proc)
