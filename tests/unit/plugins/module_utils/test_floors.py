# SPDX-License-Identifier: GPL-3.0-or-later
"""The floors of plugins/module_utils, as docs/architecture.md draws them: nothing imports upward, no cycle.

A floor may import its own files and the floors below it that the table names; the top (the Ansible face:
``_module.py``, ``_options.py``) may import every floor. Read from the source, so a new file or import is
checked the day it is written.
"""

import ast
import os

import pytest

MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))), "plugins", "module_utils")
PREFIX = "ansible_collections.twilio_community.serverless.plugins.module_utils."
TOP = "(top)"
# floor -> the floors it may import (itself included)
MAY_IMPORT = {
    "_core": {"_core"},
    "_http": {"_core", "_http"},
    "_project": {"_core", "_project"},
    "_api": {"_core", "_http", "_api"},
    "_wait": {"_core", "_http", "_api", "_wait"},
    "_release": {"_core", "_http", "_api", "_project", "_wait", "_release"},
    TOP: {"_core", "_http", "_api", "_project", "_wait", "_release", TOP},
}
MAX_TOP_FILES = 8


def modules():
    """Dotted name (relative to module_utils) -> path, for every file but the empty __init__.py."""
    found = {}
    for folder, _dirs, files in os.walk(MODULE_UTILS):
        for name in files:
            if name.endswith(".py") and name != "__init__.py":
                relative = os.path.relpath(os.path.join(folder, name), MODULE_UTILS)[:-3]
                found[relative.replace(os.sep, ".")] = os.path.join(folder, name)
    return found


def floor(dotted):
    return dotted.split(".")[0] if "." in dotted else TOP


def imports(path):
    """The module_utils modules a file imports (``from X import y`` and ``from pkg import module``)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX):
            target = node.module[len(PREFIX):]
            if "." not in target and target in MAY_IMPORT:
                found.update("%s.%s" % (target, alias.name) for alias in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.ImportFrom) and node.module == PREFIX[:-1]:
            found.update(alias.name for alias in node.names)
    return found


GRAPH = dict((name, imports(path)) for name, path in modules().items())


def test_the_top_holds_at_most_eight_files_and_every_floor_is_known():
    top = [name for name in GRAPH if floor(name) == TOP]
    assert len(top) <= MAX_TOP_FILES, sorted(top)
    assert set(floor(name) for name in GRAPH) <= set(MAY_IMPORT), "a floor docs/architecture.md does not draw"


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_nothing_imports_upward(name):
    allowed = MAY_IMPORT[floor(name)]
    upward = sorted(target for target in GRAPH[name] if floor(target) not in allowed)
    assert not upward, "%s imports %s, above or beside its floor" % (name, ", ".join(upward))


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_every_import_names_a_file_that_exists(name):
    assert GRAPH[name] <= set(GRAPH), sorted(GRAPH[name] - set(GRAPH))


def test_no_cycle():
    state = {}

    def visit(name, path):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", "import cycle: %s" % " -> ".join(path + [name])
        state[name] = "open"
        for target in sorted(GRAPH.get(name, ())):
            visit(target, path + [name])
        state[name] = "done"
    for name in sorted(GRAPH):
        visit(name, [])
