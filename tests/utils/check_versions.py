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
5. What a user sees of the version: a development version is called "the unreleased <version>" in README.md and
   CHANGELOG.rst, each saying its changes are in ``changelogs/fragments/`` (no released version is called so);
   galaxy.yml's description says what each module does (DESCRIPTION_WORDS; a new module must be added there);
   the EE's base image is pinned (a tag other than ``latest``, or a digest) and its ansible-runner pinned to the
   version the tests run (constraints-dev.txt); galaxy.yml's build_ignore keeps ``dist/`` (README's build
   command writes the artifact there) out of the artifact.

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
    return problems + unreleased_problems(root, version, newest)


UNRELEASED = re.compile(r"the unreleased (\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.]+)?)")


def unreleased_problems(root, version, newest):
    """README.md and CHANGELOG.rst say where a development version's changes are, and call nothing else unreleased."""
    problems = []
    for path in ("README.md", "CHANGELOG.rst"):
        text = read(root, path)
        said = UNRELEASED.findall(text)
        if Version(version) > Version(newest):
            if version not in said or "changelogs/fragments" not in text:
                problems.append("%s does not say that galaxy.yml's %s is the unreleased %s, with its changes in "
                                "changelogs/fragments/" % (path, version, version))
        problems += ["%s calls %s unreleased, but galaxy.yml says %s%s" % (
            path, other, version, " and it is released" if Version(other) <= Version(newest) else "")
            for other in sorted(set(said)) if other != version or Version(other) <= Version(newest)]
    return problems


# What the galaxy description must say for each module (a word of it, lower case): the description is what
# Galaxy and Automation Hub show, so a module it does not mention is one a user does not find.
DESCRIPTION_WORDS = {
    "serverless_build_info": "builds",
    "serverless_build_wait": "wait",
    "serverless_deployment": "deploy",
    "serverless_environment_info": "environments",
    "serverless_logs_info": "logs",
    "serverless_build": "build a project folder",
    "serverless_service": "services",
    "serverless_environment": "environments",
    "serverless_variables": "variables",
    "serverless_verify": "verif",
}


def galaxy_problems(root):
    galaxy = yaml.safe_load(read(root, "galaxy.yml"))
    description = " ".join(str(galaxy.get("description") or "").lower().split())
    modules = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(root, "plugins", "modules", "*.py"))
                     if not os.path.basename(path).startswith("_"))
    problems = ["tests/utils/check_versions.py: DESCRIPTION_WORDS does not name %s; say in galaxy.yml's description "
                "what it does, and add the word here" % name for name in modules if name not in DESCRIPTION_WORDS]
    problems += ["galaxy.yml's description does not say what %s does (no %r)" % (name, DESCRIPTION_WORDS[name])
                 for name in modules if name in DESCRIPTION_WORDS and DESCRIPTION_WORDS[name] not in description]
    if "dist" not in (galaxy.get("build_ignore") or []):
        problems.append("galaxy.yml's build_ignore lacks dist: README's build command writes the artifact there, "
                        "and the next build would ship it")
    return problems


def tested_version(root, name):
    if os.path.exists(os.path.join(root, "constraints-dev.txt")):
        for line in read(root, "constraints-dev.txt").splitlines():
            found = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.split("#", 1)[0].strip())
            if found and found.group(1).lower() == name:
                return found.group(2)
    return None


def image_pinned(image):
    """A tag other than latest, or a digest: an image rebuilt under the same name changes the EE unannounced."""
    name, dummy, digest = image.partition("@")
    if digest:
        return re.match(r"^sha256:[0-9a-f]{64}$", digest) is not None
    last = name.rsplit("/", 1)[-1]
    return ":" in last and last.split(":", 1)[1] not in ("", "latest")


def ee_pin_problems(root):
    definition = yaml.safe_load(read(root, "execution-environment.yml"))
    image = definition["images"]["base_image"]["name"]
    problems = []
    if not image_pinned(image):
        problems.append("execution-environment.yml: the base image %s is not pinned: name a version tag (not latest) "
                        "or a digest" % image)
    runner = ((definition.get("dependencies") or {}).get("ansible_runner") or {}).get("package_pip", "")
    tested = tested_version(root, "ansible-runner")
    found = re.match(r"^ansible-runner\s*==\s*(\S+)$", runner.strip())
    if not found:
        problems.append("execution-environment.yml: ansible_runner %r is not pinned: ansible-runner==%s (the version "
                        "the tests run)" % (runner, tested or "X"))
    elif tested and found.group(1) != tested:
        problems.append("execution-environment.yml: ansible-runner==%s, but the tests run %s (constraints-dev.txt)"
                        % (found.group(1), tested))
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
            + ee_pin_problems(root) + requirements_problems(root) + docs_problems(root, version)
            + readme_matrix_problems(root) + galaxy_problems(root))


def main(root):
    problems = problems_in(root)
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    if not problems:
        print("versions agree: galaxy.yml %s (description, build_ignore), _core/version.py, changelog, execution "
              "environment (pinned) and docs" % galaxy_version(root))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ROOT))
