# SPDX-License-Identifier: GPL-3.0-or-later
"""`make ee-check`: the execution environment files work with ansible-builder.

1. `ansible-builder introspect` on the installed collection finds the Python and
   system requirements that meta/execution-environment.yml declares.
2. `ansible-builder create` makes a build context from execution-environment.yml
   (building the image needs a container engine, which these machines lack).
The versions are checked before, by tests/utils/check_versions.py.
"""

import os
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def main(collections_path):
    problems = []
    run = subprocess.run([os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", collections_path],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0 or "requests" not in run.stdout or "python3" not in run.stdout:
        problems.append("introspect did not find requests and python3:\n%s%s" % (run.stdout, run.stderr))
    else:
        print("ansible-builder introspect: found the collection's requests and python3 requirements")
    context = os.path.join(ROOT, ".build", "ee-context")
    shutil.rmtree(context, ignore_errors=True)
    run = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", "execution-environment.yml",
                          "--context", context, "--output-filename", "Containerfile"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    containerfile = os.path.join(context, "Containerfile")
    if run.returncode != 0 or not os.path.exists(containerfile):
        problems.append("ansible-builder create failed:\n%s%s" % (run.stdout, run.stderr))
    else:
        with open(containerfile, encoding="utf-8") as handle:
            text = handle.read()
        artifact = "twilio_community-serverless-%s.tar.gz" % galaxy_version()
        with open(os.path.join(ROOT, "execution-environment.yml"), encoding="utf-8") as handle:
            pin = yaml.safe_load(handle)["dependencies"]["ansible_core"]["package_pip"]
        for needle in ("ansible-galaxy", pin, "/build/twilio_community-serverless.tar.gz"):
            if needle not in text:
                problems.append("Containerfile lacks %r" % needle)
        # The artifact of galaxy.yml's version, and no other: the EE takes whichever artifact .build/ holds.
        shipped = sorted(os.listdir(os.path.join(context, "_build", "collection")))
        if shipped != [artifact]:
            problems.append("the build context holds %s, not just the collection artifact %s" % (shipped, artifact))
        if not problems:
            print("ansible-builder create: build context in %s" % context)
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    return 1 if problems else 0


def galaxy_version():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["version"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
