# SPDX-License-Identifier: GPL-3.0-or-later
"""`make matrix`: ansible-test units and integration on every ansible-core the collection claims.

For each line of versions.txt: a venv (kept in .matrix/, rebuilt when its
pins change) with that ansible-core on a Python that supports it, the built
collection installed into it, then ``ansible-test units`` and ``ansible-test
integration`` against the simulator: every target on the versions flagged
``edge`` (the oldest and newest claimed), MIDDLE_TARGETS on the others. On a version flagged ``variants``
(the newest), the simulator answers every target in its variants mode (VARIANTS; twilio_sim/variants.py), and
MIDDLE_TARGETS run again as the spec's examples. With --sanity VERSION, also
``ansible-test sanity`` with that version. A version whose Python is not on
this machine fails the run, so the matrix cannot pass by testing nothing;
with MATRIX_ALLOW_SKIP=1 it is skipped instead, and the skip is printed. The
run fails if any version failed. Prints how long each part took.
"""

import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "matrix")
MATRIX = os.path.join(ROOT, ".matrix")
GET_PIP_STANDIN = os.path.join(ROOT, "tests", "utils", "get_pip_standin.py")
# MATRIX_TARGETS_DIR (like MATRIX_VERSIONS) points the matrix elsewhere, for its own tests.
TARGETS_DIR = os.environ.get("MATRIX_TARGETS_DIR", os.path.join(ROOT, "tests", "integration", "targets"))
# Aliases with which ansible-test leaves a target out of a run like ours (--local, no --allow-* option), only
# warning: a target carrying one would be skipped silently, so it must be in NOT_IN_MATRIX_TARGETS instead.
SKIPPED_BY_ALIAS = ("disabled", "unsupported", "unstable", "destructive", "needs/root")
# Targets left out of the matrix on purpose, each with the reason: exceptions only. Helpers are not targets and
# need no entry (ansible-test's own rule: a name starting with setup_ or prepare_, or the alias "hidden").
NOT_IN_MATRIX_TARGETS = {}


def aliases(folder):
    try:
        with open(os.path.join(folder, "aliases"), encoding="utf-8") as handle:
            return [line.split("#", 1)[0].strip() for line in handle if line.split("#", 1)[0].strip()]
    except FileNotFoundError:
        return None


def scan_targets(path=TARGETS_DIR, left_out=None):
    """(targets, problems): the integration targets under ``path`` that the matrix runs, sorted, and why any
    other folder there is neither a target nor a helper. A target is a folder with an ``aliases`` file and a
    ``runme.sh`` or ``tasks/main.yml``; a helper is hidden by ansible-test's rule (``setup_``/``prepare_``
    name, or the alias ``hidden``). A folder that is neither, or a target that ansible-test would skip
    (SKIPPED_BY_ALIAS, ``skip/...``) and is not in ``left_out``, is a problem: nothing is dropped silently."""
    left_out = NOT_IN_MATRIX_TARGETS if left_out is None else left_out
    targets, problems = [], []
    for name in sorted(os.listdir(path)):
        folder = os.path.join(path, name)
        if not os.path.isdir(folder):
            continue
        found = aliases(folder)
        if name.startswith(("setup_", "prepare_")) or "hidden" in (found or []):
            continue
        if name in left_out:
            continue
        runs = os.path.isfile(os.path.join(folder, "runme.sh")) or \
            os.path.isfile(os.path.join(folder, "tasks", "main.yml"))
        if found is None or not runs:
            problems.append("tests/integration/targets/%s: neither a target (an aliases file and runme.sh or "
                            "tasks/main.yml) nor a helper (setup_ or prepare_ name, or the alias hidden)" % name)
            continue
        skipped = [alias for alias in found if alias in SKIPPED_BY_ALIAS or alias.startswith("skip/")]
        if skipped:
            problems.append("tests/integration/targets/%s: ansible-test would skip it (%s); list it in "
                            "NOT_IN_MATRIX_TARGETS with the reason" % (name, ", ".join(skipped)))
            continue
        targets.append(name)
    problems.extend("NOT_IN_MATRIX_TARGETS names %s, which is not a folder of tests/integration/targets" % name
                    for name in sorted(left_out) if not os.path.isdir(os.path.join(path, name)))
    return targets, problems


