# SPDX-License-Identifier: GPL-3.0-or-later
"""`make docs-check` (second step): every YAML block of README.md and docs/**/*.md runs as written, or says why not.

A reader copies a block and runs it. So each ```yaml block is one of:

- a complete playbook: extracted as it is into a folder with a copy of docs/examples/project beside it (as
  ``{{ playbook_dir }}/project``), and run with ``ansible-playbook PLAYBOOK`` against a fresh simulator whose
  account is empty, credentials from the ``TWILIO_*`` environment variables (the one credentials style of the
  docs); it must end with rc 0, after a run with ``--check`` that ends with rc 0 and writes nothing (no request
  but GET in the simulator's log);
- marked on the line before the fence:
  - ``<!-- docs-check: fragment: WHY -->``: not run (tasks without a play, a requirements file, a job template
    for AWX); WHY is required, so each skip says its reason;
  - ``<!-- docs-check: after FILE -->``: a complete playbook that needs what FILE (a playbook of the checkout)
    makes: FILE runs first on the same simulator, then the block (the blocks after one FILE share one run of it,
    and run in the order of the docs);
  - ``<!-- docs-check: the file FILE -->``: the block is FILE byte for byte (a snippet that says it is a file
    must be that file), and is run like any playbook.

An unmarked block that is not a list of plays, an unknown marker, a marker without its block, or a run that
fails: each is a problem, and the script exits 1.

Usage: ANSIBLE_COLLECTIONS_PATH=... python tests/utils/run_doc_playbooks.py [--list] [ROOT]
"""

import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim import launcher  # noqa: E402  pylint: disable=wrong-import-position,import-error
from twilio_sim.control import Control  # noqa: E402  pylint: disable=wrong-import-position,import-error

BIN = os.path.dirname(sys.executable)
FENCE = re.compile(r"^(\s*)```\s*(\S*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*docs-check:\s*(.*?)\s*-->\s*$")
SEED = os.path.join("tests", "simulator", "seeds", "empty.json")
PROJECT = os.path.join("docs", "examples", "project")
WORKERS = 4


class Block(object):
    def __init__(self, path, line, text, marker):
        self.path, self.line, self.text, self.marker = path, line, text, marker

    def __str__(self):
        return "%s:%d" % (self.path, self.line)


def doc_files(root):
    paths = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"),
                                                                 recursive=True))
    return [os.path.relpath(path, root) for path in paths if os.sep + "reference" + os.sep not in path]


