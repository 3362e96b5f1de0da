# SPDX-License-Identifier: GPL-3.0-or-later
"""The toolkit's configuration file as serverless_build's defaults (twilio-run src/config/, cosmiconfig 8)."""

import json
import os

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._project import rcfile
from ansible_collections.twilio_community.serverless.plugins.module_utils._project.rcfile import (
    build_settings,
    find_config_file,
)

from .test_json5 import INIT_TEMPLATE


def write(root, relative, content):
    full = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as handle:
        handle.write(content)
    return full


def settings(root, warnings=None, **given):
    params = dict(source=str(root), functions_dir=None, assets_dir=None, runtime=None)
    params.update(given)
    return build_settings(params, [] if warnings is None else warnings)


def test_no_file_means_the_defaults(tmp_path):
    warnings = []
    assert settings(tmp_path, warnings) == (None, None, "node22", None)
    assert warnings == []


def test_the_file_init_writes(tmp_path):
    write(tmp_path, ".twilioserverlessrc", INIT_TEMPLATE)
    warnings = []
    assert settings(tmp_path, warnings) == (None, None, "node24", ".twilioserverlessrc")
    assert warnings == []


def test_folders_and_runtime_are_defaults_and_a_tasks_options_win(tmp_path):
    # signal2021-devs: assetsFolder dist, where the toolkit uploads from instead of assets/.
    write(tmp_path, ".twilioserverlessrc", '{"assetsFolder": "dist", functionsFolder: "/build/fn", runtime: "node20"}')
    write(tmp_path, "dist/index.html", "x")
    write(tmp_path, "build/fn/a.js", "x")
    assert settings(tmp_path) == ("build/fn", "dist", "node20", ".twilioserverlessrc")
    assert settings(tmp_path, functions_dir="src", assets_dir="public", runtime="node24")[:3] == ("src", "public", "node24")


def test_commands_deploy_wins_over_the_top_level_and_other_commands_are_not_read(tmp_path):
    write(tmp_path, ".twilioserverlessrc.json", json.dumps({
        "runtime": "node20", "commands": {"deploy": {"runtime": "node24"}, "start": {"port": 3001, "runtime": "x"}}}))
    warnings = []
    assert settings(tmp_path, warnings).runtime == "node24" and warnings == []


def test_every_key_not_used_is_named_never_its_value(tmp_path):
    write(tmp_path, ".twilioserverlessrc", json.dumps({
        "serviceName": "secret-name-value", "password": "hunter2-value", "functionsFolderName": "dist",
        "environments": {"stage": {"runtime": "node20"}}, "projects": {}, "commands": {"deploy": {"env": ".env.prod"}}}))
    warnings = []
    settings(tmp_path, warnings)
    assert warnings == [
        "Not used from .twilioserverlessrc: 'env', 'functionsFolderName', 'password', 'serviceName', "
        "environments (per environment settings). serverless_build reads functionsFolder, assetsFolder and runtime "
        "from it; docs/releasing_from_source.md says where the others go"]
    assert not any(value in warnings[0] for value in ("secret-name", "hunter2", ".env.prod", "dist", "node20"))


def test_a_retired_runtime_is_named_and_not_used(tmp_path):
    write(tmp_path, ".twilioserverlessrc", '{runtime: "node18"}')
    warnings = []
    assert settings(tmp_path, warnings).runtime == "node22"
    assert warnings == [".twilioserverlessrc's runtime node18 is not used: Twilio no longer takes it; the build runs "
                        "on node22. Set runtime in the task or in the file"]
    # A task's runtime is the task's: no word about the file's.
    warnings = []
    assert settings(tmp_path, warnings, runtime="node20").runtime == "node20" and warnings == []


