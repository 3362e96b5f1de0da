# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Build made again without its source: the reference's Function and Asset Versions exactly (our manifest
among them), on another runtime or with other dependencies, nothing uploaded.

The steps take plain values (the client, the Service SID, the options, a list to append warnings to, the
result dict), as source_build's do. A rebuild uploads nothing, so the rule "a Build holds a version made by
its task" that lets create_build tell its own build after a fault (see _project.plan.reusable_manifest) cannot
hold: every build listed before the request is named to it instead, and is never adopted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._api.builds import (
    BuildFilter,
    build_status,
    check_runtime,
    create_build,
    fetch_build,
    list_builds,
    read_dependencies,
    read_versions,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import (
    check_environment_name,
    find_environment,
    list_environments,
    read_environment,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TaskFailed
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import check_sid
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import (
    project_dependencies,
    RUNTIME_HANDLER,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.plan import (
    build_versions,
    MANIFEST_PATH,
)

# The oldest @twilio/runtime-handler each runtime runs with: node24 needs 2.1.2 (serverless-toolkit #564).
HANDLER_MINIMUM = {"node24": (2, 1, 2)}
# Twilio adds these to a Build when they are not named, so a Build may hold them though nobody asked.
TWILIO_ADDS = ("twilio", RUNTIME_HANDLER)
# Options of a build from source, or of pruning, that mean nothing to a rebuild.
SOURCE_ONLY = ("source", "functions_dir", "assets_dir", "environment", "build", "keep")
_VERSION = re.compile(r"\A([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.-]+)?")

# ``reference``: the Build rebuilt; ``functions``, ``assets``: its version SIDs; ``runtime``, ``dependencies``:
# the new Build's; ``found``: a Build of exactly these that exists (completed or building), else None;
# ``existed``: the SID of every build listed (all of them when none was found).
Rebuild = collections.namedtuple("Rebuild", "reference functions assets runtime dependencies found existed")


def rebuilding(params):
    """True when the options ask for a rebuild (from_build or from_environment)."""
    return params.get("from_build") is not None or params.get("from_environment") is not None


def check_rebuild_params(params):
    """Refuse, before any request, what a rebuild cannot take; OptionError naming the option."""
    if params.get("from_build") is not None and params.get("from_environment") is not None:
        raise OptionError("from_build", "and from_environment both name the build to rebuild; give one")
    named = "from_build" if params.get("from_build") is not None else "from_environment"
    if params.get("state") == "absent":
        raise OptionError(named, "is used only with state=present (a rebuild makes a Build)")
    for option in SOURCE_ONLY:
        if params.get(option) is not None:
            raise OptionError(named, "cannot be used with %s: a rebuild makes a Build of the versions of an existing "
                                     "one, with no project folder; give one or the other" % option)
    if params.get("from_build") is not None:
        check_sid(params["from_build"], "ZB", "from_build")
    else:
        check_environment_name(params["from_environment"], "from_environment")
    if params.get("runtime") is not None:
        check_runtime(params["runtime"])
    if params.get("dependencies") is not None:
        dependencies = project_dependencies(params["dependencies"], None)
        if params.get("runtime") is not None:
            _check_handler(params["runtime"], dependencies)


def _version(text):
    """An exact version as a tuple to compare, a pre-release below its release; None when not one."""
    match = _VERSION.match(text or "")
    if not match:
        return None
    numbers = tuple(int(n) for n in match.groups()[:3])
    return numbers + ((0,) if match.group(4) else (1,))


def _check_handler(runtime, dependencies):
    """The user's own @twilio/runtime-handler is never raised behind their back: one too old fails."""
    minimum = HANDLER_MINIMUM.get(runtime)
    handler = dependencies.get(RUNTIME_HANDLER)
    if minimum and handler is not None and (_version(handler) or (0,)) < minimum + (1,):
        raise OptionError("dependencies", "%s is %s, but %s needs %s or later; give a newer one, or leave it out to "
                                          "have it raised" % (RUNTIME_HANDLER, shown(handler), runtime,
                                                              ".".join(str(n) for n in minimum)))


def wanted_dependencies(runtime, reference_dependencies, given, reference_sid, warnings):
    """The reference's dependencies with ``given`` over them, and @twilio/runtime-handler raised (with a warning)
    when the reference's is too old for ``runtime``."""
    given = project_dependencies(given, None) if given is not None else {}
    _check_handler(runtime, given)
    wanted = dict(reference_dependencies)
    wanted.update(given)
    minimum = HANDLER_MINIMUM.get(runtime)
    handler = wanted.get(RUNTIME_HANDLER)
    if minimum and (handler is None or (_version(handler) or (0,)) < minimum + (1,)):
        wanted[RUNTIME_HANDLER] = ".".join(str(n) for n in minimum)
        warnings.append("%s of build %s is %s; %s needs %s or later, so the new build has %s" % (
            RUNTIME_HANDLER, reference_sid, shown(handler) if handler is not None else "not named",
            runtime, wanted[RUNTIME_HANDLER], wanted[RUNTIME_HANDLER]))
    return wanted


def reference_for_rebuild(client, service_sid, from_build, from_environment):
    """The Build named by ``from_build``, or the one live in ``from_environment``; OptionError when it has none."""
    if from_build is not None:
        return fetch_build(client, service_sid, from_build)
    env = find_environment(list_environments(client, service_sid), from_environment, service_sid,
                           option="from_environment")
    sid = read_environment(env)["build_sid"]
    if sid is None:
        raise OptionError("from_environment", "environment %s of service %s has no live build to rebuild; deploy one "
                                              "first, or name a build with from_build"
                          % (shown(from_environment), service_sid))
    return fetch_build(client, service_sid, sid)


def _same_dependencies(build, wanted):
    """True when the Build holds exactly ``wanted``, besides what Twilio adds when it is not named."""
    held = read_dependencies(build)
    if held is None:
        return False
    extra = set(held) - set(wanted)
    return all(held.get(name) == version for name, version in wanted.items()) and extra <= set(TWILIO_ADDS)


def _is_the_build(build, functions, assets, runtime, dependencies):
    return (build_status(build) in ("completed", "building") and readers.token(build, "runtime") == runtime
            and read_versions(build) is not None
            and [sorted(sids) for sids in read_versions(build)] == [sorted(functions), sorted(assets)]
            and _same_dependencies(build, dependencies))


def find_rebuilt(client, service_sid, functions, assets, runtime, dependencies):
    """(The newest Build of exactly these versions, runtime and dependencies, completed or building, or None;
    the SIDs of every build listed). One listing, read to the end only when there is none."""
    existed = set()
    records = list_builds(client, service_sid, BuildFilter())
    for build in records:
        sid = readers.sid(build, "sid", "ZB")
        existed.add(sid)
        if sid is None or build_status(build) not in ("completed", "building"):
            continue
        if readers.token(build, "runtime") != runtime:
            continue
        if not all(isinstance(readers.value(build, key), list) for key in ("function_versions", "asset_versions")):
            # A listing may leave the versions out; then the Build is read whole.
            build = fetch_build(client, service_sid, sid)
        if _is_the_build(build, functions, assets, runtime, dependencies):
            return build, existed
    return None, existed


def plan_rebuild(client, service_sid, params, warnings):
    """What a rebuild makes, and whether it exists already; reads only. Returns a Rebuild."""
    reference = reference_for_rebuild(client, service_sid, params.get("from_build"), params.get("from_environment"))
    reference_sid = readers.sid(reference, "sid", "ZB") or params.get("from_build")
    versions = read_versions(reference)
    if not versions or not any(versions):
        raise TaskFailed("Build %s lists a Function or Asset Version without a ZN... SID, or none; it cannot be "
                         "rebuilt of exactly its versions" % reference_sid)
    reference_dependencies = read_dependencies(reference)
    if reference_dependencies is None:
        raise TaskFailed("Build %s has dependencies that are not a list of name and version; they cannot be merged"
                         % reference_sid)
    runtime = params.get("runtime") or readers.token(reference, "runtime")
    if runtime is None:
        raise OptionError("runtime", "is needed: build %s shows no runtime to keep" % reference_sid)
    dependencies = wanted_dependencies(runtime, reference_dependencies, params.get("dependencies"), reference_sid,
                                       warnings)
    found, existed = find_rebuilt(client, service_sid, versions[0], versions[1], runtime, dependencies)
    return Rebuild(reference, versions[0], versions[1], runtime, dependencies, found, existed)


def rebuild_files(build):
    """The result's ``files`` for a rebuild: each version of the Build, reused (their content is not read)."""
    return [dict(path=v.path, kind=v.kind, visibility=v.visibility, sha256=None, version_sid=v.sid, action="reused")
            for v in sorted(build_versions(build), key=lambda v: (v.kind != "function", v.path))
            if not (v.kind == "function" and v.path == MANIFEST_PATH)]


def _described(runtime, dependencies):
    return "runtime %s\n" % runtime + "".join("dependency %s %s\n" % (name, version)
                                              for name, version in sorted(dependencies.items()))


def rebuild_diff(rebuild):
    """Ansible's diff of a rebuild: the runtime and dependencies of the reference and of the new Build."""
    reference = rebuild.reference
    held = read_dependencies(reference) or {}
    label = "build %s" % readers.value(reference, "sid")
    return dict(before=_described(readers.token(reference, "runtime"), held), before_header=label,
                after=_described(rebuild.runtime, rebuild.dependencies),
                after_header="%s, rebuilt" % label if rebuild.found is None else "build %s" % readers.sid(rebuild.found, "sid", "ZB"))


def rebuild(client, service_sid, params, check_mode, diff, warnings, result):
    """The rebuild step: plan, then (unless it exists, or in check mode) create the one Build. Fills ``result``;
    returns the Build made or found, or None in check mode when one would be made."""
    plan = plan_rebuild(client, service_sid, params, warnings)
    result["files"] = rebuild_files(plan.reference)
    if diff:
        result["diff"] = rebuild_diff(plan)
    build = plan.found
    if build is None:
        result["changed"] = True
        if check_mode:
            return None
        build = create_build(client, service_sid, plan.functions, plan.assets, plan.dependencies, plan.runtime,
                             warnings, existed=plan.existed)
    build_sid = readers.sid(build, "sid", "ZB")
    if build_sid is None:
        raise TaskFailed("Twilio answered the build request for service %s without a valid Build SID" % service_sid)
    result.update(build_sid=build_sid, build=build, status=build_status(build))
    return build
