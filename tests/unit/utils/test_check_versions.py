# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/utils/check_versions.py (run by `make ee-check` on the checkout) fails on each kind of disagreement.

Each case starts from a small tree that agrees, changes one thing, and expects the one problem it causes.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))

import check_versions  # noqa: E402  pylint: disable=wrong-import-position,import-error

CHANGELOG = """ancestor: null
releases:
  0.1.0:
    fragments: [0.1.0-summary.yml]
    release_date: '2026-11-24'
  0.2.0:
    fragments: [0.2.0-summary.yml, 10-x.yml]
    release_date: '2026-12-01'
"""
EE = """---
version: 3
images:
  base_image:
    name: quay.io/fedora/python-311:311
dependencies:
  ansible_runner:
    package_pip: ansible-runner==2.4.3
  ansible_core:
    # 2.20 and 2.21 need Python 3.12
    package_pip: ansible-core>=2.16,<2.20
  galaxy:
    collections:
      - name: /build/twilio_community-serverless.tar.gz
        type: file
"""
MATRIX = """# core python
2.16.19 3.11
2.19.14 3.11 dev
2.20.10 3.12
2.21.5 3.13
"""
README = """# x

## Versions

`main` is the unreleased 0.3.0: its changes are in changelogs/fragments/.

## Tested versions

| ansible-core | Python (controller) | what runs |
| --- | --- | --- |
| 2.16.19 | 3.11 | units |
| 2.19.14 (development) | 3.11 | everything |
| 2.20.10 | 3.12 | units |
| 2.21.5 (newest) | 3.13 | units |

## Next
"""

GALAXY = """namespace: twilio_community
name: serverless
version: %s
description: Release Twilio Serverless and read the logs of its environments.
build_ignore:
  - .build
  - dist
"""
RELEASES = "v0.2.0\n======\n\nv0.1.0\n======\n"


def write(root, path, text):
    path = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture
def tree(tmp_path):
    """A development version 0.3.0 after the 0.2.0 release, with one unreleased fragment."""
    write(tmp_path, "galaxy.yml", GALAXY % "0.3.0")
    write(tmp_path, "plugins/modules/serverless_logs_info.py", "# a module\n")
    write(tmp_path, "plugins/module_utils/_core/version.py", 'COLLECTION_VERSION = "0.3.0"\n')
    write(tmp_path, "changelogs/changelog.yaml", CHANGELOG)
    for name in ("0.1.0-summary.yml", "0.2.0-summary.yml", "10-x.yml", "19-docs.yml"):
        write(tmp_path, "changelogs/fragments/" + name, "---\nminor_changes: [x]\n")
    write(tmp_path, "CHANGELOG.rst", "Notes\n\nmain is the unreleased 0.3.0, in changelogs/fragments/.\n\n" + RELEASES)
    write(tmp_path, "execution-environment.yml", EE)
    write(tmp_path, "tests/matrix/versions.txt", MATRIX)
    write(tmp_path, "meta/runtime.yml", 'requires_ansible: ">=2.16.0"\n')
    write(tmp_path, "README.md", README)
    write(tmp_path, "requirements.txt", "# why\nrequests>=2.25.0\n")
    write(tmp_path, "constraints-dev.txt", "pytest==8.0.0\nansible-runner==2.4.3\nrequests==2.34.2\n")
    write(tmp_path, "docs/user_guide.md", "-t \"twilio-serverless-ee:$(sed -n 's/^version: //p' galaxy.yml)\"\n")
    return tmp_path


def problems(root):
    return check_versions.problems_in(str(root))


def test_a_development_version_with_unreleased_fragments_agrees(tree):
    assert problems(tree) == []


def release(tree, version="0.2.0"):
    """The tree as galaxy.yml's VERSION, released: no unreleased version named in README.md or CHANGELOG.rst."""
    write(tree, "galaxy.yml", GALAXY % version)
    write(tree, "plugins/module_utils/_core/version.py", 'COLLECTION_VERSION = "%s"\n' % version)
    write(tree, "README.md", README.replace("`main` is the unreleased 0.3.0: its changes are in changelogs/fragments/.",
                                            "Changes: CHANGELOG.rst."))
    write(tree, "CHANGELOG.rst", "Notes\n\n" + RELEASES)


def test_the_released_version_with_no_pending_fragment_agrees(tree):
    os.remove(str(tree / "changelogs/fragments/19-docs.yml"))
    release(tree)
    assert problems(tree) == []


