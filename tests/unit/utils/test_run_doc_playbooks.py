# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/utils/run_doc_playbooks.py (`make docs-check`) sorts each YAML block of the docs, and fails on what it cannot run.

Only the sorting is tested here; running the playbooks against the simulator is what `make docs-check` does.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))

import run_doc_playbooks  # noqa: E402  pylint: disable=wrong-import-position,import-error

PLAY = "- name: A play\n  hosts: localhost\n  tasks: []\n"
TASK = "- name: A task\n  ansible.builtin.debug:\n    msg: hi\n"


def write(root, path, text):
    path = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def sort(root, markdown):
    write(root, "README.md", markdown)
    found, problems = run_doc_playbooks.blocks(str(root), "README.md")
    return [run_doc_playbooks.plan(str(root), block)[::2] for block in found], problems


def test_a_playbook_runs_and_a_marked_fragment_does_not(tmp_path):
    markdown = "```yaml\n%s```\n\n<!-- docs-check: fragment: one task -->\n```yaml\n%s```\n" % (PLAY, TASK)
    assert sort(tmp_path, markdown) == ([("run", None), ("fragment", None)], [])


def test_an_unmarked_fragment_fails(tmp_path):
    (plans, dummy) = sort(tmp_path, "Text\n\n```yaml\n%s```\n" % TASK)
    assert plans == [("run", "README.md:3: not a complete playbook (a list of plays with hosts:); make it one, or "
                      "mark it <!-- docs-check: fragment: WHY --> on the line before its fence")]


def test_a_fragment_must_say_why(tmp_path):
    (plans, dummy) = sort(tmp_path, "<!-- docs-check: fragment -->\n```yaml\n%s```\n" % TASK)
    assert plans == [("fragment", "README.md:2: a fragment marker must say why: fragment: WHY")]


def test_a_block_that_says_it_is_a_file_must_be_that_file(tmp_path):
    write(tmp_path, "docs/examples/play.yml", PLAY)
    same = "<!-- docs-check: the file docs/examples/play.yml -->\n```yaml\n%s```\n" % PLAY
    assert sort(tmp_path, same) == ([("file", None)], [])
    # Byte for byte: a changed word, or only a changed space, is another file.
    for other in (same.replace("A play", "Another play"), same.replace("tasks: []", "tasks:  []")):
        assert sort(tmp_path, other)[0] == [("file", "README.md:2: the block says it is docs/examples/play.yml but "
                                             "differs from it; paste the file as it is")]


def test_a_list_item_block_is_read_without_its_indent(tmp_path):
    indented = "".join("   " + line + "\n" for line in PLAY.splitlines())
    assert sort(tmp_path, "1. Step:\n\n   ```yaml\n%s   ```\n" % indented) == ([("run", None)], [])


def test_unknown_markers_and_markers_on_other_blocks_fail(tmp_path):
    markdown = ("<!-- docs-check: skip -->\n```yaml\n%s```\n\n<!-- docs-check: fragment: x -->\n```console\n$ ls\n```\n"
                % PLAY)
    plans, problems = sort(tmp_path, markdown)
    assert plans == [(None, "README.md:2: unknown docs-check marker 'skip' (fragment: WHY, after FILE, the file FILE)")]
    assert problems == ["README.md:9: a docs-check marker before a console block, not a yaml one"]


def test_the_docs_of_this_checkout_sort_cleanly():
    problems = []
    for relpath in run_doc_playbooks.doc_files(ROOT):
        found, marker_problems = run_doc_playbooks.blocks(ROOT, relpath)
        problems += marker_problems + [run_doc_playbooks.plan(ROOT, block)[2] for block in found]
    assert [problem for problem in problems if problem] == []
