# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a build from a project folder reuses of a reference build, and the manifest that makes it possible.

Pure functions, no requests. Twilio lets a client read a function version's content back, but not an
asset's, so every build this collection makes carries a manifest: a private function at
``MANIFEST_PATH`` whose content is JavaScript (``exports.manifest = {...}``) holding, per path, the kind,
visibility, sha256 and version SID, and the runtime and dependencies asked for. A manifest entry is
trusted only when its version SID is in the reference build at the same path, kind and visibility (a
manifest copied into a hand-made build, or one that lies, cannot make us reuse a version that is not
there). A service built by another tool has no manifest: its functions are reused when their content
has the file's sha256, its assets are uploaded once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import hashlib
import json

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown

# A private function: not reachable over HTTP, no forbidden character, outside the toolkit's naming (no
# file in functions/ maps to it, and _source refuses one that would).
MANIFEST_PATH = "/_ansible_build_manifest"
MANIFEST_FORMAT = 1
# A new build keeps the reference's manifest (no upload) while at most this many of its functions have no
# trusted entry in it: each costs one content read on the next run, and an unchanged re-run should stay
# within about 5 requests. A changed asset, runtime or dependency always needs a new manifest.
MAX_UNTRACKED_FUNCTIONS = 1
_HEADER = (b"// Build manifest of twilio_community.serverless.serverless_build: what this build holds, so the next\n"
           b"// run reuses unchanged files. Private; not a handler.\n"
           b"exports.manifest = ")

Version = collections.namedtuple("Version", "sid kind path visibility resource_sid")
# A version of a Build that cannot be read well enough to reuse it: ``path`` (None when it has none),
# ``visibility`` as read (None when unknown), ``problem`` the warning that names it.
Unreadable = collections.namedtuple("Unreadable", "kind path visibility problem")
Planned = collections.namedtuple("Planned", "file action version_sid")
# ``unreadable``: the warnings for the reference Build's versions that could not be read (their files are
# uploaded again, and the plan is never "unchanged" while the Build holds one).
Plan = collections.namedtuple("Plan", "files unchanged added changed removed before unreadable")


def manifest_content(runtime, dependencies, entries):
    """The manifest function's bytes. ``entries``: dicts with path, kind, visibility, sha256, version_sid."""
    data = {"format": MANIFEST_FORMAT, "runtime": runtime, "dependencies": dict(dependencies),
            "files": dict((e["path"], {"kind": e["kind"], "visibility": e["visibility"], "sha256": e["sha256"],
                                       "version_sid": e["version_sid"]}) for e in entries)}
    return _HEADER + json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8") + b";\n"