def test_a_released_version_still_called_unreleased_fails(tree):
    os.remove(str(tree / "changelogs/fragments/19-docs.yml"))
    release(tree)
    write(tree, "CHANGELOG.rst", "Notes\n\nthe unreleased 0.2.0, in changelogs/fragments/\n\n" + RELEASES)
    assert problems(tree) == ["CHANGELOG.rst calls 0.2.0 unreleased, but galaxy.yml says 0.2.0 and it is released"]


def test_a_development_version_must_say_where_its_changes_are(tree):
    write(tree, "CHANGELOG.rst", "Notes\n\n" + RELEASES)
    write(tree, "README.md", README.replace("the unreleased 0.3.0", "the unreleased 0.2.1"))
    assert problems(tree) == [
        "README.md does not say that galaxy.yml's 0.3.0 is the unreleased 0.3.0, with its changes in "
        "changelogs/fragments/",
        "README.md calls 0.2.1 unreleased, but galaxy.yml says 0.3.0",
        "CHANGELOG.rst does not say that galaxy.yml's 0.3.0 is the unreleased 0.3.0, with its changes in "
        "changelogs/fragments/"]


@pytest.mark.parametrize("image", ["quay.io/fedora/python-311:latest", "quay.io/fedora/python-311",
                                   "localhost:5000/python-311", "quay.io/fedora/python-311@sha256:abc"])
def test_an_unpinned_base_image_fails(tree, image):
    write(tree, "execution-environment.yml", EE.replace("quay.io/fedora/python-311:311", image))
    assert problems(tree) == ["execution-environment.yml: the base image %s is not pinned: name a version tag (not "
                              "latest) or a digest" % image]


def test_a_base_image_pinned_by_digest_agrees(tree):
    write(tree, "execution-environment.yml", EE.replace("python-311:311", "python-311@sha256:" + "0" * 64))
    assert problems(tree) == []


@pytest.mark.parametrize("pin, problem", [
    ("ansible-runner", "execution-environment.yml: ansible_runner 'ansible-runner' is not pinned: "
                       "ansible-runner==2.4.3 (the version the tests run)"),
    ("ansible-runner>=2.4", "execution-environment.yml: ansible_runner 'ansible-runner>=2.4' is not pinned: "
                            "ansible-runner==2.4.3 (the version the tests run)"),
    ("ansible-runner==2.4.0", "execution-environment.yml: ansible-runner==2.4.0, but the tests run 2.4.3 "
                              "(constraints-dev.txt)"),
])
def test_ansible_runner_must_be_pinned_to_the_tested_version(tree, pin, problem):
    write(tree, "execution-environment.yml", EE.replace("ansible-runner==2.4.3", pin))
    assert problems(tree) == [problem]


def test_the_galaxy_description_must_say_what_each_module_does(tree):
    write(tree, "plugins/modules/serverless_variables.py", "# a module\n")
    write(tree, "plugins/modules/serverless_new_thing.py", "# a module\n")
    assert problems(tree) == [
        "tests/utils/check_versions.py: DESCRIPTION_WORDS does not name serverless_new_thing; say in galaxy.yml's "
        "description what it does, and add the word here",
        "galaxy.yml's description does not say what serverless_variables does (no 'variables')"]


def test_dist_must_be_build_ignored(tree):
    write(tree, "galaxy.yml", (GALAXY % "0.3.0").replace("  - dist\n", ""))
    assert problems(tree) == ["galaxy.yml's build_ignore lacks dist: README's build command writes the artifact "
                              "there, and the next build would ship it"]


def test_a_released_version_with_pending_fragments_fails(tree):
    release(tree)
    assert problems(tree) == ["galaxy.yml says 0.2.0, which is released, yet fragments wait for a release "
                              "(19-docs.yml): raise the version in galaxy.yml (and _core/version.py)"]


def test_a_version_older_than_a_release_fails(tree):
    release(tree, "0.1.5")
    assert problems(tree) == ["galaxy.yml says 0.1.5, older than the newest release in changelogs/changelog.yaml "
                              "(0.2.0)"]


def test_a_new_version_with_nothing_unreleased_fails(tree):
    os.remove(str(tree / "changelogs/fragments/19-docs.yml"))
    assert problems(tree) == ["galaxy.yml says 0.3.0, newer than the newest release 0.2.0, but no changelog "
                              "fragment says what changed since"]


