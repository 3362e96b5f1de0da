# SPDX-License-Identifier: GPL-3.0-or-later
"""The project folder rules, from the Twilio toolkit's getPathAndAccessFromFileInfo / getListOfFunctionsAndAssets."""

import hashlib
import json
import os

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import (
    path_and_visibility,
    project_dependencies,
    scan_project,
)

# (file relative to its folder, kind) -> (path, visibility): the toolkit's rules, case by case.
PATH_TABLE = [
    ("hello.js", "function", "/hello", "public"),
    ("hello.protected.js", "function", "/hello", "protected"),
    ("hello.private.js", "function", "/hello", "private"),
    ("api/v1/users.js", "function", "/api/v1/users", "public"),
    ("api/v1/users.protected.js", "function", "/api/v1/users", "protected"),
    ("with space.js", "function", "/with-space", "public"),
    ("a dir/tab\there.js", "function", "/a-dir/tab-here", "public"),
    ("a.protected.b.js", "function", "/a.protected.b", "public"),
    ("a.private.private.js", "function", "/a.private", "private"),
    ("index.html", "asset", "/index.html", "public"),
    ("logo.private.png", "asset", "/logo.png", "private"),
    ("css/site.protected.css", "asset", "/css/site.css", "protected"),
    ("README", "asset", "/README", "public"),
    ("archive.tar.gz", "asset", "/archive.tar.gz", "public"),
    ("data.private", "asset", "/data.private", "public"),
    ("my file.txt", "asset", "/my-file.txt", "public"),
    ("lib.js", "asset", "/lib.js", "public"),
]


@pytest.mark.parametrize("relative, kind, path, visibility", PATH_TABLE)
def test_path_and_visibility(relative, kind, path, visibility):
    assert path_and_visibility(relative, kind) == (path, visibility)


def write(root, relative, content=b"x"):
    full = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as handle:
        handle.write(content)
    return full


def paths(project):
    return [(f.path, f.kind, f.visibility) for f in project.files]


def test_toolkit_layout(tmp_path):
    write(tmp_path, "functions/hello.js", b"exports.handler = 1;\r\n")
    write(tmp_path, "functions/admin.protected.js")
    write(tmp_path, "functions/notes.md")  # not a function: ignored, as the toolkit does
    write(tmp_path, "functions/types.d.ts")
    write(tmp_path, "assets/logo.png", b"\x89PNG\r\n\x1a\n\x00")
    write(tmp_path, "assets/secret.private.json")
    write(tmp_path, "src/ignored.js")  # functions/ exists, so src/ is not read
    project = scan_project(str(tmp_path))
    assert paths(project) == [("/admin", "function", "protected"), ("/hello", "function", "public"),
                              ("/logo.png", "asset", "public"), ("/secret.json", "asset", "private")]
    hello = project.files[1]
    assert hello.sha256 == hashlib.sha256(b"exports.handler = 1;\r\n").hexdigest() and hello.size == 22
    assert hello.relative == "functions/hello.js" and project.skipped == [] and project.package_json is None


def test_src_and_static_fallbacks(tmp_path):
    write(tmp_path, "src/a.js")
    write(tmp_path, "static/b.txt")
    assert paths(scan_project(str(tmp_path))) == [("/a", "function", "public"), ("/b.txt", "asset", "public")]


def test_overrides(tmp_path):
    write(tmp_path, "functions/old.js")
    write(tmp_path, "dist/functions/new.js")
    write(tmp_path, "dist/assets/x.css")
    project = scan_project(str(tmp_path), "dist/functions", "dist/assets")
    assert paths(project) == [("/new", "function", "public"), ("/x.css", "asset", "public")]
    assert project.files[0].relative == "dist/functions/new.js"


@pytest.mark.parametrize("option, value, message", [
    ("functions_dir", "missing", "functions_dir: 'missing' is not a folder"),
    ("functions_dir", "../outside", "functions_dir: '../outside' is not inside source"),
    ("assets_dir", "/etc", "assets_dir: '/etc' is not inside source"),
])
def test_bad_overrides(tmp_path, option, value, message):
    write(tmp_path, "project/functions/a.js")
    os.makedirs(str(tmp_path / "outside"))
    with pytest.raises(OptionError) as caught:
        scan_project(str(tmp_path / "project"), **{option: value})
    assert str(caught.value).startswith(message)


