# SPDX-License-Identifier: GPL-3.0-or-later
"""The user guide's "Troubleshooting by error message" table cannot drift from the code.

Each case below makes the real code print one message: a module's main() through a real AnsibleModule
against the simulator where the module is the one that prints it, the library (client, environments) or the
lookup classes where a fault needs a fake (a TLS failure) or a state the seed lacks. Every message must match
a row of the table, whose first column is a message's start, with ``...`` standing for any text and ``N`` for
a number; a lookup's message is its name, ``: `` and a message that matches a row. Every row must be matched
by some case, so a row whose message the code no longer prints fails too.
"""

import os
import re
import shutil
import tempfile

import pytest
from ansible.errors import AnsibleLookupError

from ansible_collections.twilio_community.serverless.plugins.inventory import accounts as accounts_inventory
from ansible_collections.twilio_community.serverless.plugins.lookup import serverless_builds as builds_lookup
from ansible_collections.twilio_community.serverless.plugins.lookup import serverless_environment as env_lookup
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.accounts import list_accounts
from ansible_collections.twilio_community.serverless.plugins.module_utils._api.environments import find_environment
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import (
    OptionError,
    TaskFailed,
    TwilioError,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC
from ansible_collections.twilio_community.serverless.plugins.module_utils._release import verify as verify_steps
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build as build_module
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as info
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_wait as wait
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_deployment as deployment
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_variables as variables
from ansible_collections.twilio_community.serverless.plugins.modules import serverless_verify as verify_module
from ansible_collections.twilio_community.serverless.plugins.plugin_utils import _connection

from ..conftest import ACCOUNT, SMALL, TOKEN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GUIDE = os.path.join(ROOT, "docs", "user_guide.md")
SECTION = "## Troubleshooting by error message"
RELEASE_APP = "ZS77777777777777777777777777777777"
UNKNOWN_BUILD = "ZB0000000000000000000000000000dead"
LOOKUP_PREFIX = re.compile(r"^twilio_community\.serverless\.serverless_(builds|environment): ")


def table_rows():
    """The first cell of each row of the troubleshooting table, as written."""
    with open(GUIDE, encoding="utf-8") as handle:
        text = handle.read()
    assert SECTION in text, "the user guide lost its troubleshooting section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        found = re.match(r"^\| `([^`]+)` \|", line)
        if found:
            rows.append(found.group(1))
    return rows


def pattern(row):
    """A row's message start as a regular expression: ``...`` is any text, ``N`` a number."""
    parts = []
    for token in re.split(r"(\.\.\.|\bN\b)", row):
        if token == "...":
            parts.append(".+?")
        elif token == "N":
            parts.append(r"[0-9][0-9.]*")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts), re.S)


def matching_rows(message, rows):
    """The rows a message matches. A lookup's message (its name, then a message) matches only when the message
    after its name matches a row too: the row for the name alone says "read the row of the rest"."""
    found = [row for row in rows if pattern(row).match(message)]
    prefix = LOOKUP_PREFIX.match(message)
    if prefix:
        inner = [row for row in rows if pattern(row).match(message[prefix.end():])]
        return found + inner if inner else []
    return found


# -- how each message is made ------------------------------------------------------------------------------------
def args(sim, **more):
    return dict(dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url), **more)


def module_message(run_main, module, module_args):
    result = run_main(module, module_args)
    assert result.get("failed"), result
    return result["msg"]


def client_message(sim, connection, call, session=None, **overrides):
    client = TwilioClient(connection(**overrides), session=session, sleep=lambda seconds: None)
    try:
        with pytest.raises(TwilioError) as info_:
            call(client)
        return info_.value.msg
    finally:
        client.close()


class RefusingSession:
    """A requests session whose TLS handshake fails, as behind an inspecting proxy with an unknown CA."""

    def __init__(self):
        import requests
        self.headers = {}
        self.auth = None
        self._error = requests.exceptions.SSLError("certificate verify failed: unable to get local issuer certificate")

    def request(self, *args, **kwargs):
        raise self._error

    def close(self):
        pass


def lookup(module, **options):
    """A lookup plugin of the collection, its run() as Ansible calls it, with options given directly."""
    spec = module.DOCUMENTATION

    class Direct(module.LookupModule):
        def set_options(self, task_keys=None, var_options=None, direct=None):
            import yaml
            documented = yaml.safe_load(spec)["options"]
            self.values = dict((name, doc.get("default")) for name, doc in documented.items())
            self.values.update((name, value.get("default")) for name, value in CONNECTION_ARGUMENT_SPEC.items())
            self.values.update(direct or {})

        def get_option(self, option, hostvars=None):
            return self.values[option]

    plugin = Direct()
    plugin._load_name = "twilio_community.serverless." + module.__name__.rsplit(".", 1)[1]
    return plugin


def lookup_message(plugin, terms, **options):
    with pytest.raises(AnsibleLookupError) as info_:
        plugin.run(terms, variables={}, **options)
    return str(info_.value)


TWILIO_403 = {"status": 403, "json": {"code": 20403, "message": "Forbidden", "status": 403,
                                      "more_info": "https://www.twilio.com/docs/errors/20403"}}
BUILD_1 = "ZB00000000000000000000000000000001"
FAILED_BUILD = "ZB00000000000000000000000000000002"
BUILDING_BUILD = "ZB000000000000000000000000000000a5"  # release-app, building for a day


def get_service(client):
    return client.get("/v1/Services/small-app", "service 'small-app'")


# Each case: (sim, run_main, connection) -> the message the code printed.
def no_account(sim, run_main, connection):
    return module_message(run_main, info, dict(service="small-app"))


def no_credentials(sim, run_main, connection):
    return module_message(run_main, info, dict(service="small-app", account_sid=ACCOUNT))


def rejected_401(sim, run_main, connection):
    return module_message(run_main, info, args(sim, service="small-app", auth_token="wrong"))


def refused_403(sim, run_main, connection):
    sim.fault("service", TWILIO_403)
    return module_message(run_main, info, args(sim, service="small-app"))


def invalid_parameter_400(sim, run_main, connection):
    sim.fault("create_deployment", {"status": 400})
    return module_message(run_main, deployment, args(sim, service="small-app", environment="staging",
                                                     build=BUILD_1))


def service_404(sim, run_main, connection):
    return module_message(run_main, info, args(sim, service="no-such-app"))


def build_404(sim, run_main, connection):
    return module_message(run_main, info, args(sim, service=SMALL, sids=[UNKNOWN_BUILD]))


def rate_limited_429(sim, run_main, connection):
    sim.fault("service", {"status": 429, "times": 3})
    return client_message(sim, connection, get_service, retries=2)


def request_timeout(sim, run_main, connection):
    sim.fault("service", {"delay": 1.0})
    return client_message(sim, connection, get_service, retries=0, request_timeout=0.2)


def connection_failed_read(sim, run_main, connection):
    sim.fault("service", {"drop": True})
    return module_message(run_main, info, args(sim, service="small-app", retries=0))


def connection_failed_write(sim, run_main, connection):
    sim.fault("create_deployment", {"drop": True})
    return module_message(run_main, deployment, args(sim, service="small-app", environment="staging",
                                                     build=BUILD_1, retries=0))


def not_json(sim, run_main, connection):
    sim.fault("service", {"status": 200, "body": "html"})
    return module_message(run_main, info, args(sim, service="small-app"))


def foreign_next_page(sim, run_main, connection):
    sim.fault("builds", {"next_page_url": "https://elsewhere.example/v1/x"})
    return module_message(run_main, info, args(sim, service=SMALL, page_size=1))


def tls_failed(sim, run_main, connection):
    return client_message(sim, connection, get_service, session=RefusingSession())


def bad_service(sim, run_main, connection):
    return module_message(run_main, info, args(sim, service="small app/../x"))


def timed_out(sim, run_main, connection):
    return module_message(run_main, wait, args(sim, service=SMALL, sids=sim.builds(SMALL, {"ready_in": 600}),
                                               timeout=0.5, prediction=False))


def build_failed(sim, run_main, connection):
    return module_message(run_main, wait, args(sim, service=SMALL, sids=[FAILED_BUILD]))


def unknown_environment(sim, run_main, connection):
    return module_message(run_main, deployment, args(sim, service="release-app", environment="nope",
                                                     rollback=True))


def ambiguous_environment(sim, run_main, connection):
    environments = [{"sid": "ZE" + "1" * 32, "unique_name": "stage", "domain_suffix": "qa"},
                    {"sid": "ZE" + "2" * 32, "unique_name": "staging", "domain_suffix": "stage"}]
    with pytest.raises(OptionError) as info_:
        find_environment(environments, "stage", SMALL)
    return str(info_.value)


def runs_no_build(sim, run_main, connection):
    return module_message(run_main, deployment, args(sim, service="release-app", environment="production",
                                                     from_environment="dev"))


def no_earlier_build(sim, run_main, connection):
    return module_message(run_main, deployment, args(sim, service="release-app", environment="production",
                                                     rollback=True))


def build_not_completed(sim, run_main, connection):
    return module_message(run_main, deployment, args(sim, service="release-app", environment="production",
                                                     build=BUILDING_BUILD))


def rollback_cannot_tell(sim, run_main, connection):
    # stage runs a2 after a1; a4 then a1 again leaves a1 live, deeper in the history than the build before a4:
    # a roll back by SID or a re-release of a1, which the history cannot tell apart.
    for build in ("ZB000000000000000000000000000000a4", "ZB000000000000000000000000000000a1"):
        result = run_main(deployment, args(sim, service="release-app", environment="stage", build=build))
        assert result.get("changed") and not result.get("failed"), result
    return module_message(run_main, deployment, args(sim, service="release-app", environment="stage",
                                                     rollback=True))


def prune_live_build(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", state="absent",
                                                       build="ZB000000000000000000000000000000a1"))


def prune_unfinished_build(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", state="absent",
                                                       build=BUILDING_BUILD))


def unlisted_runtime(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", source="/tmp", runtime="node99"))


def version_not_a_string(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", from_environment="production",
                                                       dependencies={"axios": 1.1}))


def handler_too_old(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", from_environment="production",
                                                       runtime="node24",
                                                       dependencies={"@twilio/runtime-handler": "2.0.3"}))


def rebuild_with_source(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", source="/tmp",
                                                       from_build="ZB000000000000000000000000000000a1"))


def rebuild_no_live_build(sim, run_main, connection):
    return module_message(run_main, build_module, args(sim, service="release-app", from_environment="dev"))


A4 = "ZB000000000000000000000000000000a4"


def warning_texts(result):
    # ansible-core 2.19 sends each warning as an event; older versions as the text.
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def rollback_target_gone(sim, run_main, connection):
    # Before rollback_cannot_tell: stage runs a2 after a1, so a roll back restores a1, which Twilio answers as
    # deleted (a fault: the shared simulator keeps its builds).
    sim.fault("build", {"status": 404})
    return module_message(run_main, deployment, args(sim, service="release-app", environment="stage", rollback=True))


def prune_rollback_target(sim, run_main, connection):
    # After rollback_cannot_tell: stage ran a1, a2, a4, then a1 again; a4, the build before, is kept for build:.
    return module_message(run_main, build_module, args(sim, service="release-app", state="absent", build=A4))


def env_file_line_skipped(sim, run_main, connection):
    folder = tempfile.mkdtemp()
    try:
        with open(os.path.join(folder, ".env"), "w", encoding="utf-8") as handle:
            handle.write("export GREETING=hello\n")
        result = run_main(variables, args(sim, service="release-app", environment="dev", _ansible_check_mode=True,
                                          env_file=os.path.join(folder, ".env")))
    finally:
        shutil.rmtree(folder)
    return warning_texts(result)[0]


def project(files):
    folder = tempfile.mkdtemp()
    for relative in files:
        os.makedirs(os.path.dirname(os.path.join(folder, relative)), exist_ok=True)
        with open(os.path.join(folder, relative), "w", encoding="utf-8") as handle:
            handle.write("exports.handler = () => {};\n")
    return folder


def functions_not_js(sim, run_main, connection):
    folder = project(["functions/hello.ts", "assets/index.html"])
    try:
        result = run_main(build_module, args(sim, service="release-app", source=folder, _ansible_check_mode=True))
    finally:
        shutil.rmtree(folder)
    return warning_texts(result)[0]


def path_not_ascii(sim, run_main, connection):
    folder = project(["functions/caf\xe9.js"])
    try:
        return module_message(run_main, build_module, args(sim, service="release-app", source=folder))
    finally:
        shutil.rmtree(folder)


def check_mode_from_nothing(sim, run_main, connection):
    # A warning, not a failure: check mode on a service an earlier task would have created.
    result = run_main(variables, dict(args(sim, service="not-made-yet", environment="staging", variables={"A": "b"}),
                                      _ansible_check_mode=True))
    assert result.get("changed") and not result.get("failed"), result
    texts = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    return [text for text in texts if text.startswith("check mode: ")][0]


def lookup_api_error(sim, run_main, connection):
    return lookup_message(lookup(env_lookup), ["small-app"], environment="nope", account_sid=ACCOUNT,
                          auth_token=TOKEN, base_url=sim.url)


def lookup_bad_term(sim, run_main, connection):
    return lookup_message(lookup(builds_lookup), ["small app"], account_sid=ACCOUNT, auth_token=TOKEN,
                          base_url=sim.url)


def lookup_no_account(sim, run_main, connection):
    return lookup_message(lookup(builds_lookup), ["small-app"])


def verify_bad_check(sim, run_main, connection):
    return module_message(run_main, verify_module, args(sim, service="release-app", environment="stage",
                                                        checks=[{"path": "/ok"}, {"path": "hello"}]))


def verify_bad_domain_base_url(sim, run_main, connection):
    return module_message(run_main, verify_module, args(sim, service="release-app", environment="stage",
                                                        domain_base_url="https://example.com"))


GUARDED_BUILD = {"sid": BUILD_1, "function_versions": [
    {"sid": "ZN" + "a" * 32, "function_sid": "ZH" + "a" * 32, "path": "/inner", "visibility": "private"},
    {"sid": "ZN" + "b" * 32, "function_sid": "ZH" + "b" * 32, "path": "/guarded", "visibility": "protected"}]}


def verify_refusal(path, token):
    checks = verify_steps.check_verify_options({"checks": [{"path": path}]}).checks
    with pytest.raises(TaskFailed) as info_:
        verify_steps.preflight(checks, verify_steps.served(GUARDED_BUILD)[0], token, BUILD_1)
    return info_.value.msg


def verify_private(sim, run_main, connection):
    return verify_refusal("/inner", TOKEN)


def verify_protected_without_token(sim, run_main, connection):
    return verify_refusal("/guarded", None)


def verify_no_build(sim, run_main, connection):
    return module_message(run_main, verify_module, args(sim, service="release-app", environment="dev", settle=0))


def verify_failed(sim, run_main, connection):
    # The simulator answers 404 for a path it does not serve: a check expecting 200 fails, and nothing changes.
    return module_message(run_main, verify_module, args(sim, service="release-app", environment="stage", settle=0,
                                                        max_errors=100000, checks=[{"path": "/hello"}],
                                                        domain_base_url=sim.url + "/v9/{domain_name}"))


def _inventory_warnings(sim, connection, statuses, include_services):
    # The accounts inventory's own selection, over the simulator's listing (the suspended subaccount of test.json).
    client = TwilioClient(connection(base_url=sim.server.accounts_url), sleep=lambda seconds: None)
    try:
        fleet = [dict(a, main=False, services=None) for a in list_accounts(client) if a["status"] == "suspended"]
    finally:
        client.close()
    shown = []
    accounts_inventory.hosts_of(fleet, dict(statuses=statuses, include_services=include_services), shown.append)
    return shown[0]


def inventory_status_skipped(sim, run_main, connection):
    return _inventory_warnings(sim, connection, ["active"], False)


def inventory_services_not_listed(sim, run_main, connection):
    return _inventory_warnings(sim, connection, ["active", "suspended"], True)


def inventory_bad_pattern(sim, run_main, connection):
    with pytest.raises(OptionError) as info_:
        accounts_inventory.check_patterns(["helpline-*", ""])
    return str(info_.value)


CASES = [no_account, no_credentials, rejected_401, refused_403, invalid_parameter_400, service_404, build_404,
         rate_limited_429, request_timeout, connection_failed_read, connection_failed_write, not_json,
         foreign_next_page, tls_failed, bad_service, timed_out, build_failed, unknown_environment,
         ambiguous_environment, runs_no_build, no_earlier_build, build_not_completed, lookup_api_error,
         lookup_bad_term, lookup_no_account, rollback_target_gone, rollback_cannot_tell, prune_live_build,
         prune_unfinished_build, prune_rollback_target, env_file_line_skipped, functions_not_js, path_not_ascii,
         unlisted_runtime, version_not_a_string, handler_too_old, rebuild_with_source, rebuild_no_live_build,
         verify_bad_check, verify_bad_domain_base_url, verify_private, verify_protected_without_token, verify_no_build,
         verify_failed,
         check_mode_from_nothing, inventory_status_skipped, inventory_services_not_listed, inventory_bad_pattern]


def requests_missing():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_connection, "HAS_REQUESTS", False)
        return lookup_message(lookup(builds_lookup), ["small-app"])


@pytest.fixture
def no_twilio_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("TWILIO_"):
            monkeypatch.delenv(name)


def test_the_table_and_the_code_agree(sim, run_main, connection, no_twilio_env):
    # One test, not one per case: "every row is printed" needs every message, whatever runs the tests in parallel.
    messages = {}
    for case in CASES:
        sim.server.faults.clear()
        messages[case.__name__] = case(sim, run_main, connection)
    messages["requests_missing"] = requests_missing()
    rows = table_rows()
    for message in messages.values():
        assert TOKEN not in message
    unmatched = ["%s: %s" % (case, message) for case, message in sorted(messages.items())
                 if not matching_rows(message, rows)]
    assert unmatched == [], "messages no row of the user guide's troubleshooting table matches:\n" + "\n".join(
        unmatched)
    printed = set(row for message in messages.values() for row in matching_rows(message, rows))
    silent = [row for row in rows if row not in printed]
    assert silent == [], "rows of the troubleshooting table that no case prints: %s" % silent


def test_a_row_pattern_stands_for_what_it_says():
    row = pattern("Timed out after N s waiting for ...")
    assert row.match("Timed out after 0.5 s waiting for 1 of 1 builds of service ZS1: ZB2 (building)")
    assert not row.match("Timed out after a while waiting for it")
    assert not pattern("Build ZB... of service ZS... failed after").match("Build ZB1 of service ZS2 is failed")