# Integration targets the versions at the edges of the claim (flag "edge" in versions.txt: the oldest and the
# newest) run; the development version runs them all in `make integration`. The versions in between run every unit
# test and MIDDLE_TARGETS: what changes between ansible-core releases is mostly the controller, which the end-to-end
# examples exercise, and running all targets on all five versions would take make test past its budget.
TARGETS, TARGET_PROBLEMS = scan_targets()
MIDDLE_TARGETS = ["examples", "serverless_build"]
# Load tests measure this machine, not ansible-core; the development version runs them.
NOT_IN_MATRIX = ("test_load.py",)
# On the version flagged "variants" (the newest), the integration targets run once with the simulator in its
# variants mode (case, nulls, paths without their slash, unknown fields: twilio_sim/variants.py), MODE:SEED;
# MATRIX_VARIANTS=variants:N draws other variants. The targets in the spec's examples run on the other edge and
# the development version (make integration), and SPEC_AGAIN_TARGETS on this one too: a second run of every target
# would cost make test about six minutes more. Only serverless_build runs again: the examples target (94 s) runs
# there in variants mode, which asks more of the client than the spec's examples do, and in spec mode on 2.16 and
# the development version; dropping its second run keeps make test within its budget as the fleet tests land.
VARIANTS = os.environ.get("MATRIX_VARIANTS", "variants:23")
# Where the targets' simulator.sh finds the mode: ansible-test passes no variable of ours to a target.
VARIANTS_FILE = os.path.join("tests", "simulator", "variants")
SPEC_AGAIN_TARGETS = ["serverless_build"]


def unit_test_files(path):
    found = []
    for folder, dummy, files in os.walk(os.path.join(path, "tests", "unit")):
        found.extend(os.path.relpath(os.path.join(folder, name), path) for name in files
                     if name.startswith("test_") and name.endswith(".py") and name not in NOT_IN_MATRIX)
    return sorted(found)


def find_python(version):
    """A python<version> on PATH, or pyenv's; None if this machine has none."""
    found = shutil.which("python%s" % version)
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (version, version))))
    for path in ([found] if found else []) + candidates[::-1]:
        try:
            out = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, check=False, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out == version:
            return path
    return None


def run(cmd, **kwargs):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=False, **kwargs).returncode


def venv_for(core, python):
    """The venv for this ansible-core, made once and reused while its pins are the same."""
    with open(os.path.join(HERE, "requirements.txt"), "rb") as handle:
        pins = hashlib.sha256(handle.read() + core.encode() + python.encode()).hexdigest()[:12]
    venv = os.path.join(MATRIX, "ansible-core-%s" % core)
    stamp = os.path.join(venv, ".pins-" + pins)
    if os.path.exists(stamp):
        return venv, 0
    shutil.rmtree(venv, ignore_errors=True)
    if run([python, "-m", "venv", venv]) != 0:
        return venv, 1
    status = run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                  "ansible-core==%s" % core, "-r", os.path.join(HERE, "requirements.txt")])
    if status == 0:
        open(stamp, "w").close()
    return venv, status


def place_get_pip(venv):
    """ansible-test bootstraps its sanity venvs with get-pip from a host we cannot reach: put our stand-in
    where this version of ansible-test looks for it."""
    for path in glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "ansible_test", "_internal",
                                       "python_requirements.py")):
        with open(path, encoding="utf-8") as handle:
            for version in set(re.findall(r"pip='([0-9.]+)'", handle.read())):
                cache = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
                os.makedirs(os.path.dirname(cache), exist_ok=True)
                shutil.copy(GET_PIP_STANDIN, cache)


def parts_for(flags, python_version, unit_files, sanity=False):
    """What runs on one version: (name, ansible-test arguments, the simulator's variants mode or None), in order."""
    integration = ["integration", "--python", python_version, "--local", "--color", "no"]
    parts = [("units", ["units", "--python", python_version, "--local", "--color", "no"] + list(unit_files), None)]
    if "variants" in flags:
        parts += [("integration", integration + SPEC_AGAIN_TARGETS, None),
                  ("integration in %s" % VARIANTS, integration + TARGETS, VARIANTS)]
    else:
        parts.append(("integration", integration + (TARGETS if "edge" in flags else MIDDLE_TARGETS), None))
    if sanity:
        parts.append(("sanity", ["sanity", "--python", python_version, "--color", "no"], None))
    return parts