def test_dotfiles_uploaded_as_the_toolkit_does_except_what_is_never_published(tmp_path):
    write(tmp_path, "functions/a.js")
    write(tmp_path, "functions/.eslintrc.js")
    write(tmp_path, "functions/.env", b"TOKEN=x")
    write(tmp_path, "assets/.gitkeep", b"")
    write(tmp_path, "assets/.DS_Store")
    write(tmp_path, "assets/.well-known/apple-app-site-association")
    write(tmp_path, "assets/.well-known/assetlinks.json")
    write(tmp_path, "assets/.well-known/.DS_Store")
    write(tmp_path, "assets/.env.production")
    write(tmp_path, "assets/.git/config")
    write(tmp_path, "assets/.twiliodeployinfo")
    write(tmp_path, "assets/ok.txt")
    project = scan_project(str(tmp_path))
    assert paths(project) == [("/.eslintrc", "function", "public"), ("/a", "function", "public"),
                              ("/.well-known/apple-app-site-association", "asset", "public"),
                              ("/.well-known/assetlinks.json", "asset", "public"), ("/ok.txt", "asset", "public")]
    assert sorted(project.skipped) == [".env (a .env file holds secrets)", ".env.production (a .env file holds secrets)",
                                       ".git (git's repository data)", ".gitkeep (a git placeholder, which Twilio refuses)",
                                       ".twiliodeployinfo (the toolkit's deploy state)"]


def test_symlinks(tmp_path):
    outside = write(tmp_path, "secret/id_rsa", b"KEY")
    os.makedirs(str(tmp_path / "secret" / "dir"))
    project = tmp_path / "project"
    inside = write(project, "assets/real.txt", b"inside")
    os.symlink(outside, str(project / "assets" / "stolen.txt"))
    os.symlink(str(tmp_path / "secret" / "dir"), str(project / "assets" / "outdir"))
    os.symlink(inside, str(project / "assets" / "alias.txt"))
    os.symlink(str(project / "assets"), str(project / "assets" / "loop"))
    os.symlink(str(project / "nothing"), str(project / "assets" / "broken"))
    found = scan_project(str(project))
    assert [f.path for f in found.files] == ["/alias.txt", "/real.txt"]
    assert all(f.sha256 == hashlib.sha256(b"inside").hexdigest() for f in found.files)
    assert sorted(found.skipped) == ["broken (a broken symlink)", "outdir (a symlink to outside source is not followed)",
                                     "stolen.txt (a symlink to outside source is not followed)"]


def test_functions_dir_symlinked_outside_is_refused(tmp_path):
    write(tmp_path, "elsewhere/a.js")
    os.makedirs(str(tmp_path / "project"))
    os.symlink(str(tmp_path / "elsewhere"), str(tmp_path / "project" / "functions"))
    write(tmp_path, "project/assets/x.txt")
    assert paths(scan_project(str(tmp_path / "project"))) == [("/x.txt", "asset", "public")]


@pytest.mark.parametrize("name", ["a;b.js", "a,b.js", "a?b.js", "a:b.js", "a@b.js", "a+b.js", "a&b.js", "a$b.js",
                                  "a(b.js", "a)b.js", "a'b.js", 'a"b.js', "a#b.js"])
def test_forbidden_characters_name_the_file(tmp_path, name):
    write(tmp_path, "functions/" + name)
    with pytest.raises(OptionError) as caught:
        scan_project(str(tmp_path))
    assert str(caught.value).startswith("source: %r maps to the path" % ("functions/" + name))
    assert "Twilio refuses" in str(caught.value)


def test_path_length(tmp_path):
    folder = "d" * 200
    write(tmp_path, "assets/%s/%s" % (folder, "f" * 54))  # path of 1 + 200 + 1 + 54 = 256 characters
    with pytest.raises(OptionError, match="maps to a path of 256 characters; Twilio accepts at most 255"):
        scan_project(str(tmp_path))
    os.remove(str(tmp_path / "assets" / folder / ("f" * 54)))
    write(tmp_path, "assets/%s/%s" % (folder, "f" * 53))
    assert len(scan_project(str(tmp_path)).files[0].path) == 255


