# SPDX-License-Identifier: GPL-3.0-or-later
"""serverless_build names and lists files as the toolkit does: its own fs.js, run in Node.

The toolkit's fs.js (@twilio-labs/serverless-api, pinned in package.json) names every row of the unit tests'
NAMING_TABLE and some 20,000 generated names (every combination of up to four pieces such as ``.public``,
``.protected``, ``.js``, a dot, a folder separator or a kind of whitespace); plugins/module_utils/_project/naming.py
must give the same path and visibility, and take the same files as functions. Names the toolkit refuses (its
checkForValidPath) are left out: scan_project refuses those itself, before any request.

A project with dotfiles, dot-folders and odd names is listed by the toolkit's getListOfFunctionsAndAssets and by
scan_project: the same files at the same paths, except exactly those naming.kept_out names (each in
``skipped``, which the module turns into warnings).
"""

import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODULES = os.path.join(HERE, "node_modules")
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "plugins", "module_utils", "_project"))

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import (  # noqa: E402
    scan_project,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.naming import (  # noqa: E402
    is_function_file,
    toolkit_path,
)
from test_naming import NAMING_TABLE  # noqa: E402  pylint: disable=wrong-import-position

NAMER = r"""
const fs = require(process.argv[1] + '/@twilio-labs/serverless-api/dist/utils/fs');
const path = require('path');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(([name, kind]) => {
  const ext = kind === 'function' ? '.js' : undefined;
  // getDirContent's filter of the functions folder
  const taken = kind !== 'function' || path.extname(name) === '.js';
  try {
    const named = fs.getPathAndAccessFromFileInfo({ name, path: name }, ext);
    return [taken, named.path, named.access];
  } catch (err) {
    return [taken, null, null];
  }
})));
"""
LISTER = r"""
const fs = require(process.argv[1] + '/@twilio-labs/serverless-api/dist/utils/fs');
const path = require('path');
const cwd = process.argv[2];
fs.getListOfFunctionsAndAssets(cwd).then(({ functions, assets }) => {
  const shown = (kind) => (r) => [path.relative(cwd, r.filePath), kind, r.path, r.access];
  process.stdout.write(JSON.stringify([...functions.map(shown('function')), ...assets.map(shown('asset'))]));
});
"""
PROJECT_FILES = [
    "functions/hello.js", "functions/.hidden.js", "functions/notes.md", "functions/types.d.ts", "functions/a b.js",
    "functions/admin.protected/x.js", "functions/say.public.js", "functions/.env", "functions/.git/hooks/post.js",
    "assets/.well-known/assetlinks.json", "assets/.well-known/apple-app-site-association", "assets/.gitkeep",
    "assets/.DS_Store", "assets/sub/.DS_Store", "assets/.env", "assets/.env.local", "assets/.twiliodeployinfo",
    "assets/.git/HEAD", "assets/logo.public.png", "assets/keys.private/id", "assets/README", "assets/.gitignore",
    "assets/.htaccess", "assets/sub/.env.example",
]
KEPT_OUT = {"functions/.git/hooks/post.js", "assets/.gitkeep", "assets/.env", "assets/.env.local",
            "assets/.twiliodeployinfo", "assets/.git/HEAD", "assets/sub/.env.example"}
PIECES = ["a", ".", ".public", ".protected", ".private", ".js", ".png", " ", u"\u00a0", u"\ufeff", u"\x1c", "/", "b."]


def generated():
    names = set()
    for count in range(1, 5):
        for combo in itertools.product(PIECES, repeat=count):
            name = "".join(combo)
            # Only names a folder listing can give: no empty, "." or ".." segment.
            if all(segment not in ("", ".", "..") for segment in name.split("/")):
                names.add(name)
    return sorted(names)


def toolkit_names(cases):
    if not os.path.isdir(os.path.join(MODULES, "@twilio-labs", "serverless-api")):
        pytest.fail("the toolkit is not installed: run `make toolkit` (npm ci in tests/toolkit)")
    proc = subprocess.run([shutil.which("node") or "node", "-e", NAMER, MODULES], input=json.dumps(cases),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def test_table_is_the_toolkits():
    answers = toolkit_names([[relative, kind] for relative, kind, dummy, dummy in NAMING_TABLE])
    assert [[True, path, visibility] for dummy, dummy, path, visibility in NAMING_TABLE] == answers


def test_generated_names_agree():
    cases = [[name, kind] for name in generated() for kind in ("function", "asset")]
    answers = toolkit_names(cases)
    differ = []
    for (name, kind), (taken, path, visibility) in zip(cases, answers):
        ours_taken = kind == "asset" or is_function_file(name)
        if ours_taken != taken or (path is not None and toolkit_path(name, kind) != (path, visibility)):
            differ.append((name, kind, toolkit_path(name, kind), ours_taken, path, visibility, taken))
    assert len(cases) > 20000 and not differ[:20]


def test_project_listing_is_the_toolkits_but_what_is_never_published(tmp_path):
    for relative in PROJECT_FILES:
        full = tmp_path / relative
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(b"x")
    proc = subprocess.run([shutil.which("node") or "node", "-e", LISTER, MODULES, str(tmp_path)], capture_output=True,
                          text=True, timeout=120, check=True)
    toolkit = set(tuple(entry) for entry in json.loads(proc.stdout))
    project = scan_project(str(tmp_path))
    ours = set((f.relative, f.kind, f.path, f.visibility) for f in project.files)
    assert set(entry[0] for entry in toolkit - ours) == KEPT_OUT and ours <= toolkit
    # One entry per kept-out name (a folder once), named with its folder, none for .DS_Store, as the toolkit says
    # nothing of it either; and one note naming the files of functions/ that are not functions.
    kept_out = [entry.split(" ")[0] for entry in project.skipped if not entry.startswith("'")]
    assert sorted(kept_out) == sorted(
        ["functions/.env", "functions/.git", "assets/.env", "assets/.env.local", "assets/.git", "assets/.gitkeep",
         "assets/.twiliodeployinfo", "assets/sub/.env.example"])
    assert [entry for entry in project.skipped if entry.startswith("'")] == [
        "'functions/notes.md', 'functions/types.d.ts' (only the *.js files of functions/ are functions)"]
