# SPDX-License-Identifier: GPL-3.0-or-later
"""`make ee-check` (first step): the collection's version and the ansible-core it supports tell one story.

galaxy.yml is the one place the version is written. What "agree" means:

1. ``plugins/module_utils/_core/version.py`` says the same version as galaxy.yml (it goes into the User-Agent).
2. The changelog: galaxy.yml's version is either the newest release in ``changelogs/changelog.yaml`` with no
   fragment left unreleased (the state right after ``antsibull-changelog release``), or newer than every
   release with at least one fragment that no release lists yet (a development version: the changes it will
   release). Older than a release, or equal to one while changes pile up under it, is a disagreement.
   CHANGELOG.rst has a section for the newest release (it was generated after the release).
3. The execution environment (``execution-environment.yml``, and ``requirements.txt``, which
   ``meta/execution-environment.yml`` names: it allows the ``requests`` the tests run, from constraints-dev.txt): any collection artifact or EE tag it names
   carries galaxy.yml's version (better: none, as now); its ansible-core pin allows exactly the versions of
   ``tests/matrix/versions.txt`` that are tested on the base image's Python, excludes the release below
   ``meta/runtime.yml``'s ``requires_ansible``, and every tested version it leaves out is named in a comment
   there (the reason).
4. The docs: any ``twilio-serverless-ee:<version>`` tag in README.md or docs/ is galaxy.yml's version, and the
   README's "Tested versions" table lists exactly the matrix's ansible-core versions, each with its Python.

Usage: python tests/utils/check_versions.py [ROOT]   (the checkout by default)
"""

import glob
import os
import re
import sys

import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACT = re.compile(r"twilio_community-serverless-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.]+)?)\.tar\.gz")
EE_TAG = re.compile(r"twilio-serverless-ee:(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.]+)?)")


def read(root, *path):
    with open(os.path.join(root, *path), encoding="utf-8") as handle:
        return handle.read()


def galaxy_version(root):
    return str(yaml.safe_load(read(root, "galaxy.yml"))["version"])


def module_utils_problems(root, version):
    found = re.search(r'^COLLECTION_VERSION = "([^"]+)"', read(root, "plugins", "module_utils", "_core", "version.py"), re.M)
    said = found.group(1) if found else None
    if said != version:
        return ["plugins/module_utils/_core/version.py says %s, galaxy.yml %s" % (said, version)]
    return []


def changelog_problems(root, version):
    changelog = yaml.safe_load(read(root, "changelogs", "changelog.yaml")) or {}
    releases = changelog.get("releases") or {}
    if not releases:
        return ["changelogs/changelog.yaml has no release"]
    newest = max(releases, key=Version)
    released = set()
    for release in releases.values():
        released.update(release.get("fragments") or [])
    fragments = sorted(os.path.basename(p) for p in glob.glob(os.path.join(root, "changelogs", "fragments", "*"))
                       if p.endswith((".yml", ".yaml")))
    unreleased = [name for name in fragments if name not in released]
    problems = []
    if Version(version) < Version(newest):
        problems.append("galaxy.yml says %s, older than the newest release in changelogs/changelog.yaml (%s)"
                        % (version, newest))
    elif Version(version) == Version(newest) and unreleased:
        problems.append("galaxy.yml says %s, which is released, yet fragments wait for a release (%s): raise the "
                        "version in galaxy.yml (and _core/version.py)" % (version, ", ".join(unreleased)))
    elif Version(version) > Version(newest) and not unreleased:
        problems.append("galaxy.yml says %s, newer than the newest release %s, but no changelog fragment says what "
                        "changed since" % (version, newest))
    if not re.search(r"^v%s\n=+$" % re.escape(newest), read(root, "CHANGELOG.rst"), re.M):
        problems.append("CHANGELOG.rst has no section v%s: run antsibull-changelog generate" % newest)
    return problems


def matrix(root):
    """(ansible-core version, Python) for each line of tests/matrix/versions.txt."""
    rows = []
    for line in read(root, "tests", "matrix", "versions.txt").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            rows.append((Version(fields[0]), fields[1]))
    return rows


