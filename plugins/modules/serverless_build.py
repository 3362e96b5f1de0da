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
    protected or private and lose the suffix, C(.public) is dropped; names as the toolkit gives them, quirks
    included (see the guide). C(.twilioserverlessrc) gives defaults (O(runtime)). A Function or Asset is found by
    its name (equal to the path) and created when missing, as the toolkit does, so both tools can share a Service.
  - Dotfiles and dot-folders are uploaded as by the toolkit (C(assets/.well-known/)), except what must never be
    published or Twilio refuses (C(.env), C(.env.*), C(.git), C(.twiliodeployinfo), C(.gitkeep)) and, as in the
    toolkit, the files of the functions folder that are not C(*.js); each one skipped is named in a warning with
    its folder (C(.DS_Store) silently). A symlink is followed only when it points inside O(source).
  - Before any request, the task fails naming the file or option when the folder has no function and no asset,
    a path has a character Twilio refuses (a semicolon, comma, question mark, colon, at sign, plus, ampersand,
    dollar, parenthesis, quote or hash), a character outside printable ASCII (Twilio documents paths as
    URL-friendly; the character is named) or 256 characters or more, two files map to one path, an asset is over
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
  - With O(from_build) or O(from_environment) it makes a Build again without the folder, on another O(runtime) or
    with other O(dependencies), of exactly that Build's Function and Asset Versions, its manifest included, nothing
    uploaded. A completed (or building) Build of those versions, runtime and dependencies is returned if one
    exists. Check and diff mode show the runtime and dependencies before and after.
  - With O(state=absent) it deletes Builds instead (Twilio keeps every Build, and offers no clean-up); O(build)
    names one, O(keep) keeps the newest completed ones and deletes the others. A Build that an Environment runs is
    never deleted, whatever O(keep) says, nor the Build its roll back would restore (O(keep_rollbacks)), nor one
    that has not finished; RV(kept) says why each stays. One request per Build; a Build already gone counts as
    deleted. Check mode is the dry run, RV(builds) lists what would be deleted.
author:
  - Twilio Community Serverless maintainers (@twilio-community)
extends_documentation_fragment:
  - twilio_community.serverless.twilio
  - twilio_community.serverless.attributes
  - twilio_community.serverless.attributes.writes
  - twilio_community.serverless.service
  - twilio_community.serverless.wait
  - twilio_community.serverless.prune
options:
  source:
    description:
      - The project folder on the machine running the module (the managed host; use C(delegate_to) for the
        controller).
      - Required with O(state=present), unless O(from_build) or O(from_environment) is given; not used with
        O(state=absent).
    type: path
  from_build:
    description:
      - The SID of a Build to make again with O(runtime) and O(dependencies), instead of building O(source).
        Mutually exclusive with O(source), O(from_environment), O(environment), O(functions_dir) and O(assets_dir).
    type: str
  from_environment:
    description:
      - Like O(from_build), for the Build live in this Environment (SID, unique name or domain suffix). The task
        fails when none is live there.
    type: str
  state:
    description:
      - V(present) builds O(source); V(absent) deletes the Build O(build), or the Builds O(keep) does not keep.
    type: str
    choices: [present, absent]
    default: present
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
      - The Node.js runtime of the Build, one Twilio lists (V(node8) to V(node24); it refuses the retired ones).
        Always sent, since Twilio otherwise reuses the runtime of the Service's last successful Build, which may
        be retired (error 82007).
      - Unset, with O(from_build) or O(from_environment), that Build's runtime; from O(source), the C(runtime) of
        the toolkit's configuration file in O(source) (C(.twilioserverlessrc) or another name the toolkit reads;
        C(functionsFolder) and C(assetsFolder) set O(functions_dir) and O(assets_dir) the same way), unless Twilio
        retired it; else V(node22). Other keys of the file are named in a warning.
      - V(node24) needs C(@twilio/runtime-handler) 2.1.2 or later. A rebuild raises the reference's to 2.1.2 with
        a warning; one given in O(dependencies) that is older fails the task.
    type: str
  dependencies:
    description:
      - npm packages of the Build, name to version. An empty version means V(*).
      - Defaults to the C(dependencies) of C(package.json) in O(source) (not C(devDependencies)); none without it.
        With O(from_build) or O(from_environment), these are merged over that Build's dependencies.
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

- name: Which builds would be pruned, keeping the 5 newest completed ones (and every live one and roll back target)
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

- name: Production's live build again on node24, nothing uploaded (its runtime handler raised if too old)
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    from_environment: production
    runtime: node24
  register: rebuilt

