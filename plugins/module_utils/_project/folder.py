# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A project folder read with the Twilio serverless toolkit's rules, so a toolkit project works unchanged.

The rules follow ``getListOfFunctionsAndAssets`` and ``getPathAndAccessFromFileInfo`` in
twilio-labs/serverless-toolkit ``packages/serverless-api/src/utils/fs.ts``: functions are the ``*.js``
files of ``functions/`` (else ``src/``), assets every regular file of ``assets/`` (else ``static/``);
a file's path and visibility are the toolkit's (``naming.toolkit_path``), dotfiles and dot-folders included
(``assets/.well-known/``). Where we differ, on purpose:

- what must never be published, or cannot be, is kept out with a note the module turns into a warning
  (``naming.kept_out``: ``.env`` files, ``.git``, ...); ``.DS_Store`` silently, as the toolkit does;
- a symlink is followed only when its target is inside ``source``;
- paths Twilio refuses, two files mapping to one path, and assets over Twilio's size limits are refused
  here, naming the file, before any request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import hashlib
import json
import os
import re
import stat

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import excerpt, shown, shown_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.naming import (
    is_function_file,
    kept_out,
    SILENTLY_KEPT_OUT,
    toolkit_path,
)

FUNCTION_DIRS = ("functions", "src")
ASSET_DIRS = ("assets", "static")
VISIBILITIES = ("public", "protected", "private")
# Twilio's limits for an asset: 413 with no JSON body beyond them.
MAX_ASSET_BYTES = {"public": 25 * 1024 * 1024, "protected": 25 * 1024 * 1024, "private": 10 * 1024 * 1024}
# Characters Twilio refuses in a Function or Asset path (error 20001 on upload).
FORBIDDEN = ";,?:@+&$()'\"#"
MAX_PATH_LENGTH = 255
# Reserved for the build manifest (see _build_plan.MANIFEST_PATH); a project file may not take it.
RESERVED_PATHS = frozenset(("/_ansible_build_manifest",))
_CHUNK = 1024 * 1024

SourceFile = collections.namedtuple("SourceFile", "path kind visibility local_path relative size sha256")
Project = collections.namedtuple("Project", "files skipped package_json functions_dir assets_dir")