def ee_problems(root, version):
    text = read(root, "execution-environment.yml")
    definition = yaml.safe_load(text)
    problems = ["execution-environment.yml names version %s (%s), galaxy.yml %s" % (said, what, version)
                for what, pattern in (("collection artifact", ARTIFACT), ("EE tag", EE_TAG))
                for said in pattern.findall(text) if said != version]
    image = definition["images"]["base_image"]["name"]
    found = re.search(r"python-?3\.?(\d+)", image)
    if not found:
        return problems + ["execution-environment.yml: cannot tell the Python of base image %s" % image]
    python = "3.%s" % found.group(1)
    pin = definition["dependencies"]["ansible_core"]["package_pip"]
    specifier = SpecifierSet(re.sub(r"^ansible-core\s*", "", pin))
    comments = "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    for core, tested_on in matrix(root):
        allowed = specifier.contains(core, prereleases=True)
        if tested_on == python and not allowed:
            problems.append("execution-environment.yml: %s excludes ansible-core %s, tested on Python %s"
                            % (pin, core, python))
        elif tested_on != python and allowed:
            problems.append("execution-environment.yml: %s allows ansible-core %s, which the matrix tests on "
                            "Python %s, not the base image's %s" % (pin, core, tested_on, python))
        elif not allowed and "%d.%d" % (core.major, core.minor) not in comments:
            problems.append("execution-environment.yml: %s leaves out the tested ansible-core %s without saying why "
                            "in a comment" % (pin, core))
    tested = [core for core, tested_on in matrix(root) if tested_on == python]
    if tested:
        newest = max(tested)
        after = Version("%d.%d.0" % (newest.major, newest.minor + 1))
        tested_minors = set((core.major, core.minor) for core, dummy in matrix(root))
        if specifier.contains(after, prereleases=True) and (after.major, after.minor) not in tested_minors:
            problems.append("execution-environment.yml: %s allows ansible-core %s, which is not tested" % (pin, after))
    runtime = yaml.safe_load(read(root, "meta", "runtime.yml"))["requires_ansible"]
    floor = Version(re.sub(r"^>=\s*", "", runtime))
    below = Version("%d.%d.0" % (floor.major, floor.minor - 1)) if floor.minor else None
    if not specifier.contains(floor, prereleases=True) or (below and specifier.contains(below, prereleases=True)):
        problems.append("execution-environment.yml: %s does not start where meta/runtime.yml's requires_ansible "
                        "(%s) does" % (pin, runtime))
    return problems


def requirements_problems(root):
    """requirements.txt (what an EE installs) allows each library at the version the tests pin."""
    tested = {}
    if os.path.exists(os.path.join(root, "constraints-dev.txt")):
        for line in read(root, "constraints-dev.txt").splitlines():
            found = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.split("#", 1)[0].strip())
            if found:
                tested[found.group(1).lower()] = found.group(2)
    problems = []
    for line in read(root, "requirements.txt").splitlines():
        requirement = line.split("#", 1)[0].strip()
        found = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", requirement)
        if not found or found.group(1).lower() not in tested:
            continue
        name, specifier = found.group(1).lower(), SpecifierSet(found.group(2))
        if not specifier.contains(tested[name], prereleases=True):
            problems.append("requirements.txt: %s excludes %s %s, the version the tests run (constraints-dev.txt)"
                            % (requirement, name, tested[name]))
    return problems


def docs_problems(root, version):
    problems = []
    paths = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"),
                                                                 recursive=True))
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for said in EE_TAG.findall(handle.read()):
                if said != version:
                    problems.append("%s names the EE tag %s, galaxy.yml %s"
                                    % (os.path.relpath(path, root), said, version))
    return problems


def readme_matrix_problems(root):
    """The README's "Tested versions" table: (ansible-core, Python) pairs, as the matrix has them."""
    text = read(root, "README.md")
    section = text.split("## Tested versions", 1)[1].split("\n## ", 1)[0] if "## Tested versions" in text else ""
    listed = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.match(r"^\d+\.\d+$", cells[1]):
            listed.update((core, cells[1]) for core in re.findall(r"\b\d+\.\d+\.\d+\b", cells[0]))
    tested = set((str(core), python) for core, python in matrix(root))
    problems = ["README.md's Tested versions lacks ansible-core %s on Python %s" % pair
                for pair in sorted(tested - listed)]
    problems += ["README.md's Tested versions lists ansible-core %s on Python %s, which the matrix does not test"
                 % pair for pair in sorted(listed - tested)]
    return problems


def problems_in(root):
    version = galaxy_version(root)
    return (module_utils_problems(root, version) + changelog_problems(root, version) + ee_problems(root, version)
            + requirements_problems(root) + docs_problems(root, version) + readme_matrix_problems(root))


def main(root):
    problems = problems_in(root)
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    if not problems:
        print("versions agree: galaxy.yml %s, _core/version.py, changelog, execution environment and docs"
              % galaxy_version(root))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ROOT))