@pytest.mark.parametrize("first, second", [("a b.js", "a-b.js"), ("x.js", "x.private.js")])
def test_two_files_one_path(tmp_path, first, second):
    write(tmp_path, "functions/" + first)
    write(tmp_path, "functions/" + second)
    with pytest.raises(OptionError, match="both map to the path"):
        scan_project(str(tmp_path))


def test_reserved_manifest_path(tmp_path):
    write(tmp_path, "functions/_ansible_build_manifest.js")
    with pytest.raises(OptionError, match="reserves for its build manifest"):
        scan_project(str(tmp_path))


@pytest.mark.parametrize("name, size, ok", [
    ("big.bin", 25 * 1024 * 1024, True), ("big.bin", 25 * 1024 * 1024 + 1, False),
    ("big.private.bin", 10 * 1024 * 1024, True), ("big.private.bin", 10 * 1024 * 1024 + 1, False),
])
def test_asset_size_limits(tmp_path, name, size, ok):
    full = write(tmp_path, "assets/" + name, b"")
    with open(full, "r+b") as handle:
        handle.truncate(size)
    if ok:
        assert scan_project(str(tmp_path)).files[0].size == size
    else:
        with pytest.raises(OptionError, match="'assets/%s' is %d bytes; Twilio accepts" % (name, size)):
            scan_project(str(tmp_path))


def test_not_a_folder_and_empty(tmp_path):
    with pytest.raises(OptionError, match="source: '.*nope' is not a folder"):
        scan_project(str(tmp_path / "nope"))
    write(tmp_path, "functions/readme.md")
    write(tmp_path, "dist/.gitkeep")
    with pytest.raises(OptionError, match="has no functions .* and no assets"):
        scan_project(str(tmp_path))


def test_package_json(tmp_path):
    write(tmp_path, "functions/a.js")
    write(tmp_path, "package.json", json.dumps({"dependencies": {"axios": "^1.7.0"}}).encode())
    assert scan_project(str(tmp_path)).package_json == {"dependencies": {"axios": "^1.7.0"}}
    write(tmp_path, "package.json", b'{"dependencies": {"axios": "1",}}')
    with pytest.raises(OptionError) as caught:
        scan_project(str(tmp_path))
    assert "package.json' is not valid JSON: " in str(caught.value) and "line 1" in str(caught.value)
    write(tmp_path, "package.json", b"[]")
    with pytest.raises(OptionError, match="does not hold a JSON object"):
        scan_project(str(tmp_path))


@pytest.mark.parametrize("given, package, expected", [
    (None, None, {}),
    (None, {"dependencies": {"axios": "^1.0.0", "lodash": ""}, "devDependencies": {"jest": "29"}},
     {"axios": "^1.0.0", "lodash": "*"}),
    ({"x": "1.0.0", "y": None}, {"dependencies": {"axios": "1"}}, {"x": "1.0.0", "y": "*"}),
    ({"@twilio/runtime-handler": "2.0.3"}, None, {"@twilio/runtime-handler": "2.0.3"}),
    ({"@twilio/runtime-handler": "1.3.0-beta.1"}, None, {"@twilio/runtime-handler": "1.3.0-beta.1"}),
])
def test_dependencies(given, package, expected):
    assert project_dependencies(given, package) == expected


@pytest.mark.parametrize("given, package, message", [
    ({"@twilio/runtime-handler": "^2.0.0"}, None, "dependencies: @twilio/runtime-handler is '^2.0.0'; Twilio"),
    (None, {"dependencies": {"@twilio/runtime-handler": "~1.2"}},
     "source: package.json dependencies: @twilio/runtime-handler is '~1.2'"),
    ({"x": 1}, None, "dependencies: the version of 'x' is 1, not a string"),
    (None, {"dependencies": ["x"]}, "source: package.json's dependencies is not an object"),
])
def test_bad_dependencies(given, package, message):
    with pytest.raises(OptionError) as caught:
        project_dependencies(given, package)
    assert str(caught.value).startswith(message)
