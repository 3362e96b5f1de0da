# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The toolkit's configuration file (``.twilioserverlessrc``) of a project, as defaults of serverless_build.

twilio-run (twilio-labs/serverless-toolkit ``packages/twilio-run/src/config/``) finds its configuration with
cosmiconfig under the name ``twilioserverless`` (``utils/configLoader.ts``): the first of ``SEARCH_PLACES``
that exists and is not empty, a ``twilioserverless`` key of ``package.json`` first; JSON5 for the files without
an extension or ending ``.json``, YAML for ``.yaml``/``.yml``, JavaScript or TypeScript for the others. For a
deploy it merges the file's top level with ``commands.deploy`` (``global.ts: readSpecializedConfig``), then
``environments[<domain suffix>]`` and ``projects[<account SID>]``, and every key is a command-line flag in
camelCase (``flags.ts``).

We read the file in ``source`` only (cosmiconfig also looks in the folders above, up to the home folder: a
build depends on the folder it is given, not on where the folder sits), the top level and ``commands.deploy``;
``functionsFolder``, ``assetsFolder`` and ``runtime`` become the defaults of ``functions_dir``, ``assets_dir``
and ``runtime`` (a task's options win). Every other key, the ``environments`` and ``projects`` sections, a file
we cannot read (JavaScript) and a runtime Twilio no longer takes are named in a warning, never with a value.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import excerpt, shown, shown_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._project import json5
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import read_package_json

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML is not required on the managed host
    yaml = None

NAME = "twilioserverless"
# cosmiconfig 8's synchronous search places (twilio-run requires cosmiconfig ^8), in its order.
SEARCH_PLACES = (
    "package.json",
    ".twilioserverlessrc", ".twilioserverlessrc.json", ".twilioserverlessrc.yaml", ".twilioserverlessrc.yml",
    ".twilioserverlessrc.js", ".twilioserverlessrc.ts", ".twilioserverlessrc.cjs",
    ".config/twilioserverlessrc", ".config/twilioserverlessrc.json", ".config/twilioserverlessrc.yaml",
    ".config/twilioserverlessrc.yml", ".config/twilioserverlessrc.js", ".config/twilioserverlessrc.ts",
    ".config/twilioserverlessrc.cjs",
    "twilioserverless.config.js", "twilioserverless.config.ts", "twilioserverless.config.cjs",
)
DEFAULT_RUNTIME = "node22"
# The file's key -> serverless_build's option.
OPTIONS = (("functionsFolder", "functions_dir"), ("assetsFolder", "assets_dir"), ("runtime", "runtime"))
# Twilio names runtimes node<major>; which exist is Twilio's to say (its 400 names them).
_RUNTIME = re.compile(r"\Anode[0-9]{1,3}\Z")
# Runtimes Twilio has retired (CreateBuild answers 82007): a file written for them is older than the account.
RETIRED_RUNTIMES = frozenset(("node8", "node10", "node12", "node14", "node16", "node18"))
# Scoped sections: what the toolkit applies for one environment or one account only.
_SCOPES = ("environments", "projects")

BuildSettings = collections.namedtuple("BuildSettings", "functions_dir assets_dir runtime config_file")


def check_runtime(value, where="runtime"):
    if not isinstance(value, str) or not _RUNTIME.match(value):
        raise OptionError(where, "%s is not a Twilio runtime name; expected node followed by the major version, "
                                 "such as 'node22'" % (shown(value) if isinstance(value, str) else repr(value)))


def find_config_file(source):
    """(name relative to source, full path) of the file the toolkit would read, or (None, None)."""
    for place in SEARCH_PLACES:
        full = os.path.join(source, place)
        if not os.path.isfile(full):
            continue
        if place == "package.json":
            if (read_package_json(source) or {}).get(NAME) is None:
                continue
        elif os.path.getsize(full) == 0:
            continue  # cosmiconfig skips an empty file (ignoreEmptySearchPlaces)
        return place, full
    return None, None


def _read(full, place, kind):
    try:
        with open(full, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (IOError, OSError) as exc:
        raise OptionError("source", "cannot read %s (%s)" % (shown_path(full), exc.strerror or exc))
    except UnicodeDecodeError:
        raise OptionError("source", "%s is not UTF-8 text" % shown_path(full))
    try:
        if kind == "yaml":
            data = yaml.safe_load(text)
        else:
            data = json5.loads(text)
    except Exception as exc:  # yaml raises its own YAMLError, json5 ValueError: both name the place
        raise OptionError("source", "%s is not valid %s: %s (the toolkit would refuse it too)"
                                    % (place, "YAML" if kind == "yaml" else "JSON5", excerpt(str(exc), 160)))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise OptionError("source", "%s does not hold an object of settings" % place)
    return data


def read_config_file(source, warnings):
    """The settings of a deploy in the project's configuration file ({} when there is none), and its name."""
    place, full = find_config_file(source)
    if place is None:
        return {}, None
    extension = os.path.splitext(place)[1]
    if extension in (".js", ".ts", ".cjs"):
        warnings.append("%s is not read: it is a program, which this module does not run; set functions_dir, "
                        "assets_dir and runtime in the task, or write the settings as JSON in .twilioserverlessrc"
                        % place)
        return {}, place
    if place == "package.json":
        data = read_package_json(source)
    elif extension in (".yaml", ".yml"):
        if yaml is None:
            raise OptionError("source", "%s is YAML, and PyYAML is not installed on this host; install it, or write "
                                        "the settings as JSON in .twilioserverlessrc" % place)
        data = _read(full, place, "yaml")
    else:
        data = _read(full, place, "json5")
    if place == "package.json":
        data = data[NAME]
        place = "package.json's %s" % NAME
        if not isinstance(data, dict):
            raise OptionError("source", "%s is not an object of settings" % place)
    commands = data.get("commands")
    settings = dict((key, value) for key, value in data.items() if key != "commands")
    if isinstance(commands, dict) and isinstance(commands.get("deploy"), dict):
        settings.update(commands["deploy"])
    return settings, place


def _folder(source, place, key, value):
    if not isinstance(value, str) or not value.strip():
        raise OptionError("source", "%s's %s is %s; expected the name of a folder in the project"
                          % (place, key, "empty" if isinstance(value, str) else "not a string"))
    # Node's path.join(cwd, value), which the toolkit uses, keeps a leading slash inside cwd.
    relative = value.lstrip("/")
    full = os.path.join(source, relative)
    root = os.path.realpath(source)
    real = os.path.realpath(full)
    if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
        raise OptionError("source", "%s's %s %s is not inside source" % (place, key, shown(value)))
    if not os.path.isdir(full):
        raise OptionError("source", "%s's %s is %s, which is not a folder in %s (a build output not built yet?); "
                                    "build it first, or set %s in the task"
                          % (place, key, shown(value), shown_path(source), dict(OPTIONS)[key]))
    return relative


def build_settings(params, warnings):
    """serverless_build's functions_dir, assets_dir and runtime: the task's, else the configuration file's, else
    the defaults; warnings name what the file holds that is not used."""
    source = params["source"]
    settings, place = read_config_file(source, warnings) if os.path.isdir(source) else ({}, None)
    chosen = dict((option, params.get(option)) for dummy, option in OPTIONS)
    unused = [shown(key, 60) for key in sorted(settings) if key not in dict(OPTIONS) and key not in _SCOPES]
    unused += ["%s (per %s settings)" % (key, "environment" if key == "environments" else "account")
               for key in _SCOPES if settings.get(key)]
    for key, option in OPTIONS:
        if key not in settings or settings[key] is None or chosen[option] is not None:
            continue
        value = settings[key]
        if key == "runtime":
            check_runtime(value, "source: %s's runtime" % place)
            if value in RETIRED_RUNTIMES:
                warnings.append("%s's runtime %s is not used: Twilio no longer takes it; the build runs on %s. Set "
                                "runtime in the task or in the file" % (place, value, DEFAULT_RUNTIME))
                continue
        else:
            value = _folder(source, place, key, value)
        chosen[option] = value
    if unused:
        warnings.append("Not used from %s: %s. serverless_build reads functionsFolder, assetsFolder and runtime "
                        "from it; docs/releasing_from_source.md says where the others go"
                        % (place, ", ".join(unused)))
    return BuildSettings(chosen["functions_dir"], chosen["assets_dir"], chosen["runtime"] or DEFAULT_RUNTIME, place)