- name: What would be uploaded, without uploading
  twilio_community.serverless.serverless_build:
    service: acme-ivr
    source: "{{ playbook_dir }}/ivr"
  check_mode: true
  diff: true
"""

RETURN = r"""
service_sid:
  description: The SID of the Service; null if the task failed before it was known, or in check mode when the Service does not exist yet.
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
      description: The sha256 of the file's content, in hexadecimal; null for a rebuild (each version of the Build).
      type: str
      sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    version_sid:
      description: The Function or Asset Version in the Build; null in check mode for a file to upload.
      type: str
      sample: ZN0123456789abcdef0123456789abcdef
    action:
      description: V(uploaded) (a new version) or V(reused) (the reference Build's version, always for a rebuild).
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
kept:
  description:
    - With O(state=absent), the listed Builds that stay, newest first, each with the fields of RV(builds) and
      C(reason), such as C(live in environment production; one of the 5 newest completed builds (keep)) or
      C(the roll back target of environment staging); empty otherwise.
    - Knowing them costs RV(stats.requests) one for the Environments, one per Environment that runs a Build (its
      deployments), one per 1000 Builds listed (or one for O(build)), then one per Build deleted.
  returned: always
  type: list
  elements: dict
  sample: [{sid: ZB0123456789abcdef0123456789abcdef, status: completed,
            reason: the roll back target of environment staging}]
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

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import build_status, check_runtime
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import check_environment_name
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.services import resolve_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._module import run_module, twilio_module
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import SERVICE_OPTION, upload_base_url, UPLOAD_BASE_URL_OPTION
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.prune import check_prune_params, prune_service
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.rebuild import check_rebuild_params, rebuild, rebuilding
from ansible_collections.twilio_community.serverless.plugins.module_utils._release.source_build import release_folder, wait_for_build
from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import WAIT_ARGUMENT_SPEC, wait_options_from_params

ARGUMENT_SPEC = dict(
    service=dict(SERVICE_OPTION),
    source=dict(type="path"),
    from_build=dict(type="str"),
    from_environment=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    build=dict(type="str"),
    keep=dict(type="int"),
    keep_rollbacks=dict(type="int"),
    functions_dir=dict(type="str"),
    assets_dir=dict(type="str"),
    runtime=dict(type="str"),
    dependencies=dict(type="dict"),
    environment=dict(type="str"),
    wait=dict(type="bool", default=True),
    upload_base_url=dict(UPLOAD_BASE_URL_OPTION),
    **dict((name, dict(spec)) for name, spec in WAIT_ARGUMENT_SPEC.items())
)
# Every documented key, as it reads before anything is known.
BLANK_RESULT = dict(service_sid=None, build_sid=None, build={}, status=None, files=[], builds=[], kept=[],
                    stats=dict(requests=0, retries=0, uploads=0, bytes_uploaded=0))


def check_params(params):
    """Validate every option of this module that needs no file access; raise OptionError. Return the
    WaitOptions."""
    check_service(params["service"])
    if rebuilding(params):
        check_rebuild_params(params)
        return wait_options_from_params(params)
    if params.get("state") == "absent":
        check_prune_params(params)
        return wait_options_from_params(params)
    for option in ("build", "keep", "keep_rollbacks"):
        if params.get(option) is not None:
            raise OptionError(option, "is used only with state=absent (deleting builds)")
    if not params.get("source"):
        raise OptionError("source", "is empty; expected the project folder (or from_build or from_environment)")
    if params.get("runtime") is not None:
        check_runtime(params["runtime"])
    if params.get("environment") is not None:
        check_environment_name(params["environment"])
    return wait_options_from_params(params)


def run(module, client, result):
    params = module.params
    wait_options = check_params(params)
    warnings = []
    try:
        if params.get("state") == "absent":
            return prune_service(client, params, module.check_mode, warnings, result)
        if rebuilding(params):
            result["service_sid"] = service_sid = resolve_service(client, params["service"])
            build = rebuild(client, service_sid, params, module.check_mode, module._diff, warnings, result)
        else:
            service_sid, build = release_folder(client, params, upload_base_url(params, client.connection),
                                                module.check_mode, module._diff, warnings, result)
        if build is not None and params["wait"] and build_status(build) != "completed":
            wait_for_build(client, service_sid, result["build_sid"], wait_options, warnings, result)
        return result
    finally:
        for warning in warnings:
            module.warn(warning)


def main():
    module = twilio_module(ARGUMENT_SPEC, BLANK_RESULT)
    run_module(module, run, BLANK_RESULT)


if __name__ == "__main__":
    main()