def run_integration(command, path, env, variants=None):
    """ansible-test integration in the installed copy at ``path``; with ``variants``, the simulator of every
    target answers in that mode (written where simulator.sh reads it, removed after)."""
    mode_file = os.path.join(path, VARIANTS_FILE)
    if variants:
        with open(mode_file, "w", encoding="utf-8") as handle:
            handle.write(variants + "\n")
        print("+ the simulator answers in %s (%s)" % (variants, VARIANTS_FILE), flush=True)
    try:
        return run(command, cwd=path, env=env)
    finally:
        if os.path.exists(mode_file):
            os.remove(mode_file)


def install_collection(venv):
    collections = os.path.join(venv, "collections")
    shutil.rmtree(collections, ignore_errors=True)
    tarball = glob.glob(os.path.join(ROOT, ".build", "twilio_community-serverless-*.tar.gz"))[0]
    status = run([os.path.join(venv, "bin", "ansible-galaxy"), "collection", "install", "--force", "-p",
                  collections, tarball], stdout=subprocess.DEVNULL)
    path = os.path.join(collections, "ansible_collections", "twilio_community", "serverless")
    # ansible-test lists files through the nearest git repository: the copy needs its own.
    run(["git", "init", "-q", path])
    return path, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sanity", help="also run ansible-test sanity with this ansible-core (from versions.txt)")
    parser.add_argument("--only", help="run only this ansible-core version")
    args = parser.parse_args()
    if TARGET_PROBLEMS:
        for problem in TARGET_PROBLEMS:
            print("FAILED: " + problem, file=sys.stderr)
        return 1
    with open(os.environ.get("MATRIX_VERSIONS", os.path.join(HERE, "versions.txt")), encoding="utf-8") as handle:
        versions = [line.split() for line in handle if line.strip() and not line.startswith("#")]
    report, failed = [], []
    allow_skip = os.environ.get("MATRIX_ALLOW_SKIP") == "1"
    for core, python_version, *flags in versions:
        if args.only and core != args.only:
            continue
        label = "ansible-core %s (Python %s)" % (core, python_version)
        if "dev" in flags:
            report.append("%s: the development version, tested in full by make units-all and make integration"
                          % label)
            continue
        python = find_python(python_version)
        if python is None:
            if allow_skip:
                report.append("%s: SKIPPED, Python %s is not on this machine (MATRIX_ALLOW_SKIP=1)"
                              % (label, python_version))
            else:
                failed.append(label)
                report.append("%s: FAILED, Python %s is not on this machine; install it (pyenv install %s), or "
                              "set MATRIX_ALLOW_SKIP=1 to skip this version" % (label, python_version, python_version))
            continue
        started = time.monotonic()
        venv, status = venv_for(core, python)
        if status != 0:
            failed.append(label)
            report.append("%s: FAILED to set up its venv" % label)
            continue
        place_get_pip(venv)
        path, status = install_collection(venv)
        setup = time.monotonic() - started
        env = dict(os.environ, PATH=os.path.join(venv, "bin") + os.pathsep + os.environ["PATH"])
        env.pop("VIRTUAL_ENV", None)
        timings = ["set-up %.0f s" % setup]
        for name, part, variants in parts_for(flags, python_version, unit_test_files(path), args.sanity == core):
            began = time.monotonic()
            command = [os.path.join(venv, "bin", "ansible-test")] + part
            status = run_integration(command, path, env, variants) if part[0] == "integration" else \
                run(command, cwd=path, env=env)
            timings.append("%s %s in %.0f s" % (name, "passed" if status == 0 else "FAILED", time.monotonic() - began))
            if status != 0:
                failed.append("%s %s" % (label, name))
        report.append("%s: %s" % (label, ", ".join(timings)))
    print("\nmatrix:")
    for line in report:
        print("  " + line)
    if failed:
        print("matrix FAILED: %s" % "; ".join(failed))
        return 1
    skipped = [line for line in report if ": SKIPPED" in line]
    print("matrix: every version here passed%s" % ("; %d SKIPPED (MATRIX_ALLOW_SKIP=1)" % len(skipped)
                                                   if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
