# SPDX-License-Identifier: GPL-3.0-or-later
"""`make artifact-check`: the built collection holds what a user needs, and nothing of the developer's tree."""

import fnmatch
import sys
import tarfile

REQUIRED = [
    "MANIFEST.json", "FILES.json", "README.md", "CHANGELOG.rst", "meta/runtime.yml",
    "meta/execution-environment.yml", "requirements.txt", "bindep.txt",
    "plugins/modules/serverless_build_info.py", "plugins/modules/serverless_build_wait.py",
    "plugins/modules/serverless_deployment.py", "plugins/modules/serverless_environment_info.py",
    "roles/release/tasks/main.yml", "roles/release/meta/argument_specs.yml",
    "plugins/module_utils/_http/client.py", "plugins/doc_fragments/twilio.py",
    "roles/build_gate/tasks/main.yml", "roles/build_gate/meta/argument_specs.yml",
    "docs/awx/credential_type.yml", "docs/examples/release_pipeline.yml",
    "tests/simulator/run_simulator.py", "tests/simulator/spec/NOTICE.md",
]
FORBIDDEN = [
    ".venv/*", ".build/*", ".git/*", ".git", ".gitignore", ".ci/*", "*__pycache__*", "*.pyc", ".pytest_cache*",
    "*.hypothesis*", "tests/output*", "*.tar.gz", "Makefile", "requirements-dev.txt", "constraints-dev.txt",
    "benchmarks/results*", ".ansible/*", ".ansible-lint", "changelogs/.plugin-cache.yaml", "tests/toolkit/node_modules*",
]


def main(path):
    with tarfile.open(path) as tar:
        names = [m.name[2:] if m.name.startswith("./") else m.name for m in tar.getmembers()]
    problems = ["missing: %s" % r for r in REQUIRED if r not in names]
    for name in names:
        for pattern in FORBIDDEN:
            if fnmatch.fnmatch(name, pattern):
                problems.append("should not be shipped: %s (matches %s)" % (name, pattern))
                break
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    if not problems:
        print("%s: %d files, every required one present, nothing of the developer's tree" % (path, len(names)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
