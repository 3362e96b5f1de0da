# SPDX-License-Identifier: GPL-3.0-or-later
"""A file's path and visibility as the Twilio toolkit names it, and what is kept out of an upload.

NAMING_TABLE is what the toolkit's own getPathAndAccessFromFileInfo (@twilio-labs/serverless-api 5.7.0,
packages/serverless-api/src/utils/fs.ts) returned for each name, run in Node; `make toolkit-test`
(tests/toolkit/test_naming_rules.py) runs it again on this table and on many generated names, so a row that
stops being the toolkit's answer fails there.
"""

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.naming import (
    is_function_file,
    kept_out,
    node_extname,
    toolkit_path,
)

# (file relative to its folder, kind, path, visibility)
NAMING_TABLE = [
    ("hello.private.js", "function", "/hello", "private"),
    ("css/site.protected.css", "asset", "/css/site.css", "protected"),
    ("with space.js", "function", "/with-space", "public"),
    ("README", "asset", "/README", "public"),
    ("lib.js", "asset", "/lib.js", "public"),
    ("a.JS", "asset", "/a.JS", "public"),
    # .public is removed: the first occurrence in the file's name, wherever it is.
    ("foo.public.js", "function", "/foo", "public"),
    ("foo.public.png", "asset", "/foo.png", "public"),
    ("my.public.file.js", "function", "/my.file", "public"),
    ("foo.publication.js", "function", "/fooation", "public"),
    ("public.js", "function", "/public", "public"),
    # The visibility's first occurrence is removed; it is decided by .protected<ext> / .private<ext> anywhere.
    ("a.protected.b.protected.js", "function", "/a.b.protected", "protected"),
    ("a.protected.b.js", "function", "/a.protected.b", "public"),
    ("x.protected.private.js", "function", "/x.protected", "private"),
    ("x.private.protected.js", "function", "/x.private", "protected"),
    ("a.private.private.js", "function", "/a.private", "private"),
    ("data.private", "asset", "/data.private", "public"),
    ("data.private.json", "asset", "/data.json", "private"),
    # A folder's name counts when it holds .protected<ext> / .private<ext> of the file's extension.
    ("admin.protected/README", "asset", "/admin.protected/README", "protected"),
    ("admin.protected/logo.png", "asset", "/admin.protected/logo.png", "public"),
    ("admin.protected/x.js", "function", "/admin.protected/x", "public"),
    ("keys.private/id", "asset", "/keys.private/id", "private"),
    ("notes.protectedness/todo", "asset", "/notes.protectedness/todo", "protected"),
    ("a.protected.js/b.js", "function", "/a.protected.js/b", "protected"),
    ("docs.private.pdf/x.pdf", "asset", "/docs.private.pdf/x.pdf", "private"),
    # Dotfiles and dot-folders are files like any other (Node: ".gitignore" has no extension).
    (".well-known/apple-app-site-association", "asset", "/.well-known/apple-app-site-association", "public"),
    (".well-known/assetlinks.json", "asset", "/.well-known/assetlinks.json", "public"),
    (".gitignore", "asset", "/.gitignore", "public"),
    (".hidden.js", "function", "/.hidden", "public"),
    ("..js", "function", "/.", "public"),
    (".public.js", "function", "/.", "public"),
    ("a..b", "asset", "/a..b", "public"),
    ("file.", "asset", "/file.", "public"),
    # JavaScript's \s, not Python's.
    (u"nbsp\u00a0here.txt", "asset", "/nbsp-here.txt", "public"),
    (u"bom\ufeff.txt", "asset", "/bom-.txt", "public"),
    (u"sep\x1cx.txt", "asset", u"/sep\x1cx.txt", "public"),
]


@pytest.mark.parametrize("relative, kind, path, visibility", NAMING_TABLE)
def test_toolkit_path(relative, kind, path, visibility):
    assert toolkit_path(relative, kind) == (path, visibility)


@pytest.mark.parametrize("name, ext", [
    ("a.js", ".js"), (".js", ""), ("..js", ".js"), (".gitkeep", ""), ("a.", "."), ("..", ""), ("...", "."),
    ("a..", "."), ("dir.x/file", ""), ("a.b.c", ".c"), ("", ""),
])
def test_node_extname(name, ext):
    assert node_extname(name) == ext


@pytest.mark.parametrize("relative, taken", [
    ("a.js", True), ("dir/.hidden.js", True), ("types.d.ts", False), ("a.JS", False), (".js", False),
    ("a.js.map", False), ("a.mjs", False),
])
def test_function_files_are_node_js_extensions(relative, taken):
    assert is_function_file(relative) is taken


@pytest.mark.parametrize("name", [".env", ".env.local", ".env.production", ".git", ".twiliodeployinfo", ".gitkeep"])
def test_kept_out(name):
    assert kept_out(name)


@pytest.mark.parametrize("name", [".well-known", ".gitignore", ".htaccess", ".environment", "env", ".envrc", "a.env",
                                  ".github", ".DS_Store"])
def test_uploaded_as_the_toolkit_does(name):
    # .DS_Store is kept out silently (SILENTLY_KEPT_OUT), before kept_out is asked.
    assert kept_out(name) is None
