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


def load_run_matrix():
    sys.path.insert(0, os.path.dirname(RUN_MATRIX))
    try:
        import run_matrix  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    return run_matrix


def test_every_integration_target_runs_in_the_matrix():
    run_matrix = load_run_matrix()
    targets = os.path.join(os.path.dirname(os.path.dirname(RUN_MATRIX)), "integration", "targets")
    # TARGETS is read from the folders: none is neither a target nor a helper, none would be skipped unlisted.
    assert run_matrix.TARGET_PROBLEMS == []
    # Each folder runs on every edge version, is a helper, or the exceptions table says why not.
    helpers = [name for name in os.listdir(targets) if name.startswith(("setup_", "prepare_"))
               or "hidden" in (run_matrix.aliases(os.path.join(targets, name)) or [])]
    assert sorted(run_matrix.TARGETS + list(run_matrix.NOT_IN_MATRIX_TARGETS) + helpers) == sorted(os.listdir(targets))
    assert "setup_simulator" in helpers and "serverless_build_info" in run_matrix.TARGETS
    assert all(reason.strip() for reason in run_matrix.NOT_IN_MATRIX_TARGETS.values())


def make_target(root, name, aliases="context/controller\n", runme=True, tasks=False):
    folder = root / name
    folder.mkdir()
    if aliases is not None:
        (folder / "aliases").write_text(aliases, encoding="utf-8")
    if runme:
        (folder / "runme.sh").write_text("#!/usr/bin/env bash\n", encoding="utf-8")
    if tasks:
        (folder / "tasks").mkdir()
        (folder / "tasks" / "main.yml").write_text("---\n", encoding="utf-8")


def test_targets_are_derived_from_the_folders(tmp_path):
    run_matrix = load_run_matrix()
    make_target(tmp_path, "new_module")
    make_target(tmp_path, "a_role", runme=False, tasks=True)
    make_target(tmp_path, "setup_thing", aliases="hidden\n", runme=False)
    make_target(tmp_path, "prepare_other", aliases=None, runme=False)
    make_target(tmp_path, "hidden_helper", aliases="# set-up\nhidden\n", runme=False)
    (tmp_path / "README").write_text("not a folder", encoding="utf-8")
    assert run_matrix.scan_targets(str(tmp_path), left_out={}) == (["a_role", "new_module"], [])


def test_a_folder_that_would_be_skipped_fails_the_derivation(tmp_path):
    run_matrix = load_run_matrix()
    make_target(tmp_path, "fine")
    make_target(tmp_path, "empty", aliases=None, runme=False)
    make_target(tmp_path, "no_aliases", aliases=None)
    make_target(tmp_path, "no_script", runme=False)
    make_target(tmp_path, "disabled_one", aliases="context/controller\ndisabled\n")
    make_target(tmp_path, "skipped_one", aliases="skip/python3.11\n")
    targets, problems = run_matrix.scan_targets(str(tmp_path), left_out={"gone": "a reason"})
    assert targets == ["fine"]
    assert [problem.split(":", 1)[0] for problem in problems] == [
        "tests/integration/targets/disabled_one", "tests/integration/targets/empty",
        "tests/integration/targets/no_aliases", "tests/integration/targets/no_script",
        "tests/integration/targets/skipped_one", "NOT_IN_MATRIX_TARGETS names gone, which is not a folder of "
        "tests/integration/targets"]
    assert "ansible-test would skip it (disabled)" in problems[0]
    # Listed with a reason, a skipped target is left out and no problem.
    left_out = dict.fromkeys(["disabled_one", "skipped_one", "empty", "no_aliases", "no_script"], "a reason")
    targets, problems = run_matrix.scan_targets(str(tmp_path), left_out=left_out)
    assert (targets, problems) == (["fine"], [])


def test_the_matrix_refuses_to_run_with_a_problem(tmp_path):
    make_target(tmp_path, "empty", aliases=None, runme=False)
    env = dict(os.environ, MATRIX_TARGETS_DIR=str(tmp_path), MATRIX_VERSIONS=os.devnull)
    done = subprocess.run([sys.executable, RUN_MATRIX], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("FAILED: tests/integration/targets/empty: neither a target")


def test_the_oldest_and_newest_claimed_versions_run_every_target():
    here = os.path.dirname(RUN_MATRIX)
    with open(os.path.join(here, "versions.txt"), encoding="utf-8") as handle:
        rows = [line.split() for line in handle if line.strip() and not line.startswith("#")]
    edges = [row[0] for row in rows if "edge" in row[2:]]
    assert edges == [rows[0][0], rows[-1][0]], edges
    run_matrix = load_run_matrix()
    assert set(run_matrix.MIDDLE_TARGETS) <= set(run_matrix.TARGETS)


def test_the_newest_version_runs_every_target_once_in_the_simulators_variants_mode():
    run_matrix = load_run_matrix()
    here = os.path.dirname(RUN_MATRIX)
    with open(os.path.join(here, "versions.txt"), encoding="utf-8") as handle:
        rows = [line.split() for line in handle if line.strip() and not line.startswith("#")]
    assert [row[0] for row in rows if "variants" in row[2:]] == [rows[-1][0]]
    parts = run_matrix.parts_for(rows[-1][2:], rows[-1][1], ["tests/unit/a.py"], sanity=True)
    assert [(name, args[0], variants) for name, args, variants in parts] == [
        ("units", "units", None), ("integration", "integration", None),
        ("integration in %s" % run_matrix.VARIANTS, "integration", run_matrix.VARIANTS), ("sanity", "sanity", None)]
    assert parts[1][1][-len(run_matrix.SPEC_AGAIN_TARGETS):] == run_matrix.SPEC_AGAIN_TARGETS
    assert set(run_matrix.SPEC_AGAIN_TARGETS) <= set(run_matrix.MIDDLE_TARGETS)
    assert parts[2][1][-len(run_matrix.TARGETS):] == run_matrix.TARGETS
    assert run_matrix.VARIANTS.startswith("variants:")
    # Any other version: as before, one integration run as the spec's examples.
    assert [p[2] for p in run_matrix.parts_for(["edge"], "3.11", [])] == [None, None]


def test_a_variants_run_tells_the_targets_the_mode_in_a_file_removed_after(tmp_path):
    run_matrix = load_run_matrix()
    (tmp_path / "tests" / "simulator").mkdir(parents=True)
    seen = tmp_path / "seen"
    command = [sys.executable, "-c", "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2])",
               os.path.join("tests", "simulator", "variants"), str(seen)]
    assert run_matrix.run_integration(command, str(tmp_path), dict(os.environ), "variants:5") == 0
    assert seen.read_text(encoding="utf-8") == "variants:5\n"
    assert not (tmp_path / "tests" / "simulator" / "variants").exists()
    assert run_matrix.run_integration(command, str(tmp_path), dict(os.environ)) == 1  # no file without a mode