def parse_manifest(content):
    """The manifest dict from a manifest function's bytes, or None when it is not one we can read."""
    if not isinstance(content, bytes) or not content.startswith(_HEADER):
        return None
    text = content[len(_HEADER):].rstrip()
    if not text.endswith(b";"):
        return None
    try:
        data = json.loads(text[:-1].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
        return None
    if not isinstance(data.get("dependencies"), dict):
        return None
    return data


def _version_path(item):
    """A version's path; Twilio adds a missing leading slash (2019 bodies show ``path: "asset-path"``)."""
    path = readers.text(item, "path")
    if path is None or not path.strip():
        return None
    return path if path.startswith("/") else "/" + path


def _problem(label, kind, path, sid, visibility, item):
    """Why a version cannot be reused, naming its path (or saying it has none); None when it can."""
    raw_sid, raw_visibility = readers.value(item, "sid"), readers.value(item, "visibility")
    if path is None:
        return "%s lists a %s version (%s) without a path; it is not reused" % (
            label, kind, "SID %s" % shown(raw_sid) if raw_sid is not None else "no SID")
    if sid is None:
        said = ("SID %s, which is not a Function or Asset Version SID (ZN...)" % shown(raw_sid)
                if raw_sid is not None else "no SID")
        return "%s lists the %s version at %s with %s; %s is uploaded again" % (
            label, kind, shown(path), said, shown(path))
    if visibility is None:
        said = ("visibility %s, not public, protected or private" % shown(raw_visibility)
                if raw_visibility is not None else "no visibility")
        return "%s lists the %s version %s at %s with %s; %s is uploaded again" % (
            label, kind, sid, shown(path), said, shown(path))
    return None


def read_build_versions(build):
    """A Build record's versions, read as untrusted data: (the Versions that can be reused, the Unreadable ones).

    A version is unreadable when it has no path, no Function or Asset Version SID (ZN...), or a visibility that
    is not public, protected or private in any case (``PUBLIC`` is ``public``). A path with an unreadable
    version is left out of the Versions altogether, so its file is uploaded again and never reused on a guess.
    """
    found, unreadable = [], []
    build_sid = readers.sid(build, "sid", "ZB")
    label = "Build %s" % build_sid if build_sid else "The reference build"
    for kind, key, owner in (("function", "function_versions", "function_sid"),
                             ("asset", "asset_versions", "asset_sid")):
        for item in readers.records(build, key):
            path, sid = _version_path(item), readers.sid(item, "sid", "ZN")
            visibility = readers.token(item, "visibility", readers.VISIBILITIES)
            problem = _problem(label, kind, path, sid, visibility, item)
            if problem is None:
                found.append(Version(sid, kind, path, visibility, readers.sid(item, owner, "ZH")))
            else:
                unreadable.append(Unreadable(kind, path, visibility, problem))
    doubtful = set(u.path for u in unreadable)
    return [v for v in found if v.path not in doubtful], unreadable


def build_versions(build):
    """The versions of a Build record that can be reused (see read_build_versions)."""
    return read_build_versions(build)[0]


def manifest_version(build):
    """The manifest function version of a Build, or None."""
    for version in build_versions(build):
        if version.kind == "function" and version.path == MANIFEST_PATH:
            return version
    return None


def trusted_entries(manifest, build):
    """path -> manifest entry, for entries whose version is in ``build`` at that path, kind and visibility."""
    if not manifest:
        return {}
    in_build = dict((v.sid, v) for v in build_versions(build))
    trusted = {}
    for path, entry in manifest.get("files", {}).items():
        if not isinstance(entry, dict):
            continue
        version = in_build.get(entry.get("version_sid"))
        if (version is not None and version.path == path and version.kind == entry.get("kind")
                and version.visibility == entry.get("visibility") and isinstance(entry.get("sha256"), str)):
            trusted[path] = entry
    return trusted


def _by_path(build):
    return dict((v.path, v) for v in build_versions(build) if not (v.kind == "function" and v.path == MANIFEST_PATH))


def content_checks(files, build, manifest):
    """The function versions of ``build`` whose content must be read to know whether a file is unchanged:
    same path, kind and visibility as a file, and no trusted manifest entry for it."""
    trusted = trusted_entries(manifest, build)
    by_path = _by_path(build)
    wanted = []
    for source in files:
        version = by_path.get(source.path)
        if (source.kind == "function" and source.path not in trusted and version is not None
                and version.kind == "function" and version.visibility == source.visibility
                and version.resource_sid is not None):
            wanted.append(version)
    return wanted


def make_plan(files, build, manifest, runtime, dependencies, content_hashes):
    """What to upload and what to reuse, and whether anything changed against ``build``.

    ``content_hashes``: version SID -> sha256 of the content read back for ``content_checks``. The
    build is unchanged only when the manifest is the build's own, every file is reused, the paths are
    the same, and the runtime and dependencies asked for are those the manifest records.
    """
    trusted = trusted_entries(manifest, build)
    by_path = _by_path(build)
    unreadable = read_build_versions(build)[1]
    # Paths the Build holds a version of that could not be read: never reused, never "nothing changed".
    doubtful = dict((u.path, u) for u in unreadable if u.path is not None and u.path != MANIFEST_PATH)
    planned = []
    for source in files:
        entry = trusted.get(source.path)
        version = by_path.get(source.path)
        same_place = version is not None and version.kind == source.kind and version.visibility == source.visibility
        if entry is not None and same_place and entry["sha256"] == source.sha256:
            planned.append(Planned(source, "reused", entry["version_sid"]))
        elif (entry is None and same_place and source.kind == "function"
              and content_hashes.get(version.sid) == source.sha256):
            planned.append(Planned(source, "reused", version.sid))
        else:
            planned.append(Planned(source, "uploaded", None))
    paths = set(source.path for source in files)
    held = set(by_path) | set(doubtful)
    added = sorted(paths - held)
    removed = sorted(held - paths)
    changed = sorted(p.file.path for p in planned if p.action == "uploaded" and p.file.path in held)
    before = {}
    for path, version in by_path.items():
        entry = trusted.get(path)
        sha = entry["sha256"] if entry is not None else content_hashes.get(version.sid)
        before[path] = (version.kind, version.visibility, sha)
    for path, version in doubtful.items():
        before[path] = (version.kind, version.visibility or "(visibility unknown)", None)
    unchanged = bool(
        trusted_manifest(manifest, build) and not added and not removed and not changed and not unreadable
        and manifest.get("runtime") == runtime and manifest.get("dependencies") == dict(dependencies)
        and readers.token(build, "runtime") in (None, runtime))
    return Plan(planned, unchanged, added, changed, removed, before, [u.problem for u in unreadable])


def reusable_manifest(plan, build, manifest, runtime, dependencies):
    """The reference build's manifest version when the new build can carry it unchanged, else None.

    It can when at least one file is uploaded, it records the runtime and dependencies asked for, every
    asset is reused (an asset's sha256 is known only from the manifest), and at most
    MAX_UNTRACKED_FUNCTIONS functions lack a trusted entry (they are verified by content on the next
    run). Then a changed function costs one upload, not two.
    """
    version = manifest_version(build)
    if manifest is None or version is None:
        return None
    if manifest.get("runtime") != runtime or manifest.get("dependencies") != dict(dependencies):
        return None
    if not any(planned.action == "uploaded" for planned in plan.files):
        # The new build must hold a version made by this task: after a fault, the re-read tells the build
        # this task made from an older one of the same versions by it (see _builds.find_created_build).
        return None
    trusted = trusted_entries(manifest, build)
    untracked = 0
    for planned in plan.files:
        if planned.file.kind == "asset":
            if planned.action != "reused":
                return None
        elif planned.action != "reused" or planned.file.path not in trusted:
            untracked += 1
    return version if untracked <= MAX_UNTRACKED_FUNCTIONS else None


def trusted_manifest(manifest, build):
    """True when ``manifest`` was read from ``build``'s own manifest version (the caller read it from there)."""
    return manifest is not None and manifest_version(build) is not None


def source_files(build, manifest, content_hashes):
    """What ``build`` holds, path -> (kind, visibility, sha256), its manifest left out; None when a file's content
    cannot be known.

    The sha256 is the trusted manifest entry's, else, for a function, ``content_hashes``' (version SID -> sha256 of
    the content read back; see untracked_functions). A build may carry the manifest of the build before it with one
    function changed (reusable_manifest), so the manifest's own entries are not what the build holds: only
    entries whose version is in the build count. An asset without a trusted entry, or a version that cannot be
    read, leaves the content unknown (None), never guessed.
    """
    if manifest is None or manifest_version(build) is None or read_build_versions(build)[1]:
        return None
    trusted = trusted_entries(manifest, build)
    files = {}
    for path, version in _by_path(build).items():
        entry = trusted.get(path)
        sha = entry["sha256"] if entry is not None else (
            content_hashes.get(version.sid) if version.kind == "function" else None)
        if sha is None:
            return None
        files[path] = (version.kind, version.visibility, sha)
    return files


def untracked_functions(build, manifest):
    """The function versions of ``build`` (its manifest left out) with no trusted manifest entry: their content is
    read to know what the build holds (at most MAX_UNTRACKED_FUNCTIONS in a build this collection made)."""
    trusted = trusted_entries(manifest, build)
    return [v for path, v in sorted(_by_path(build).items())
            if path not in trusted and v.kind == "function" and v.resource_sid is not None]


def source_sha256(files):
    """The digest of a build's source: sha256 of the JSON list of ``[path, kind, visibility, sha256]`` sorted by
    path (compact, ASCII). The same folder built anywhere (other services, other accounts, new version SIDs) has
    the same digest; runtime and dependencies are not in it, so a rebuild on a new runtime keeps it. None for
    None (content unknown)."""
    if files is None:
        return None
    listed = [[path, kind, visibility, sha] for path, (kind, visibility, sha) in sorted(files.items())]
    return hashlib.sha256(json.dumps(listed, separators=(",", ":")).encode("ascii")).hexdigest()


def diff_text(entries):
    """One line per path, sorted, for Ansible's diff: ``path kind visibility sha256``."""
    return "".join("%s %s %s %s\n" % (path, kind, visibility, sha or "(content unknown)")
                   for path, (kind, visibility, sha) in sorted(entries.items()))