def file_sha256(local_path):
    digest = hashlib.sha256()
    with open(local_path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def path_and_visibility(relative, kind):
    """The Twilio path and visibility of a file at ``relative`` (``/``-separated) in its folder, as the toolkit
    names it (see naming.py)."""
    return toolkit_path(relative, kind)


def check_path(path, shown_file, option="source"):
    """Raise OptionError when Twilio would refuse ``path``, naming the file it came from."""
    bad = sorted(set(c for c in path if c in FORBIDDEN))
    if bad:
        raise OptionError(option, "%s maps to the path %s, which contains %s; Twilio refuses any of %s in a path: "
                                  "rename the file" % (shown_file, shown_path(path), " ".join(bad), " ".join(FORBIDDEN)))
    if len(path) > MAX_PATH_LENGTH:
        raise OptionError(option, "%s maps to a path of %d characters; Twilio accepts at most %d: rename the file "
                                  "or move it up" % (shown_file, len(path), MAX_PATH_LENGTH))
    if path in RESERVED_PATHS:
        raise OptionError(option, "%s maps to the path %s, which this collection reserves for its build manifest: "
                                  "rename the file" % (shown_file, path))


def _inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _folder(source, root, option, given, defaults):
    """The folder to read, or None: ``given`` (must exist, inside source) or the first default that exists."""
    if given:
        full = os.path.join(source, given)
        if os.path.isabs(given) or not _inside(os.path.realpath(full), root):
            raise OptionError(option, "%s is not inside source; expected a folder relative to source, such as "
                                      "'dist/%s'" % (shown(given), "functions" if option == "functions_dir"
                                                     else "assets"))
        if not os.path.isdir(full):
            raise OptionError(option, "%s is not a folder in %s" % (shown(given), shown_path(source)))
        return full
    for name in defaults:
        full = os.path.join(source, name)
        if os.path.isdir(full) and _inside(os.path.realpath(full), root):
            return full
    return None


def _walk(top, root, skipped):
    """(absolute path, path relative to ``top`` with ``/``) of every regular file under ``top``.

    What must never be published is skipped (naming.kept_out); a symlink is followed only when it resolves
    inside ``root`` (the real ``source``), and a folder is read once however many links lead to it.
    """
    seen = set()
    pending = [(top, "")]
    found = []
    while pending:
        folder, prefix = pending.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            raise OptionError("source", "cannot read the folder %s (%s)" % (shown_path(folder), exc.strerror or exc))
        for name in names:
            full = os.path.join(folder, name)
            relative = prefix + name
            if name in SILENTLY_KEPT_OUT:
                continue
            reason = kept_out(name)
            if reason:
                skipped.append("%s (%s)" % (relative, reason))
                continue
            if os.path.islink(full) and not _inside(os.path.realpath(full), root):
                skipped.append("%s (a symlink to outside source is not followed)" % relative)
                continue
            try:
                mode = os.stat(full).st_mode
            except OSError:
                skipped.append("%s (a broken symlink)" % relative)
                continue
            if stat.S_ISDIR(mode):
                pending.append((full, relative + "/"))
            elif stat.S_ISREG(mode):
                found.append((full, relative))
            else:
                skipped.append("%s (not a regular file)" % relative)
    return sorted(found, key=lambda item: item[1])


def read_package_json(source):
    """The parsed ``package.json`` of ``source``, or None when there is none; OptionError naming the parse error."""
    path = os.path.join(source, "package.json")
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (IOError, OSError) as exc:
        raise OptionError("source", "cannot read %s (%s)" % (shown_path(path), exc.strerror or exc))
    except (ValueError, UnicodeDecodeError) as exc:
        raise OptionError("source", "%s is not valid JSON: %s" % (shown_path(path), excerpt(str(exc), 160)))
    if not isinstance(data, dict):
        raise OptionError("source", "%s does not hold a JSON object" % shown_path(path))
    return data


def scan_project(source, functions_dir=None, assets_dir=None):
    """Read the project folder: every file to upload with its path, visibility, size and sha256.

    Raises OptionError naming the option and the file for anything Twilio would refuse, before any request.
    """
    if not os.path.isdir(source):
        raise OptionError("source", "%s is not a folder; expected a project folder with functions/ (or src/) "
                                    "and/or assets/ (or static/)" % shown_path(source))
    if not os.access(source, os.R_OK | os.X_OK):
        raise OptionError("source", "%s cannot be read" % shown_path(source))
    root = os.path.realpath(source)
    skipped = []
    functions_top = _folder(source, root, "functions_dir", functions_dir, FUNCTION_DIRS)
    assets_top = _folder(source, root, "assets_dir", assets_dir, ASSET_DIRS)
    files, by_path = [], {}
    for kind, top in (("function", functions_top), ("asset", assets_top)):
        if top is None:
            continue
        label = os.path.relpath(top, source).replace(os.sep, "/")
        for full, relative in _walk(top, root, skipped):
            if kind == "function" and not is_function_file(relative):
                continue
            named = shown("%s/%s" % (label, relative), 120)
            path, visibility = path_and_visibility(relative, kind)
            check_path(path, named)
            if path in by_path:
                raise OptionError("source", "%s and %s both map to the path %s; keep one"
                                  % (by_path[path], named, shown_path(path)))
            by_path[path] = named
            size = os.stat(full).st_size
            if kind == "asset" and size > MAX_ASSET_BYTES[visibility]:
                raise OptionError("source", "%s is %d bytes; Twilio accepts %s assets of at most %d MB"
                                  % (named, size, visibility, MAX_ASSET_BYTES[visibility] // (1024 * 1024)))
            try:
                digest = file_sha256(full)
            except (IOError, OSError) as exc:
                raise OptionError("source", "cannot read %s (%s)" % (named, exc.strerror or exc))
            files.append(SourceFile(path, kind, visibility, full, "%s/%s" % (label, relative), size, digest))
    if not files:
        raise OptionError("source", "%s has no functions (*.js in %s) and no assets (in %s); expected at least one "
                                    "(an empty build output folder?)" % (
                                        shown_path(source), functions_dir or " or ".join(FUNCTION_DIRS),
                                        assets_dir or " or ".join(ASSET_DIRS)))
    return Project(files, skipped, read_package_json(source), functions_top, assets_top)


RUNTIME_HANDLER = "@twilio/runtime-handler"
# Twilio accepts only an exact version of the runtime handler (the toolkit checks this before deploying too).
_EXACT_VERSION = re.compile(r"\A[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\Z")


def project_dependencies(given, package_json):
    """The dependencies to build with, name -> version: ``given``, else package.json's ``dependencies``.

    An empty version means ``*``, as in npm. OptionError names the option (or package.json) and the entry.
    """
    option = "dependencies"
    if given is None:
        option = "source: package.json dependencies"
        given = (package_json or {}).get("dependencies") or {}
        if not isinstance(given, dict):
            raise OptionError("source", "package.json's dependencies is not an object of name: version")
    wanted = {}
    for name, version in given.items():
        if not isinstance(name, str) or not name.strip():
            raise OptionError(option, "has an empty package name")
        if version is None or (isinstance(version, str) and not version.strip()):
            version = "*"
        if not isinstance(version, str):
            # YAML reads 1.10 as the number 1.1: a number would not be the version the user wrote.
            raise OptionError(option, "the version of %s is %r, not a string; quote it, such as '1.10.0'"
                              % (shown(name), version))
        wanted[name] = version.strip()
    handler = wanted.get(RUNTIME_HANDLER)
    if handler is not None and not _EXACT_VERSION.match(handler):
        raise OptionError(option, "%s is %s; Twilio accepts only an exact version, such as '2.0.3' (no range, "
                                  "no '^' or '~')" % (RUNTIME_HANDLER, shown(handler)))
    return wanted