def test_search_order_is_cosmiconfigs(tmp_path):
    write(tmp_path, ".twilioserverlessrc.yml", "runtime: node20\n")
    assert find_config_file(str(tmp_path))[0] == ".twilioserverlessrc.yml"
    write(tmp_path, ".twilioserverlessrc", "")  # empty: skipped, as cosmiconfig does
    assert find_config_file(str(tmp_path))[0] == ".twilioserverlessrc.yml"
    write(tmp_path, ".twilioserverlessrc.json", "{}")
    assert find_config_file(str(tmp_path))[0] == ".twilioserverlessrc.json"
    write(tmp_path, "package.json", '{"name": "x"}')  # no twilioserverless key: not a place
    assert find_config_file(str(tmp_path))[0] == ".twilioserverlessrc.json"
    write(tmp_path, "package.json", '{"name": "x", "twilioserverless": {"runtime": "node24"}}')
    assert find_config_file(str(tmp_path))[0] == "package.json"
    assert settings(tmp_path) == (None, None, "node24", "package.json's twilioserverless")
    assert rcfile.SEARCH_PLACES[:3] == ("package.json", ".twilioserverlessrc", ".twilioserverlessrc.json")


def test_yaml(tmp_path):
    write(tmp_path, ".config/twilioserverlessrc.yaml", "runtime: node20\ncommands:\n  deploy:\n    assetsFolder: out\n")
    write(tmp_path, "out/x.txt", "x")
    assert settings(tmp_path) == (None, "out", "node20", ".config/twilioserverlessrc.yaml")


def test_a_program_is_not_run_and_nothing_else_is_read(tmp_path):
    write(tmp_path, ".twilioserverlessrc.js", "module.exports = {runtime: 'node20'}")
    write(tmp_path, ".config/twilioserverlessrc.json", '{"runtime": "node24"}')
    warnings = []
    assert settings(tmp_path, warnings) == (None, None, "node22", ".twilioserverlessrc.js")
    assert warnings[0].startswith(".twilioserverlessrc.js is not read: it is a program")


@pytest.mark.parametrize("name, content, message", [
    (".twilioserverlessrc", "{runtime: node20}", "source: .twilioserverlessrc is not valid JSON5: unexpected 'n' at line 1"),
    (".twilioserverlessrc", "[1]", "source: .twilioserverlessrc does not hold an object of settings"),
    (".twilioserverlessrc.yml", "a: [", "source: .twilioserverlessrc.yml is not valid YAML"),
    (".twilioserverlessrc", '{runtime: "nodejs"}', "source: .twilioserverlessrc's runtime: 'nodejs' is not a Twilio "
                                                   "runtime name"),
    (".twilioserverlessrc", '{runtime: 22}', "source: .twilioserverlessrc's runtime: 22 is not a Twilio runtime name"),
    (".twilioserverlessrc", '{assetsFolder: "dist"}', "source: .twilioserverlessrc's assetsFolder is 'dist', which is not "
                                                      "a folder in"),
    (".twilioserverlessrc", '{assetsFolder: "../other"}', "source: .twilioserverlessrc's assetsFolder '../other' is not "
                                                          "inside source"),
    (".twilioserverlessrc", '{functionsFolder: 1}', "source: .twilioserverlessrc's functionsFolder is not a string"),
    (".twilioserverlessrc", '{functionsFolder: ""}', "source: .twilioserverlessrc's functionsFolder is empty"),
    ("package.json", '{"twilioserverless": "x"}', "source: package.json's twilioserverless is not an object"),
])
def test_bad_files_are_refused_naming_the_file_and_key(tmp_path, name, content, message):
    write(tmp_path, name, content)
    os.makedirs(str(tmp_path / "other"), exist_ok=True)
    with pytest.raises(OptionError) as caught:
        settings(tmp_path)
    assert str(caught.value).startswith(message)


def test_a_bad_key_the_task_overrides_is_not_refused(tmp_path):
    write(tmp_path, ".twilioserverlessrc", '{assetsFolder: "dist", runtime: "nodejs"}')
    assert settings(tmp_path, assets_dir="assets", runtime="node22")[1:3] == ("assets", "node22")
