# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo`: run the example release against the bundled simulator.

Starts the simulator on 127.0.0.1 (a free port) with a seeded service of a few
hundred builds, the newest still building; runs release_pipeline.yml twice
and rollback.yml twice with the credentials in the environment, as AWX would
inject them; stops the simulator whatever happens.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = os.path.join(ROOT, "tests", "simulator", "seeds", "demo.json")
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.launcher import credentials, start, stop  # noqa: E402  pylint: disable=wrong-import-position


def main():
    proc, url = start(SEED)
    print("Twilio Serverless simulator at %s (seeded: service acme-ivr, 321 builds, the newest still building; "
          "environments staging and production with a deployment history)" % url, flush=True)
    env = dict(os.environ,
               ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_CALLBACK_RESULT_FORMAT="yaml",
               ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_NOCOLOR="1",
               TWILIO_ACCOUNT_SID=credentials(SEED)["account_sid"],
               TWILIO_AUTH_TOKEN=credentials(SEED)["auth_token"],
               TWILIO_SERVERLESS_BASE_URL=url)
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    try:
        for title, name in (("Release: wait for the newest build, make it live in staging, then in production",
                             "release_pipeline.yml"),
                            ("The same release again: nothing to change (changed=0 in the recap)",
                             "release_pipeline.yml"),
                            ("Roll production back (check and diff first), and show what runs where",
                             "rollback.yml"),
                            ("The same roll back again, as a relaunched job: nothing to change, a warning says why",
                             "rollback.yml")):
            print("\n=== %s ===" % title, flush=True)
            status = subprocess.call([playbook, os.path.join(HERE, name)], env=env, cwd=HERE)
            if status != 0:
                return status
        return 0
    finally:
        stop(proc)
        print("Simulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
