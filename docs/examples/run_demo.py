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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = os.path.join(ROOT, "tests", "simulator", "seeds", "demo.json")
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.launcher import start, stop  # noqa: E402  pylint: disable=wrong-import-position


def main():
    proc, url = start(SEED)
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
        stop(proc)
        print("Simulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