def blocks(root, relpath):
    """The YAML blocks of one Markdown file, each with the marker on the line before its fence (or None)."""
    with open(os.path.join(root, relpath), encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    found, problems, index, previous = [], [], 0, ""
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            if lines[index].strip():
                previous = lines[index]
            index += 1
            continue
        indent, info = opening.group(1), opening.group(2)
        end = index + 1
        while end < len(lines) and not FENCE.match(lines[end]):
            end += 1
        marker = MARKER.match(previous)
        if info in ("yaml", "yml"):
            # A block inside a list item is indented as the item's text: the reader copies it without that indent.
            body = [line[len(indent):] if line.startswith(indent) else line for line in lines[index + 1:end]]
            found.append(Block(relpath, index + 1, "\n".join(body) + "\n", marker.group(1) if marker else None))
        elif marker:
            problems.append("%s:%d: a docs-check marker before a %s block, not a yaml one"
                            % (relpath, index + 1, info or "plain"))
        previous = ""
        index = end + 1
    return found, problems


def plan(root, block):
    """(kind, argument, problem) for one block: kind is fragment, run, after or file."""
    marker = block.marker or ""
    if marker.startswith("fragment"):
        why = marker[len("fragment"):].lstrip(":").strip()
        return ("fragment", why, None if why else "%s: a fragment marker must say why: fragment: WHY" % block)
    if marker.startswith("after ") or marker.startswith("the file "):
        kind, path = ("after", marker[6:].strip()) if marker.startswith("after ") else ("file", marker[9:].strip())
        if not os.path.isfile(os.path.join(root, path)):
            return (kind, path, "%s: the marker names %s, which does not exist" % (block, path))
        if kind == "file":
            with open(os.path.join(root, path), encoding="utf-8") as handle:
                if handle.read() != block.text:
                    return (kind, path, "%s: the block says it is %s but differs from it; paste the file as it is"
                            % (block, path))
    elif marker:
        return (None, None, "%s: unknown docs-check marker %r (fragment: WHY, after FILE, the file FILE)"
                % (block, marker))
    else:
        kind, path = "run", None
    try:
        plays = yaml.safe_load(block.text)
    except yaml.YAMLError as error:
        return (kind, path, "%s: not valid YAML: %s" % (block, str(error).splitlines()[0]))
    if not isinstance(plays, list) or not plays or not all(isinstance(play, dict) and (
            "hosts" in play or "import_playbook" in play or "ansible.builtin.import_playbook" in play) for play in plays):
        return (kind, path, "%s: not a complete playbook (a list of plays with hosts:); make it one, or mark it "
                "<!-- docs-check: fragment: WHY --> on the line before its fence" % block)
    return (kind, path, None)


def run_playbooks(root, blocks, setup):
    """Run setup (a playbook of the checkout, or None), then each block, on one fresh simulator with an empty account.

    Returns a problem per block that failed (None for one that ran)."""
    seed = os.path.join(root, SEED)
    folder = tempfile.mkdtemp(prefix="doc-playbook-")
    proc = None
    try:
        shutil.copytree(os.path.join(root, PROJECT), os.path.join(folder, "project"))
        proc, url = launcher.start(seed)
        credentials = launcher.credentials(seed)
        env = dict(os.environ, TWILIO_ACCOUNT_SID=credentials["account_sid"],
                   TWILIO_AUTH_TOKEN=credentials["auth_token"], TWILIO_SERVERLESS_BASE_URL=url, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
                   PATH=BIN + os.pathsep + os.environ["PATH"])
        for name in ("TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_REGION", "TWILIO_EDGE"):
            env.pop(name, None)
        if setup:
            problem = ansible_playbook(os.path.join(root, setup), folder, env)
            if problem:
                return ["%s: %s, which runs first, failed: %s" % (block, setup, problem) for block in blocks]
        problems = []
        for block in blocks:
            playbook = os.path.join(folder, "playbook.yml")
            with open(playbook, "w", encoding="utf-8") as handle:
                handle.write(block.text)
            if not setup:
                # A dry run first, as the AWX recipe advises (launch as Check): from an empty account it must pass
                # and write nothing.
                sim = Control(url)
                sim.clear()
                problem = ansible_playbook(playbook, folder, env, "--check")
                writes = ["%s %s" % (e["method"], e["path"]) for e in sim.log() if e["method"] != "GET"]
                if problem or writes:
                    problems.append("%s: ansible-playbook --check on an empty account %s" % (
                        block, "failed: %s" % problem if problem else "wrote: %s" % ", ".join(writes)))
                    continue
            problem = ansible_playbook(playbook, folder, env)
            problems.append("%s: ansible-playbook failed %s: %s" % (
                block, "after %s" % setup if setup else "on an empty account", problem) if problem else None)
        return problems
    finally:
        if proc is not None:
            launcher.stop(proc)
        shutil.rmtree(folder, ignore_errors=True)


def ansible_playbook(playbook, folder, env, *options):
    """Run one playbook as a reader would (ansible-playbook PLAYBOOK, no inventory); the output's tail if it fails."""
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), playbook] + list(options), cwd=folder, env=env,
                         capture_output=True, text=True, check=False)
    if run.returncode == 0:
        return None
    return "rc %d\n%s" % (run.returncode, "\n".join((run.stdout + run.stderr).strip().splitlines()[-25:]))


def main(argv):
    listing = "--list" in argv
    args = [arg for arg in argv if arg != "--list"]
    root = os.path.abspath(args[0]) if args else ROOT
    problems, runs, fragments = [], [], 0
    started = time.monotonic()
    for relpath in doc_files(root):
        found, marker_problems = blocks(root, relpath)
        problems.extend(marker_problems)
        for block in found:
            kind, argument, problem = plan(root, block)
            if problem:
                problems.append(problem)
            elif kind == "fragment":
                fragments += 1
                print("%s: fragment (%s)" % (block, argument))
            else:
                runs.append((block, argument if kind == "after" else None))
                if listing:
                    print("%s: playbook%s" % (block, " (after %s)" % argument if kind == "after" else
                                              " (= %s)" % argument if kind == "file" else ""))
    if not listing:
        # Blocks that need the same playbook first share one simulator, after one run of it; the others get one
        # each. Each run waits for builds most of its time: they run side by side.
        groups = {}
        for block, setup in runs:
            groups.setdefault(setup or block, []).append(block)
        with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
            outcomes = list(pool.map(lambda item: timed(root, item[1], item[0] if isinstance(item[0], str) else None),
                                     groups.items()))
        for (key, members), (found, seconds) in zip(groups.items(), outcomes):
            setup = key if isinstance(key, str) else None
            for block, problem in zip(members, found):
                if problem:
                    problems.append(problem)
                else:
                    print("%s: ran on an empty account%s (%.1f s for %s)" % (
                        block, " after %s" % setup if setup else "", seconds,
                        "it and the %d playbooks after it" % len(members) if setup else "it"))
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    if not problems:
        print("docs: every YAML block runs or is a fragment (%d playbooks ran, %d fragments; %.0f s)"
              % (0 if listing else len(runs), fragments, time.monotonic() - started))
    return 1 if problems else 0


def timed(root, blocks, setup):
    began = time.monotonic()
    return run_playbooks(root, blocks, setup), time.monotonic() - began


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