def test_a_changelog_not_generated_after_the_release_fails(tree):
    write(tree, "CHANGELOG.rst", "Notes\n\nthe unreleased 0.3.0, in changelogs/fragments/\n\nv0.1.0\n======\n")
    assert problems(tree) == ["CHANGELOG.rst has no section v0.2.0: run antsibull-changelog generate"]


def test_module_utils_version_must_follow(tree):
    write(tree, "plugins/module_utils/_core/version.py", 'COLLECTION_VERSION = "0.2.0"\n')
    assert problems(tree) == ["plugins/module_utils/_core/version.py says 0.2.0, galaxy.yml 0.3.0"]


def test_ee_naming_another_version_fails(tree):
    write(tree, "execution-environment.yml", EE.replace(
        "twilio_community-serverless.tar.gz", "twilio_community-serverless-0.2.0.tar.gz") + "# -t twilio-serverless-ee:0.2.0\n")
    assert problems(tree) == [
        "execution-environment.yml names version 0.2.0 (collection artifact), galaxy.yml 0.3.0",
        "execution-environment.yml names version 0.2.0 (EE tag), galaxy.yml 0.3.0"]


def test_docs_naming_another_ee_tag_fail(tree):
    write(tree, "docs/user_guide.md", "ansible-builder build -t twilio-serverless-ee:0.1.0`\n")
    assert problems(tree) == ["docs/user_guide.md names the EE tag 0.1.0, galaxy.yml 0.3.0"]


def test_ee_excluding_a_version_tested_on_its_python_fails(tree):
    write(tree, "execution-environment.yml", EE.replace("<2.20", "<2.19"))
    assert problems(tree) == ["execution-environment.yml: ansible-core>=2.16,<2.19 excludes ansible-core 2.19.14, "
                              "tested on Python 3.11"]


def test_ee_allowing_an_untested_version_fails(tree):
    write(tree, "execution-environment.yml", EE.replace("<2.20", "<2.23"))
    assert problems(tree) == [
        "execution-environment.yml: ansible-core>=2.16,<2.23 allows ansible-core 2.20.10, which the matrix tests "
        "on Python 3.12, not the base image's 3.11",
        "execution-environment.yml: ansible-core>=2.16,<2.23 allows ansible-core 2.21.5, which the matrix tests "
        "on Python 3.13, not the base image's 3.11"]


def test_ee_allowing_the_next_untested_release_fails(tree):
    write(tree, "tests/matrix/versions.txt", "2.16.19 3.11\n2.19.14 3.11\n")
    write(tree, "execution-environment.yml", EE.replace("<2.20", "<2.21"))
    ee_problems = [problem for problem in problems(tree) if problem.startswith("execution-environment.yml")]
    assert ee_problems == ["execution-environment.yml: ansible-core>=2.16,<2.21 allows ansible-core 2.20.0, which "
                           "is not tested"]


def test_ee_leaving_out_tested_versions_without_a_reason_fails(tree):
    write(tree, "execution-environment.yml", EE.replace("    # 2.20 and 2.21 need Python 3.12\n", ""))
    assert problems(tree) == [
        "execution-environment.yml: ansible-core>=2.16,<2.20 leaves out the tested ansible-core 2.20.10 without "
        "saying why in a comment",
        "execution-environment.yml: ansible-core>=2.16,<2.20 leaves out the tested ansible-core 2.21.5 without "
        "saying why in a comment"]


def test_ee_starting_elsewhere_than_requires_ansible_fails(tree):
    write(tree, "execution-environment.yml", EE.replace(">=2.16", ">=2.15"))
    assert problems(tree) == ["execution-environment.yml: ansible-core>=2.15,<2.20 does not start where "
                              "meta/runtime.yml's requires_ansible (>=2.16.0) does"]


def test_readme_tested_versions_must_follow_the_matrix(tree):
    write(tree, "tests/matrix/versions.txt", MATRIX.replace("2.21.5 3.13", "2.21.6 3.13"))
    assert problems(tree) == ["README.md's Tested versions lacks ansible-core 2.21.6 on Python 3.13",
                              "README.md's Tested versions lists ansible-core 2.21.5 on Python 3.13, which the "
                              "matrix does not test"]


def test_requirements_must_allow_the_tested_library(tree):
    write(tree, "requirements.txt", "requests>=2.25.0,<2.30\n")
    assert problems(tree) == ["requirements.txt: requests>=2.25.0,<2.30 excludes requests 2.34.2, the version the "
                              "tests run (constraints-dev.txt)"]
