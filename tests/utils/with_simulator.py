# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a command with the simulator up: python tests/utils/with_simulator.py [--seed FILE] -- COMMAND...

Starts the simulator on 127.0.0.1 (a free port), exports SIM_URL and
TWILIO_SERVERLESS_BASE_URL to the command, and stops the simulator when the
command ends, whatever its outcome. Exits with the command's exit code.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "run_simulator.py")


def start(seed, latency=0.0):
    """Start the simulator in a child process; return (process, base URL)."""
    url_file = os.path.join(tempfile.mkdtemp(prefix="twilio-sim-"), "url")
    proc = subprocess.Popen([sys.executable, SIMULATOR, "--host", "127.0.0.1", "--port", "0", "--seed", seed,
                             "--latency", str(latency), "--url-file", url_file], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if os.path.exists(url_file):
            with open(url_file, encoding="utf-8") as handle:
                return proc, handle.read().strip()
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", default=os.path.join(ROOT, "tests", "simulator", "seeds", "test.json"))
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    proc, url = start(args.seed)
    try:
        env = dict(os.environ, SIM_URL=url, TWILIO_SERVERLESS_BASE_URL=url)
        return subprocess.call(command, env=env)
    finally:
        stop(proc)


if __name__ == "__main__":
    sys.exit(main())
