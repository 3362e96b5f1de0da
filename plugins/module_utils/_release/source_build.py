# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A release from a project folder, step by step over the API: the plan (the reference Build, its manifest, the
content of the functions it has no trusted entry for, then ``_project.plan.make_plan``), the uploads and the one
Build made of them, and the wait for it.

Each step takes plain values: the client, the Service SID, the folder's files and options, a list to append
warnings to and the result dict, filled as the step learns, so a failure half-way still says what was done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import hashlib

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    build_status,
    create_build,
    fetch_build,
    list_builds,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    find_environment_or_missing,
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.functions_assets import (
    create_resource,
    fetch_function_content,
    list_resources,
    upload_version,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import (
    missing_in_check_mode,
    resolve_service_or_missing,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import (
    project_dependencies,
    scan_project,
    SourceFile,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import (
    content_checks,
    diff_text,
    make_plan,
    manifest_content,
    MANIFEST_PATH,
    manifest_version,
    parse_manifest,
    reusable_manifest,
    source_files,
    source_sha256,
    untracked_functions,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.rcfile import build_settings
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import wait_for_builds

# ``files``: the folder's SourceFiles; ``reference``: the Build compared with (None when there is none);
# ``manifest``: its manifest, when it has one we can read; ``plan``: make_plan's Plan.
SourcePlan = collections.namedtuple("SourcePlan", "files reference manifest plan")


def reference_build(client, service_sid, environment, check_mode=False, warnings=None):
    """The Build to compare with: the one live in ``environment``, else the newest completed; None if none.
    In check mode a Service (``service_sid`` None) or an environment that does not exist yet has none: once
    made, as by an earlier task of the run, it would run no build; ``warnings`` is told which."""
    if service_sid is None:
        return None
    if environment:
        live = find_environment_or_missing(list_environments(client, service_sid), environment, service_sid,
                                           check_mode)
        if live is None:
            if warnings is not None:
                warnings.append(missing_in_check_mode("environment %s" % environment, "every file would be uploaded"))
            return None
        sid = read_environment(live)["build_sid"]
        return fetch_build(client, service_sid, sid) if sid else None
    # Small pages: the newest completed build is nearly always among the newest few.
    newest = list_builds(client, service_sid, BuildFilter(statuses=["completed"]), limit=1, page_size=20)
    sid = readers.sid(newest[0], "sid", "ZB") if newest else None
    if sid is None:
        return None
    # A listing may leave the versions out; then the Build is read whole.
    if all(isinstance(readers.value(newest[0], key), list) for key in ("function_versions", "asset_versions")):
        return newest[0]
    return fetch_build(client, service_sid, sid)


def read_manifest(client, service_sid, build):
    version = manifest_version(build)
    if version is None or version.resource_sid is None:
        return None
    return parse_manifest(fetch_function_content(client, service_sid, version.resource_sid, version.sid))


def read_function_hashes(client, service_sid, versions):
    """version SID -> sha256 of its content, read up to 10 at a time."""
    def job(version):
        return lambda: (version.sid, fetch_function_content(client, service_sid, version.resource_sid, version.sid))
    return dict((sid, hashlib.sha256(content).hexdigest())
                for sid, content in client.concurrently([job(v) for v in versions]) if content is not None)


def read_source_sha256(client, service_sid, build):
    """The digest of what ``build`` holds (_project.plan.source_sha256): its manifest (one request), then the
    content of each function it has no trusted entry for (none or one for a build this collection made); None when
    it has no manifest of ours or holds a file whose content cannot be known."""
    manifest = read_manifest(client, service_sid, build)
    if manifest is None:
        return None
    hashes = read_function_hashes(client, service_sid, untracked_functions(build, manifest))
    return source_sha256(source_files(build, manifest, hashes))


def file_result(planned, version_sid=None):
    source = planned.file
    return dict(path=source.path, kind=source.kind, visibility=source.visibility, sha256=source.sha256,
                version_sid=version_sid or planned.version_sid, action=planned.action)


def plan_release(client, service_sid, files, environment, runtime, dependencies, result, warnings=None,
                 check_mode=False):
    """What a Build of ``files`` reuses of the reference Build (the one live in ``environment``, else the newest
    completed) and whether anything changed; reads only. Fills ``result["files"]``; appends to ``warnings`` a
    line for each version of the reference Build that cannot be read (its file is uploaded again); returns a
    SourcePlan. ``check_mode``: see reference_build."""
    reference = reference_build(client, service_sid, environment, check_mode, warnings)
    manifest = read_manifest(client, service_sid, reference) if reference else None
    hashes = read_function_hashes(client, service_sid, content_checks(files, reference, manifest))
    plan = make_plan(files, reference, manifest, runtime, dependencies, hashes)
    if warnings is not None:
        warnings.extend(plan.unreadable)
    result["files"] = [file_result(p) for p in plan.files]
    return SourcePlan(files, reference, manifest, plan)


def plan_diff(release, source):
    """Ansible's diff of a SourcePlan: each path of the reference Build and of the folder ``source``."""
    after = dict((f.path, (f.kind, f.visibility, f.sha256)) for f in release.files)
    label = "build %s" % readers.value(release.reference, "sid") if release.reference else "no build"
    return dict(before=diff_text(release.plan.before), after=diff_text(after), before_header=label,
                after_header=source)


def read_unchanged(source):
    """The file's bytes, refusing a file that changed since the folder was read (the plan would be wrong)."""
    with open(source.local_path, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != source.sha256:
        raise TaskFailed("%s changed while the task ran; run it again" % source.relative)
    return content


def upload_all(client, service_sid, items, resources, warnings):
    """Upload each (SourceFile, bytes or None to read the file) pair, creating its Function or Asset when
    missing, up to 10 at a time; return path -> new version SID. ``resources`` caches kind -> name -> SID;
    ``warnings`` gets a line for each create found to have taken effect after an ambiguous failure."""
    for kind in sorted(set(source.kind for source, dummy in items) - set(resources)):
        resources[kind] = list_resources(client, service_sid, kind)

    def job(source, content):
        def one():
            sid = resources[source.kind].get(source.path) or create_resource(client, service_sid, source.kind,
                                                                             source.path, warnings)
            data = read_unchanged(source) if content is None else content
            return source.path, upload_version(client, service_sid, sid, source, data)
        return one
    return dict(client.concurrently([job(source, content) for source, content in items]))


def manifest_item(runtime, dependencies, files):
    content = manifest_content(runtime, dependencies, files)
    source = SourceFile(MANIFEST_PATH, "function", "private", None, "_ansible_build_manifest.js", len(content), None)
    return source, content


def build_release(client, service_sid, release, runtime, dependencies, uploads_to, warnings, result):
    """Upload the files the SourcePlan ``release`` says to upload (to ``uploads_to``), then a new manifest unless
    the reference's can be carried, and create one Build of these versions. Fills ``result`` (files with their
    versions, build_sid, build, status) and appends to ``warnings``; returns the Build."""
    # Only now may credentials travel to the upload origin too.
    client.set_upload_base_url(uploads_to)
    plan = release.plan
    resources = {}
    uploaded = upload_all(client, service_sid, [(p.file, None) for p in plan.files if p.action == "uploaded"],
                          resources, warnings)
    result["files"] = [file_result(p, uploaded.get(p.file.path)) for p in plan.files]
    carried = reusable_manifest(plan, release.reference, release.manifest, runtime, dependencies)
    if carried is not None:
        manifest_sid = carried.sid
    else:
        # After the files: the manifest lists their new versions.
        item = manifest_item(runtime, dependencies, result["files"])
        manifest_sid = upload_all(client, service_sid, [item], resources, warnings)[MANIFEST_PATH]
    functions = [f["version_sid"] for f in result["files"] if f["kind"] == "function"] + [manifest_sid]
    assets = [f["version_sid"] for f in result["files"] if f["kind"] == "asset"]
    build = create_build(client, service_sid, functions, assets, dependencies, runtime, warnings)
    build_sid = readers.sid(build, "sid", "ZB")
    if build_sid is None:
        raise TaskFailed("Twilio answered the build request for service %s without a valid Build SID" % service_sid)
    result.update(build_sid=build_sid, build=build, status=build_status(build))
    return build


def wait_for_build(client, service_sid, build_sid, options, warnings, result):
    """Wait for the one Build ``build_sid`` with the WaitOptions ``options``; fill result status and build as it
    finished. Raise at the deadline, on an API error, or when it failed and ``options.fail_on_failed``."""
    outcome = wait_for_builds(client, service_sid, options, [build_sid])
    waited = outcome.builds[0] if outcome.builds else None
    if waited is not None:
        result["status"] = waited.status or result["status"]
        if waited.build:
            result["build"] = waited.build
    outcome.check(options.fail_on_failed, warnings.append, one_build=True)


def release_from_source(client, service_sid, project, params, uploads_to, check_mode, diff, warnings, result):
    """The source build step: plan the release of the scanned ``project`` with ``params``' environment, runtime
    and dependencies (``params["dependencies"]`` as project_dependencies read them), then, unless nothing changed
    or in check mode, upload and build. Fills ``result``; returns the Build made, or None when none was.
    ``service_sid`` is None in check mode for a Service that does not exist yet: every file would be uploaded."""
    runtime, dependencies = params["runtime"], params["dependencies"]
    if service_sid is None:
        # Check mode, the service yet to be made by an earlier task (resolve_service_or_missing).
        warnings.append(missing_in_check_mode("service %s" % params["service"], "every file would be uploaded"))
    release = plan_release(client, service_sid, project.files, params.get("environment"), runtime, dependencies,
                           result, warnings, check_mode)
    if diff:
        result["diff"] = plan_diff(release, params["source"])
    if release.plan.unchanged:
        reference = release.reference
        result.update(build_sid=readers.sid(reference, "sid", "ZB"), build=reference, status=build_status(reference))
        return None
    result["changed"] = True
    if check_mode:
        return None
    return build_release(client, service_sid, release, runtime, dependencies, uploads_to, warnings, result)


def release_folder(client, params, uploads_to, check_mode, diff, warnings, result):
    """serverless_build from ``params["source"]``: its settings (the task's, else the toolkit's configuration
    file's), the folder read and checked before any request, then the Service and release_from_source. Returns
    (the Service SID, the Build made or None)."""
    settings = build_settings(params, warnings)
    project = scan_project(params["source"], settings.functions_dir, settings.assets_dir)
    wanted = dict(params, runtime=settings.runtime,
                  dependencies=project_dependencies(params.get("dependencies"), project.package_json))
    warnings.extend("Not uploaded: %s" % skipped for skipped in project.skipped)
    result["service_sid"] = service_sid = resolve_service_or_missing(client, params["service"], check_mode)
    return service_sid, release_from_source(client, service_sid, project, wanted, uploads_to, check_mode, diff,
                                            warnings, result)
