# SPDX-License-Identifier: GPL-3.0-or-later
"""`make artifact-check`: the built collection holds what a user needs, and nothing of the developer's tree.

What must ship is read, not listed: every file of the checkout's ``plugins/`` and ``roles/`` (bar FORBIDDEN),
and ``plugins/modules/<name>.py`` for each module of the ``twilio`` action group in the artifact's own
``meta/runtime.yml``, which must in turn name every module the artifact ships. REQUIRED holds the rest.
"""

import fnmatch
import os
import sys
import tarfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REQUIRED = [
    "MANIFEST.json", "FILES.json", "README.md", "CHANGELOG.rst", "meta/runtime.yml",
    "meta/execution-environment.yml", "requirements.txt", "bindep.txt",
    "docs/awx/credential_type.yml", "docs/examples/release_pipeline.yml",
    "tests/simulator/run_simulator.py", "tests/simulator/spec/NOTICE.md", "tests/fixtures/twilio/NOTICE.md",
    "tests/fixtures/twilio/SOURCES.md",
]
# Folders of the checkout shipped whole: each of their files must be in the artifact.
SHIPPED_FOLDERS = ("plugins", "roles")
ACTION_GROUP = "twilio"
FORBIDDEN = [
    ".venv/*", ".build/*", ".git/*", ".git", ".gitignore", ".ci/*", "*__pycache__*", "*.pyc", ".pytest_cache*",
    "*.hypothesis*", "tests/output*", "*.tar.gz", "Makefile", "requirements-dev.txt", "constraints-dev.txt",
    "benchmarks/results*", ".ansible/*", ".ansible-lint", "changelogs/.plugin-cache.yaml", "tests/toolkit/node_modules*",
    # README's build command writes artifacts to dist/: an empty dist/ (or an old artifact) must not ride along.
    "dist", "dist/*",
]


def forbidden(name):
    return next((pattern for pattern in FORBIDDEN if fnmatch.fnmatch(name, pattern)), None)


def tree_files(root=ROOT):
    """The checkout's files under SHIPPED_FOLDERS, as the artifact names them (FORBIDDEN ones left out)."""
    found = []
    for top in SHIPPED_FOLDERS:
        for folder, dummy, files in os.walk(os.path.join(root, top)):
            found.extend(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/") for name in files)
    return sorted(name for name in found if not forbidden(name))


def module_problems(names, runtime):
    """The action group against the modules shipped: each member ships, each module shipped is a member."""
    group = ((runtime or {}).get("action_groups") or {}).get(ACTION_GROUP)
    if not isinstance(group, list) or not group:
        return ["meta/runtime.yml has no action group %s listing the modules" % ACTION_GROUP]
    members = [member for member in group if isinstance(member, str)]
    shipped = sorted(os.path.basename(name)[:-3] for name in names if os.path.dirname(name) == "plugins/modules"
                     and name.endswith(".py") and not os.path.basename(name).startswith("_"))
    problems = ["missing: plugins/modules/%s.py (in the %s action group of meta/runtime.yml)" % (member, ACTION_GROUP)
                for member in members if "plugins/modules/%s.py" % member not in names]
    problems += ["plugins/modules/%s.py ships but is not in the %s action group of meta/runtime.yml"
                 % (module, ACTION_GROUP) for module in shipped if module not in members]
    return problems


def main(path, root=ROOT):
    with tarfile.open(path) as tar:
        members = {m.name[2:] if m.name.startswith("./") else m.name: m for m in tar.getmembers()}
        names = list(members)
        runtime = yaml.safe_load(tar.extractfile(members["meta/runtime.yml"])) if "meta/runtime.yml" in members \
            else None
    required = REQUIRED + [name for name in tree_files(root) if name not in REQUIRED]
    problems = ["missing: %s" % r for r in required if r not in names]
    problems += module_problems(names, runtime)
    for name in names:
        pattern = forbidden(name)
        if pattern:
            problems.append("should not be shipped: %s (matches %s)" % (name, pattern))
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    if not problems:
        print("%s: %d files, every required one present (%d of them from plugins/ and roles/; the modules are the "
              "%s action group's), nothing of the developer's tree" % (path, len(names), len(required) - len(REQUIRED),
                                                                       ACTION_GROUP))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
