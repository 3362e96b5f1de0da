#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: serverless_build
short_description: Build a Twilio Serverless project folder, uploading only what changed
version_added: 0.3.0
description:
  - Uploads the functions and assets of a project folder laid out as the Twilio serverless toolkit lays it out,
    and creates one Build of them, with no Node.js or Twilio CLI on the machine.
  - Functions are the C(*.js) files of C(functions/) (else C(src/)), assets every file of C(assets/) (else
    C(static/)). A file's path is C(/) followed by its path in that folder (functions without C(.js)), with
    whitespace turned into C(-); C(name.protected.js) and C(name.private.js) (C(name.private.png) for an asset) make it
    protected or private and lose the suffix; the default is public. A Function or Asset is found by its name
    (equal to the path) and created when missing, as the toolkit does, so both tools can share a Service.
  - Files and folders whose name starts with a dot are not uploaded (the toolkit uploads C(.gitkeep), which
    Twilio then refuses); each one skipped, except C(.DS_Store), is named in a warning. A symlink is followed
    only when it points inside O(source).
  - Before any request, the task fails naming the file or option when the folder has no function and no asset,
    a path has a character Twilio refuses (a semicolon, comma, question mark, colon, at sign, plus, ampersand,
    dollar, parenthesis, quote or hash) or 256 characters or more, two files map to one path, an asset is over
    Twilio's limit (25 MB, 10 MB when private), C(package.json) does not parse, or C(@twilio/runtime-handler) is
    not an exact version.
  - The Twilio API cannot tell whether a file changed, and cannot give an asset's content back. A function is
    reused when the reference Build has a version at the same path and visibility whose content has the same
    sha256. For assets, every Build this module makes includes a manifest, a private function at
    C(/_ansible_build_manifest) listing each file's sha256 and version; an entry is trusted only when its version
    is in the reference Build. The manifest is uploaded again only when an asset, the runtime or the dependencies
    changed, when a second function lacks an entry, or when no file is uploaded (a Build always holds a version
    made by its task), so one changed function costs one upload. A Service built by another tool has no
    manifest, so its assets are uploaded once.
  - When files, dependencies and runtime equal the reference Build's, nothing is uploaded or built and the task
    reports C(changed=false). Otherwise only new or changed files are uploaded (up to 10 at a time) and one
    Build is created from them and the reused versions. Builds are full snapshots; a file deleted from the
    folder is not in the new Build.
  - An upload is sent again after a 429, a 5xx, a timeout or a dropped connection (an unused version costs
    nothing; Twilio deletes it after 7 days). The Build request is retried after a 429 only; after a 5xx, a
    timeout or a dropped connection the module re-reads the Builds and adopts the one made of its versions,
    and sends the request again only when there is none. One task never makes two Builds.
  - With O(wait=true) the task waits for the Build as M(twilio_community.serverless.serverless_build_wait)
    does, and fails naming the Build when it failed.
  - With O(state=absent) it deletes Builds instead (Twilio keeps every Build, and offers no clean-up); O(build)
    names one, O(keep) keeps the newest completed ones and deletes the others. A Build that an Environment runs is
    never deleted, whatever O(keep) says, and neither is one that has not finished. One request per Build; a
    Build already gone counts as deleted. Check mode is the dry run, RV(builds) lists what would be deleted.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
  - twilio_community.serverless.service
  - twilio_community.serverless.wait
