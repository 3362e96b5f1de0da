# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo`: run the example release pipeline against the bundled simulator.

Starts the simulator on 127.0.0.1 (a free port) with a seeded service of a few
hundred builds, the newest still building; runs release_pipeline.yml with
the credentials in the environment, as AWX would inject them; stops the
simulator whatever happens.
"""

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "run_simulator.py")
SEED = os.path.join(ROOT, "tests", "simulator", "seeds", "demo.json")
COLLECTIONS = os.path.join(ROOT, ".build", "collections")


def start_simulator():
    url_file = os.path.join(tempfile.mkdtemp(prefix="twilio-sim-"), "url")
    proc = subprocess.Popen([sys.executable, SIMULATOR, "--host", "127.0.0.1", "--port", "0", "--seed", SEED,
                             "--url-file", url_file], stdout=subprocess.DEVNULL)
    for dummy in range(100):
        if os.path.exists(url_file):
            with open(url_file, encoding="utf-8") as handle:
                return proc, handle.read().strip()
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("the simulator did not start")


def main():
    proc, url = start_simulator()
    print("Twilio Serverless simulator at %s (seeded: service acme-ivr, 321 builds, the newest still building)"
          % url, flush=True)
    env = dict(os.environ,
               ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_CALLBACK_RESULT_FORMAT="yaml",
               ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_NOCOLOR="1",
               TWILIO_ACCOUNT_SID="AC0123456789abcdef0123456789abcdef",
               TWILIO_AUTH_TOKEN="demo-auth-token-not-a-secret",
               TWILIO_SERVERLESS_BASE_URL=url)
    try:
        return subprocess.call([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                                os.path.join(HERE, "release_pipeline.yml")], env=env, cwd=HERE)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        print("Simulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
