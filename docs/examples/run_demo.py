# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo`: a release from an empty account, against the bundled simulator.

Starts the simulator on 127.0.0.1 (a free port) with an account and nothing else
(tests/simulator/seeds/empty.json), then runs the example playbooks as a user
would, with the credentials in the environment as AWX injects them: release
the example project from source to staging (the service, environments and
variables are made on the way), promote it to production, run it again with
nothing to change, change one function and release again, roll production
back (twice: the second changes nothing), release a third change to staging,
prune old builds with a dry run first (the roll back targets stay), and roll staging
back to the build the prune kept. Works on a copy of the project, so
the repository is never changed; stops the simulator whatever happens.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = os.path.join(ROOT, "tests", "simulator", "seeds", "empty.json")
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.launcher import credentials, start, stop  # noqa: E402  pylint: disable=wrong-import-position

STAGING_ONLY = ["-e", '{"release_to": ["staging"]}']


def change(project, relative, text):
    with open(os.path.join(project, relative), "a", encoding="utf-8") as handle:
        handle.write(text)


def steps(project):
    """(title, playbook, extra arguments, what to do to the project first)."""
    source = ["-e", "source=%s" % project]
    return [
        ("1. From an empty account: create the service, staging and its variables, build the folder, deploy to "
         "staging", "release_from_source.yml", source + STAGING_ONLY, None),
        ("2. Promote: production and its variables made, the build staging runs reused (no upload, no build) "
         "and deployed to production", "release_from_source.yml", source, None),
        ("3. The same release again: nothing to change (changed=0 in the recap)", "release_from_source.yml", source,
         None),
        ("4. Change one function and release: one upload, a new build, live in staging then production",
         "release_from_source.yml", source,
         lambda: change(project, "functions/hello.js", "// v2: a changed greeting\n")),
        ("5. Roll production back (check and diff first), and show what runs where", "rollback.yml", [], None),
        ("6. The same roll back again, as a relaunched job: nothing to change, a warning says why", "rollback.yml",
         [], None),
        ("7. Change an asset and release to staging only", "release_from_source.yml", source + STAGING_ONLY,
         lambda: change(project, "assets/style.css", "/* v3 */\n")),
        ("8. Prune, keeping the newest completed build: the dry run first, then the prune. Nothing goes here: "
         "each build is live or the build a roll back would restore, and the result says which, for each",
         "prune.yml", [], None),
        ("9. Roll staging back after the prune: its roll back target was kept", "rollback.yml",
         ["-e", "environment_name=staging"], None),
    ]


def main():
    proc, url = start(SEED)
    print("Twilio Serverless simulator at %s: one account, no service, no build" % url, flush=True)
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
    scratch = tempfile.mkdtemp(prefix="serverless-demo-")
    project = os.path.join(scratch, "project")
    shutil.copytree(os.path.join(HERE, "project"), project)
    try:
        for title, name, args, before in steps(project):
            print("\n=== %s ===" % title, flush=True)
            if before is not None:
                before()
            status = subprocess.call([playbook, os.path.join(HERE, name)] + args, env=env, cwd=HERE)
            if status != 0:
                return status
        return 0
    finally:
        stop(proc)
        shutil.rmtree(scratch, ignore_errors=True)
        print("Simulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