options:
  source:
    description:
      - The project folder on the machine running the module (the managed host; use C(delegate_to) for the
        controller).
      - Required with O(state=present); not used with O(state=absent).
    type: path
  state:
    description:
      - V(present) builds O(source); V(absent) deletes the Build O(build), or the Builds O(keep) does not keep.
    type: str
    choices: [present, absent]
    default: present
  build:
    description:
      - With O(state=absent), the SID of the one Build to delete. The task fails, deleting nothing, when an
        Environment runs it or it has not finished. Mutually exclusive with O(keep).
    type: str
  keep:
    description:
      - With O(state=absent), how many of the newest completed Builds to keep (a live one among them counts);
        every other Build is deleted, failed ones included, except the Builds Environments run and those not
        finished. V(0) keeps only those. Mutually exclusive with O(build).
    type: int
  functions_dir:
    description:
      - The functions folder, relative to O(source), instead of C(functions/) or C(src/), for example
        V(dist/functions) for a TypeScript project. It must exist and be inside O(source).
    type: str
  assets_dir:
    description:
      - The assets folder, relative to O(source), instead of C(assets/) or C(static/). It must exist and be
        inside O(source).
    type: str
  runtime:
    description:
      - The Node.js runtime of the Build, such as V(node22). Always sent, since Twilio otherwise reuses the
        runtime of the Service's last successful Build, which may be retired (error 82007).
      - Only the form is checked here; Twilio says which runtimes it offers.
    type: str
    default: node22
  dependencies:
    description:
      - npm packages of the Build, name to version. An empty version means V(*).
      - Defaults to the C(dependencies) of C(package.json) in O(source) (not C(devDependencies)); none without it.
      - C(@twilio/runtime-handler) must be an exact version, such as V(2.0.3). Twilio adds C(twilio) and
        C(@twilio/runtime-handler) itself when they are missing.
    type: dict
  environment:
    description:
      - The Environment whose live Build is the reference for reuse and for "nothing changed", by SID, unique
        name or domain suffix. Without it, the reference is the Service's newest completed Build.
      - The Build is not deployed there; use M(twilio_community.serverless.serverless_deployment) for that.
    type: str
  wait:
    description:
      - Whether to wait for the Build to finish, with O(timeout), O(poll_interval), O(max_poll_interval),
        O(prediction) and O(fail_on_failed) as M(twilio_community.serverless.serverless_build_wait) has them. A
        Build that fails then fails the task, naming it.
      - With V(false) the task returns as soon as the Build is created, with RV(status=building), and the waiting
        options are only checked.
    type: bool
    default: true
  upload_base_url:
    description:
      - The origin files are uploaded to. Defaults to C(https://serverless-upload.twilio.com) with O(region) and
        O(edge) applied as for the API host; when O(base_url) is set, to that same origin.
      - Credentials are sent to the API origin and to this origin, nowhere else. Plain C(http) only for a loopback host.
      - If not set, the environment variable E(TWILIO_SERVERLESS_UPLOAD_BASE_URL) is used.
    type: str
notes:
  - In check mode the module reads only, and reports in RV(files) which files would be uploaded and which reused,
    and in C(changed) whether a Build would be made; with O(state=absent), in RV(builds) which Builds would be
    deleted. In diff mode it lists each path of the reference Build and
    of the folder with kind, visibility and sha256, so added, changed and removed paths show.
seealso:
  - module: twilio_community.serverless.serverless_deployment
    description: Make the Build live in an Environment.
  - module: twilio_community.serverless.serverless_build_wait
    description: Wait for a Build made elsewhere.
  - name: Twilio Serverless Build API
    description: The resource this module creates.
    link: https://www.twilio.com/docs/serverless/api/resource/build
"""

EXAMPLES = r"""
- name: Build the project folder, reusing what did not change since the build live in staging
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    source: "{{ playbook_dir }}/ivr"
    environment: staging
  register: built

- name: Deploy it
  twilio_community.serverless.serverless_deployment:
    service: acme-ivr
    environment: staging
    build: "{{ built.build_sid }}"

- name: A TypeScript project's compiled output, with explicit dependencies
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    source: "{{ playbook_dir }}/ivr"
    functions_dir: dist/functions
    assets_dir: dist/assets
    runtime: node22
    dependencies:
      axios: 1.7.9
      "@twilio/runtime-handler": 2.0.3

- name: Which builds would be pruned, keeping the 5 newest completed ones (and every live one)
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    state: absent
    keep: 5
  check_mode: true
  register: would_prune

- name: Prune them
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    state: absent
    keep: 5

- name: What would be uploaded, without uploading
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    source: "{{ playbook_dir }}/ivr"
  check_mode: true
  diff: true
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null if the task failed before it was known.
  returned: always
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
build_sid:
  description:
    - The Build created, or the reference Build when nothing changed; null in check mode when a Build would be
      made, when there is no reference Build, or when the task failed before it was known.
  returned: always
  type: str
  sample: ZB0123456789abcdef0123456789abcdef
build:
  description: That Build with every field Twilio returns (after the wait, as it finished); empty if unknown.
  returned: always
  type: dict
  sample:
    sid: ZB0123456789abcdef0123456789abcdef
    status: completed
    runtime: node22
status:
  description:
    - The Build's status, V(building), V(completed) or V(failed); null when no Build is known.
  returned: always
  type: str
  sample: completed
files:
  description:
    - Every file of the folder, in path order, with what was done with it (would be done, in check mode).
    - Empty if the task failed before the folder was read.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path in the Service, such as C(/sms/reply) or C(/logo.png).
      type: str
      sample: /sms/reply
    kind:
      description: V(function) or V(asset).
      type: str
      sample: function
    visibility:
      description: V(public), V(protected) or V(private).
      type: str
      sample: protected
    sha256:
      description: The sha256 of the file's content, in hexadecimal.
      type: str
      sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    version_sid:
      description: The Function or Asset Version in the Build; null in check mode for a file to upload.
      type: str
      sample: ZN0123456789abcdef0123456789abcdef
    action:
      description: V(uploaded) (a new version) or V(reused) (the reference Build's version).
      type: str
      sample: reused
builds:
  description:
    - With O(state=absent), the Builds deleted (would be deleted, in check mode), newest first; empty otherwise.
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The Build's SID.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    status:
      description: V(completed) or V(failed).
      type: str
      sample: completed
    runtime:
      description: The Build's runtime.
      type: str
      sample: node22
    date_created:
      description: When Twilio created it (ISO 8601).
      type: str
      sample: "2026-11-30T09:12:44Z"
  sample: []
stats:
  description: What the call cost, also when it failed.
  returned: always
  type: dict
  contains:
    requests:
      description: HTTP requests sent, retries included.
      returned: always
      type: int
      sample: 6
    retries:
      description: Requests that were retries of a failed one. When the task succeeded after retries, a warning
        says how many and why.
      returned: always
      type: int
      sample: 0
    uploads:
      description: Function and Asset Versions uploaded, the build manifest included, also counted in
        RV(stats.requests); an upload sent again counts once here and in RV(stats.retries).
      returned: always
      type: int
      sample: 2
    bytes_uploaded:
      description: Bytes of the request bodies of those uploads.
      returned: always
      type: int
      sample: 20480
error:
  description: What Twilio or the network said, when the task failed because of it.
  returned: on failure from the API
  type: dict
  contains:
    http_status:
      description: The HTTP status of the last answer; null for a network failure.
      returned: failure
      type: int
      sample: 503
    code:
      description: Twilio's error code, if it sent one.
      returned: failure
      type: int
      sample: 20503
    more_info:
      description: Twilio's link explaining the error code, if it sent one.
      returned: failure
      type: str
      sample: https://www.twilio.com/docs/errors/20503
    request_id:
      description: The C(Twilio-Request-Id) of the last answer, to quote to Twilio support.
      returned: failure
      type: str
      sample: RQ0123456789abcdef0123456789abcdef
"""

import hashlib
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    create_build,
    fetch_build,
    list_builds,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import delete_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.functions_assets import (
    create_resource,
    fetch_function_content,
    list_resources,
    upload_version,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import (
    check_service,
    check_sid,
    is_sid,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
    SERVICE_OPTION,
    upload_base_url,
    UPLOAD_BASE_URL_OPTION,
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
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.prune import (
    plan_prune,
    refusal,
    shown,
    SHOWN_FIELDS,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.builds import wait_for_builds
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import (
    WAIT_ARGUMENT_SPEC,
    wait_options_from_params,
)

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    source=dict(type="path"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    build=dict(type="str"),
    keep=dict(type="int"),
    functions_dir=dict(type="str"),
    assets_dir=dict(type="str"),
    runtime=dict(type="str", default="node22"),
    dependencies=dict(type="dict"),
    environment=dict(type="str"),
    wait=dict(type="bool", default=True),
    upload_base_url=dict(UPLOAD_BASE_URL_OPTION),
    **dict((name, dict(spec)) for name, spec in WAIT_ARGUMENT_SPEC.items())
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, build_sid=None, build={}, status=None, files=[], builds=[],
                    stats=dict(requests=0, retries=0, uploads=0, bytes_uploaded=0))
# Twilio names runtimes node<major>; which exist is Twilio's to say (its 400 names them).
_RUNTIME = re.compile(r"\Anode[0-9]{1,3}\Z")


def check_params(params):
    """Validate every option of this module that needs no file access; raise OptionError. Return the
    WaitOptions."""
    check_service(params["service"])
    if params.get("state") == "absent":
        check_prune_params(params)
        return wait_options_from_params(params)
    for option in ("build", "keep"):
        if params.get(option) is not None:
            raise OptionError(option, "is used only with state=absent (deleting builds)")
    if not params.get("source"):
        raise OptionError("source", "is empty; expected the project folder")
    if not isinstance(params.get("runtime"), str) or not _RUNTIME.match(params["runtime"]):
        raise OptionError("runtime", "%r is not a Twilio runtime name; expected node followed by the major version, "
                                     "such as 'node22'" % (params.get("runtime"),))
    if params.get("environment") is not None:
        check_environment_name(params["environment"])
    return wait_options_from_params(params)


def check_prune_params(params):
    if params.get("source") is not None:
        raise OptionError("source", "is not used with state=absent; give build or keep")
    if (params.get("build") is None) == (params.get("keep") is None):
        raise OptionError("build", "and keep: give exactly one with state=absent (one Build SID, or how many "
                                   "completed builds to keep)")
    if params.get("build") is not None:
        check_sid(params["build"], "ZB", "build")
    else:
        check_range("keep", params["keep"], 0, unit="builds")


def prune(module, client, result):
    """state=absent: delete one Build or those ``keep`` does not keep, never a live or unfinished one."""
    params = module.params
    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    environments = list_environments(client, service_sid)
    if params.get("build") is not None:
        try:
            builds = [fetch_build(client, service_sid, params["build"])]
        except TwilioError as err:
            if err.http_status != 404:
                raise
            return result  # already gone
        plan = plan_prune(builds, environments)
        reason = refusal(plan, params["build"])
        if reason:
            raise TaskFailed(reason)
    else:
        plan = plan_prune(list_builds(client, service_sid, BuildFilter(), fields=SHOWN_FIELDS), environments,
                          params["keep"])
    result["builds"] = [shown(build) for build in plan.delete]
    result["changed"] = bool(plan.delete)
    if module.check_mode or not plan.delete:
        return result
    warnings, deleted = [], []
    try:
        delete_builds(client, service_sid, plan.delete, warnings, deleted)
    finally:
        result["builds"] = [shown(build) for build in deleted]
        result["changed"] = bool(deleted)
        for warning in warnings:
            module.warn(warning)
    return result


def reference_build(client, service_sid, environment):
    """The Build to compare with: the one live in ``environment``, else the newest completed; None if none."""
    if environment:
        target = find_environment(list_environments(client, service_sid), environment, service_sid)
        sid = target.get("build_sid")
        return fetch_build(client, service_sid, sid) if is_sid(sid, "ZB") else None
    # Small pages: the newest completed build is nearly always among the newest few.
    newest = list_builds(client, service_sid, BuildFilter(statuses=["completed"]), limit=1, page_size=20)
    if not newest or not is_sid(newest[0].get("sid"), "ZB"):
        return None
    if "function_versions" in newest[0] and "asset_versions" in newest[0]:
        return newest[0]
    return fetch_build(client, service_sid, newest[0]["sid"])


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


def file_result(planned, version_sid=None):
    source = planned.file
    return dict(path=source.path, kind=source.kind, visibility=source.visibility, sha256=source.sha256,
                version_sid=version_sid or planned.version_sid, action=planned.action)


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


def wait_for(module, client, service_sid, build_sid, options, result):
    outcome = wait_for_builds(client, service_sid, options, [build_sid])
    waited = outcome.builds[0] if outcome.builds else None
    if waited is not None:
        result["status"] = waited.status or result["status"]
        if waited.build:
            result["build"] = waited.build
    outcome.check(options.fail_on_failed, module.warn, one_build=True)


def run(module, client, result):
    params = module.params
    wait_options = check_params(params)
    if params.get("state") == "absent":
        return prune(module, client, result)
    project = scan_project(params["source"], params.get("functions_dir"), params.get("assets_dir"))
    dependencies = project_dependencies(params.get("dependencies"), project.package_json)
    uploads_to = upload_base_url(params, client.connection)
    for skipped in project.skipped:
        module.warn("Not uploaded: %s" % skipped)
    runtime = params["runtime"]

    result["service_sid"] = service_sid = resolve_service(client, params["service"])
    reference = reference_build(client, service_sid, params.get("environment"))
    manifest = read_manifest(client, service_sid, reference) if reference else None
    hashes = read_function_hashes(client, service_sid, content_checks(project.files, reference, manifest))
    plan = make_plan(project.files, reference, manifest, runtime, dependencies, hashes)
    result["files"] = [file_result(p) for p in plan.files]
    if module._diff:
        after = dict((f.path, (f.kind, f.visibility, f.sha256)) for f in project.files)
        label = "build %s" % reference["sid"] if reference else "no build"
        result["diff"] = dict(before=diff_text(plan.before), after=diff_text(after), before_header=label,
                              after_header=params["source"])
    if plan.unchanged:
        result.update(build_sid=reference["sid"], build=reference, status=reference.get("status"))
        return result
    result["changed"] = True
    if module.check_mode:
        return result

    # Only now may credentials travel to the upload origin too.
    client.set_upload_base_url(uploads_to)
    resources, warnings = {}, []
    uploaded = upload_all(client, service_sid, [(p.file, None) for p in plan.files if p.action == "uploaded"],
                          resources, warnings)
    result["files"] = [file_result(p, uploaded.get(p.file.path)) for p in plan.files]
    carried = reusable_manifest(plan, reference, manifest, runtime, dependencies)
    if carried is not None:
        manifest_sid = carried.sid
    else:
        # After the files: the manifest lists their new versions.
        item = manifest_item(runtime, dependencies, result["files"])
        manifest_sid = upload_all(client, service_sid, [item], resources, warnings)[MANIFEST_PATH]
    functions = [f["version_sid"] for f in result["files"] if f["kind"] == "function"] + [manifest_sid]
    assets = [f["version_sid"] for f in result["files"] if f["kind"] == "asset"]
    build = create_build(client, service_sid, functions, assets, dependencies, runtime, warnings)
    for warning in warnings:
        module.warn(warning)
    build_sid = build.get("sid")
    if not is_sid(build_sid, "ZB"):
        raise TaskFailed("Twilio answered the build request for service %s without a valid Build SID" % service_sid)
    result.update(build_sid=build_sid, build=build, status=build.get("status"))
    if params["wait"] and build.get("status") != "completed":
        wait_for(module, client, service_sid, build_sid, wait_options, result)
    return result


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
