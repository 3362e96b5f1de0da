# SPDX-License-Identifier: GPL-3.0-or-later
"""make matrix cannot pass by skipping: a version whose Python is missing fails it unless MATRIX_ALLOW_SKIP=1."""

import os
import subprocess
import sys

RUN_MATRIX = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "matrix",
                          "run_matrix.py")


def run_matrix(tmp_path, allow_skip):
    versions = tmp_path / "versions.txt"
    # No machine has a Python 3.99, so nothing is set up or run: only the decision about the version is made.
    versions.write_text("# a comment\n2.99.0 3.99\n2.19.14 3.11 dev\n", encoding="utf-8")
    env = dict(os.environ, MATRIX_VERSIONS=str(versions))
    env.pop("MATRIX_ALLOW_SKIP", None)
    if allow_skip:
        env["MATRIX_ALLOW_SKIP"] = "1"
    done = subprocess.run([sys.executable, RUN_MATRIX], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    return done.returncode, done.stdout


def test_a_missing_python_fails_the_matrix(tmp_path):
    status, out = run_matrix(tmp_path, allow_skip=False)
    assert status == 1
    assert "ansible-core 2.99.0 (Python 3.99): FAILED, Python 3.99 is not on this machine" in out
    assert "matrix FAILED: ansible-core 2.99.0 (Python 3.99)" in out


def test_a_skip_must_be_asked_for_and_is_printed(tmp_path):
    status, out = run_matrix(tmp_path, allow_skip=True)
    assert status == 0
    assert "ansible-core 2.99.0 (Python 3.99): SKIPPED, Python 3.99 is not on this machine (MATRIX_ALLOW_SKIP=1)" in out
    assert out.rstrip().endswith("matrix: every version here passed; 1 SKIPPED (MATRIX_ALLOW_SKIP=1)")


def test_every_integration_target_runs_in_the_matrix():
    sys.path.insert(0, os.path.dirname(RUN_MATRIX))
    try:
        import run_matrix  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    targets = os.path.join(os.path.dirname(os.path.dirname(RUN_MATRIX)), "integration", "targets")
    # Each target runs on every version, or the list says why not.
    assert sorted(run_matrix.TARGETS + list(run_matrix.NOT_IN_MATRIX_TARGETS)) == sorted(os.listdir(targets))
    assert all(reason.strip() for reason in run_matrix.NOT_IN_MATRIX_TARGETS.values())


def test_the_oldest_and_newest_claimed_versions_run_every_target():
    here = os.path.dirname(RUN_MATRIX)
    with open(os.path.join(here, "versions.txt"), encoding="utf-8") as handle:
        rows = [line.split() for line in handle if line.strip() and not line.startswith("#")]
    edges = [row[0] for row in rows if "edge" in row[2:]]
    assert edges == [rows[0][0], rows[-1][0]], edges
    sys.path.insert(0, here)
    try:
        import run_matrix  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    assert set(run_matrix.MIDDLE_TARGETS) <= set(run_matrix.TARGETS)
