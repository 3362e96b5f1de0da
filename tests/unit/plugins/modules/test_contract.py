# SPDX-License-Identifier: GPL-3.0-or-later
"""One contract over every module of the action group in meta/runtime.yml, checked from the module's own data.

Each module exposes ``ARGUMENT_SPEC``, ``BLANK_RESULT`` and ``RETURN``; its happy path is the fixture
``contract_<module>`` in conftest.py. From those alone, for every module:

- RETURN documents exactly the keys of BLANK_RESULT (and ``error``), and the ``stats`` and ``error`` blocks
  are the same in every module;
- ``main()``, through a real AnsibleModule, returns exactly the documented keys on success, on each bad
  option derived from the argument spec, on an API failure (with ``error``) and, for a wait, at its deadline;
- option sets generated from the argument spec (mutually exclusive ones included) never end in a traceback,
  and a rejected one names an option;
- the connection options are documented, for modules and for lookups, as CONNECTION_ARGUMENT_SPEC defines
  them (that each lookup uses the lookup fragment is tests/unit/plugins/lookup/test_lookup_docs.py's to check:
  lookups import controller code, which ansible-test does not offer module tests).

A module added to the action group is covered with no edit here.
"""

import copy
import importlib
import json
import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.twilio_community.serverless.plugins.doc_fragments.twilio import ModuleDocFragment
from ansible_collections.twilio_community.serverless.plugins.module_utils import _module
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.sids import KINDS
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC

from ...conftest import ACCOUNT, TOKEN, assert_no_secret

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))))
PACKAGE = "ansible_collections.twilio_community.serverless.plugins"
# What Ansible itself adds to a module's result; not the module's to document. msg_to_log: AnsibleModule's own
# failure when syslog refuses the logged invocation (a NUL byte in an option, seen on ansible-core 2.21).
ANSIBLE_KEYS = {"changed", "failed", "msg", "invocation", "warnings", "deprecations", "exception", "diff",
                "msg_to_log"}
ERROR_KEYS = {"http_status", "code", "more_info", "request_id"}
API_FAILURE = "on failure from the API"


def action_group():
    with open(os.path.join(COLLECTION, "meta", "runtime.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["action_groups"]["twilio"]


NAMES = action_group()
MODULES = dict((name, importlib.import_module("%s.modules.%s" % (PACKAGE, name))) for name in NAMES)


def returned(name):
    return yaml.safe_load(MODULES[name].RETURN)


def documented(name, api_failure=False):
    """The keys the module's RETURN promises for an outcome."""
    return set(key for key, doc in returned(name).items()
               if doc["returned"] == "always" or (api_failure and doc["returned"] == API_FAILURE))


def assert_exact_keys(name, result, api_failure=False):
    keys = set(result) - ANSIBLE_KEYS
    assert keys == documented(name, api_failure), "%s returned %s" % (name, sorted(result))
    assert isinstance(result["changed"], bool)
    assert "exception" not in result, result.get("exception")
    if api_failure:
        assert set(result["error"]) == ERROR_KEYS


def connection_args(sim, **more):
    return dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=sim.url, **more)


def happy(request, name):
    try:
        return request.getfixturevalue("contract_" + name)
    except pytest.FixtureLookupError:
        pytest.fail("%s has no happy path for the contract test: add a fixture contract_%s to its tests, "
                    "tests/unit/plugins/modules/test_%s.py (see docs/architecture.md, Adding a module)"
                    % (name, name, name))


def test_the_action_group_is_read():
    assert len(NAMES) >= 4 and all(hasattr(MODULES[n], attr) for n in NAMES
                                   for attr in ("ARGUMENT_SPEC", "BLANK_RESULT", "RETURN", "check_params", "run",
                                                "main"))


def test_every_module_is_in_the_action_group():
    # The contract covers the action group: a module left out of it would drop out of every test here unseen.
    shipped = set(os.path.splitext(f)[0] for f in os.listdir(os.path.join(COLLECTION, "plugins", "modules"))
                  if f.endswith(".py") and f != "__init__.py")
    assert shipped == set(NAMES)


# -- The documentation matches the data ---------------------------------------------------------------------

MAX_MODULE_LINES = 450


@pytest.mark.parametrize("name", NAMES)
def test_the_module_is_thin(name):
    """Docs, an argument spec and a short run(); anything longer belongs in module_utils, tested without a
    module (docs/architecture.md, "Rules")."""
    with open(MODULES[name].__file__, encoding="utf-8") as handle:
        lines = len(handle.read().splitlines())
    assert lines <= MAX_MODULE_LINES, "%s has %d lines; move its steps into module_utils" % (name, lines)


TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}


@pytest.mark.parametrize("name", NAMES)
def test_return_documents_the_blank_result(name):
    blank = MODULES[name].BLANK_RESULT
    docs = returned(name)
    assert documented(name) == set(blank), "RETURN 'always' keys differ from BLANK_RESULT"
    assert set(docs) - set(blank) == {"error"} and docs["error"]["returned"] == API_FAILURE
    for key, value in blank.items():
        assert value is None or isinstance(value, TYPES[docs[key]["type"]]), key
    assert set(docs["stats"]["contains"]) == set(blank["stats"])


def block(name, key, drop=("sample",)):
    """A RETURN block without the parts allowed to differ between modules (the samples)."""
    doc = copy.deepcopy(returned(name)[key])
    for sub in doc.get("contains", {}).values():
        for part in drop:
            sub.pop(part, None)
    return doc


def test_error_block_is_the_same_in_every_module():
    first = block(NAMES[0], "error", drop=())
    assert all(sub["returned"] == "failure" for sub in first["contains"].values())
    for name in NAMES[1:]:
        assert block(name, "error", drop=()) == first, name


def test_stats_block_is_the_same_in_every_module():
    """Counters several modules share read the same everywhere; a module may add its own (pages, writes)."""
    first = block(NAMES[0], "stats")
    for name in NAMES:
        doc = block(name, "stats")
        assert dict(doc, contains=None) == dict(first, contains=None), name
        for counter in ("requests", "retries"):
            assert doc["contains"][counter] == first["contains"][counter], (name, counter)
        assert all(sub["returned"] == "always" for sub in doc["contains"].values()), name


def fragment_options(text):
    return yaml.safe_load(text)["options"]


def default_of(spec):
    return spec.get("default")


@pytest.mark.parametrize("text", [ModuleDocFragment.DOCUMENTATION, ModuleDocFragment.PLUGIN_OPTIONS],
                         ids=["modules", "lookups"])
def test_connection_options_are_documented_as_specified(text):
    """The twilio doc fragment (modules) and its plugin_options (lookups) against CONNECTION_ARGUMENT_SPEC."""
    options = fragment_options(text)
    assert set(options) == set(CONNECTION_ARGUMENT_SPEC)
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        doc = options[name]
        assert doc["type"] == spec["type"], name
        assert doc.get("default") == default_of(spec), name
        env = spec["fallback"][1] if "fallback" in spec else []
        if "env" in doc or text is ModuleDocFragment.PLUGIN_OPTIONS:
            assert [e["name"] for e in doc.get("env", [])] == env, name
        else:
            description = " ".join(doc["description"]) if isinstance(doc["description"], list) else doc["description"]
            assert all("E(%s)" % var in description for var in env), name


# -- main() through a real AnsibleModule, on every outcome ---------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_success(name, request, run_main):
    case = happy(request, name)
    result = run_main(MODULES[name], connection_args(case["sim"], **case["args"]))
    assert "failed" not in result, result.get("msg")
    assert_exact_keys(name, result)


BAD_BY_TYPE = {"int": "many", "float": "soon", "bool": "perhaps"}


def bad_options(name):
    """(option, value) pairs the module must refuse before any request, derived from its argument spec."""
    spec = MODULES[name].ARGUMENT_SPEC
    found = [("retries", 21), ("retries", "inf"), ("base_url", "ftp://example.com"), ("account_sid", "AC123"),
             ("subaccount_sid", "AC123"), ("accounts_base_url", "http://api.example.com")]
    if "service" in spec:
        found.append(("service", "a/../b"))
    for option, entry in sorted(spec.items()):
        if entry.get("choices"):
            found.append((option, ["no-such-choice"] if entry["type"] == "list" else "no-such-choice"))
        elif entry.get("type") in BAD_BY_TYPE:
            found.append((option, BAD_BY_TYPE[entry["type"]]))
        if entry.get("type") in ("int", "float"):
            # Every number this collection takes is a count or a duration: a negative one is refused.
            found.append((option, -1))
        if entry.get("required"):
            found.append((option, None))
    return found


BAD_CASES = [(name, option, value) for name in NAMES for option, value in bad_options(name)]


def names_option(msg, option, spec):
    """Ansible's own messages name an option differently from ours ("option: ..."); each names it."""
    names = [option] + spec.get(option, {}).get("aliases", [])
    return any(msg.startswith(n + ": ") or re.search(r"\b%s\b" % re.escape(n), msg) for n in names)


@pytest.mark.parametrize("name, option, value", BAD_CASES,
                         ids=["%s-%s=%r" % case for case in BAD_CASES])
def test_bad_option(name, option, value, request, run_main):
    case = happy(request, name)
    args = connection_args(case["sim"], **case["args"])
    if value is None:
        args.pop(option)
    else:
        args[option] = value
    result = run_main(MODULES[name], args)
    assert result.get("failed") is True, "%s=%r was accepted" % (option, value)
    assert_exact_keys(name, result)
    spec = dict(CONNECTION_ARGUMENT_SPEC, **MODULES[name].ARGUMENT_SPEC)
    assert names_option(result["msg"], option, spec), result["msg"]
    assert case["sim"].log() == [], "a request was sent before the option was checked"


@pytest.mark.parametrize("name", NAMES)
def test_api_failure(name, request, run_main):
    case = happy(request, name)
    case["sim"].fault("*", {"status": 503, "times": -1})
    result = run_main(MODULES[name], connection_args(case["sim"], retries=0, **case["args"]))
    assert result["failed"] is True
    assert_exact_keys(name, result, api_failure=True)
    assert result["error"]["http_status"] == 503 and result["error"]["request_id"].startswith("RQ")
    assert result["stats"]["requests"] == len(case["sim"].log()) >= 1


WAITS = [name for name in NAMES if "timeout" in MODULES[name].ARGUMENT_SPEC]


def test_the_waits_are_found():
    assert "serverless_build_wait" in WAITS


@pytest.mark.parametrize("name", WAITS)
def test_deadline(name, request, run_main):
    case = happy(request, name)
    assert "deadline_args" in case, "contract_%s must give deadline_args: %s has a timeout option" % (name, name)
    result = run_main(MODULES[name], connection_args(case["sim"], **case["deadline_args"]))
    assert result["failed"] is True and result["msg"].startswith("Timed out after"), result["msg"]
    assert_exact_keys(name, result)


# -- Option sets generated from each argument spec -----------------------------------------------------------

SID_BODY = st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32)
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="/?#.%\\ \t\n\u00e9\u2603\u202eZSBEDACK0123456789abcdef-_", max_size=40),
    st.sampled_from(["", " ", "..", "../x", "a/b", "app?x=1", "ZS", "ZS123", "acme-ivr", "production", "stage",
                     "2026-11-24", "2026-11-24T08:00:00Z", "2026-11-24T08:00:00+25:00", "yesterday", "node22",
                     "http://h", "https://serverless.twilio.com", "http://127.0.0.1:1", "ftp://x", "https://u:p@h",
                     "ie1", "dublin", "inf", "nan", "1e400", "AC" + "3" * 32]),
    st.builds(lambda p, b: p + b, st.sampled_from(sorted(KINDS)), SID_BODY),
)
NUMBER = st.one_of(st.integers(min_value=-10 ** 30, max_value=10 ** 30),
                   st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, 1000, 1001, -1, 0.001]))
ANY = st.one_of(TEXT, NUMBER, st.booleans(), st.none(), st.lists(TEXT, max_size=3),
                st.dictionaries(st.text(max_size=5), TEXT, max_size=2))
# CI draws the same examples on every run, so a red run is reproducible and never a coin toss; set
# CONTRACT_FUZZ_RANDOM=1 (and CONTRACT_FUZZ_EXAMPLES=N) to explore new ones.
EXAMPLES_PER_MODULE = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES") or 400)
RANDOM_EXAMPLES = os.environ.get("CONTRACT_FUZZ_RANDOM") == "1"
MARK = "-S3CR3T-MARK"
SAFE_PATH = re.compile(r"\A/v1/Services/[A-Za-z0-9_.-]+(/[A-Za-z]+(/Z[BE][0-9a-fA-F]{32}(/[A-Za-z]+)?)?)?\Z")
ACCOUNT_PATH = re.compile(r"\A/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})\.json\Z")


def value_for(entry):
    """Values of the option's own type and choices, mixed with anything at all."""
    kind = entry.get("type", "str")
    choices = entry.get("choices")
    if kind == "list":
        element = st.sampled_from(list(choices) + ["nope"]) if choices else TEXT
        own = st.lists(element, max_size=3)
    elif choices:
        own = st.sampled_from(list(choices) + ["nope"])
    else:
        own = {"bool": st.booleans(), "int": NUMBER, "float": NUMBER}.get(kind, TEXT)
    return st.one_of(own, own, ANY)


def option_sets(name, base):
    """Any subset of the options (aliases included) with any values; or ``base``, a set the module accepts,
    with one to three options changed, so the checks after the first are reached too."""
    spec = dict(CONNECTION_ARGUMENT_SPEC, **MODULES[name].ARGUMENT_SPEC)
    options = {}
    for option, entry in spec.items():
        options[option] = value_for(entry)
        for alias in entry.get("aliases", []):
            options[alias] = value_for(entry)
    changed = st.lists(st.sampled_from(sorted(options)), min_size=1, max_size=3, unique=True).flatmap(
        lambda names: st.fixed_dictionaries(dict((n, options[n]) for n in names)))
    return st.one_of(st.fixed_dictionaries({}, optional=options), changed.map(lambda more: dict(base, **more)))


def no_log_options(name):
    """Every option (aliases included) whose value Ansible masks in output."""
    spec = dict(CONNECTION_ARGUMENT_SPEC, **MODULES[name].ARGUMENT_SPEC)
    return [option for entry_name, entry in spec.items() if entry.get("no_log")
            for option in [entry_name] + list(entry.get("aliases", []))]


def marked(value):
    """``value`` with MARK appended to each string in it (a dict's values too, which Ansible masks as well)."""
    if isinstance(value, dict):
        return dict((key, marked(item)) for key, item in value.items())
    if isinstance(value, list):
        return [marked(item) for item in value]
    if isinstance(value, str):
        return "%s%s" % (value, MARK)
    return value


class NoRequestClient:
    """Stands in for TwilioClient: records the first path the module would request, and sends nothing."""

    made = []

    def __init__(self, connection, **kwargs):
        self.connection = connection
        self.paths = []
        NoRequestClient.made.append(self)

    def _request(self, path, *args, **kwargs):
        self.paths.append(path)
        raise TwilioError("not sent: fuzzing")

    get = post = _request

    def stats(self):
        return {"requests": 0, "retries": 0, "writes": 0}

    def retry_summary(self):
        return None

    def close(self):
        pass

    def __getattr__(self, attr):
        raise TwilioError("not sent: fuzzing (%s)" % attr)


def check_outcome(name, params, result):
    spec = dict(CONNECTION_ARGUMENT_SPEC, **MODULES[name].ARGUMENT_SPEC)
    assert "exception" not in result, result["exception"]
    # The whole result, warnings included (Ansible does not mask those), and any part of the mark; but not the
    # invocation Ansible itself echoes (it shows a list given for a str secret as converted, unmasked).
    assert_no_secret(json.dumps(dict((k, v) for k, v in result.items() if k != "invocation")), MARK)
    made = NoRequestClient.made
    if made and made[-1].paths:
        # Accepted: every value that reaches a URL is well-formed, and the connection is sane.
        client = made[-1]
        assert result["failed"] and result["msg"].startswith("not sent: fuzzing")
        assert_exact_keys(name, result, api_failure=True)
        lookup = ACCOUNT_PATH.match(client.paths[0])
        if lookup:
            # subaccount_sid's lookup, the one request before it: with the main credentials, never to base_url.
            assert len(made) == 1 and client.connection.subaccount_sid is None
            assert lookup.group(1) == params["subaccount_sid"] != client.connection.username
        else:
            assert SAFE_PATH.match(client.paths[0]), client.paths[0]
            assert all(c.connection.subaccount_sid in (None, c.connection.username) for c in made)
        assert client.connection.base_url.startswith(("https://", "http://"))
        assert 0 < client.connection.request_timeout <= 3600 and 0 <= client.connection.retries <= 20
        return "accepted"
    if "failed" not in result:
        return "succeeded without a request"
    assert_exact_keys(name, result, api_failure="error" in result)
    if "msg_to_log" in result:
        # AnsibleModule logs the invocation to syslog before the module runs, and fails itself when syslog
        # refuses a value (a NUL byte): Ansible's message, not ours, but still every documented key.
        assert result["msg"].startswith("Failed to log to syslog"), result["msg"]
        return "rejected"
    if "error" not in result:
        assert any(names_option(result["msg"], option, spec) for option in spec), result["msg"]
    return "rejected"


def accepted_base(request, name):
    return dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url="http://127.0.0.1:1", **happy(request, name)["args"])


@pytest.mark.parametrize("name", NAMES)
def test_generated_option_sets(name, request, run_main, monkeypatch):
    monkeypatch.setattr(_module, "TwilioClient", NoRequestClient)
    seen = set()

    @settings(max_examples=EXAMPLES_PER_MODULE, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize=not RANDOM_EXAMPLES)
    @given(option_sets(name, accepted_base(request, name)))
    def check(params):
        params = dict(params)
        for secret in no_log_options(name):
            if params.get(secret) is not None:
                # Recognisable, so a leak into a message is seen; and long, so Ansible's masking of no_log
                # values in messages (a secret "_" masks every "_") cannot garble an option's name.
                params[secret] = marked(params[secret])
        del NoRequestClient.made[:]
        seen.add(check_outcome(name, params, run_main(MODULES[name], params)))

    check()  # pylint: disable=no-value-for-parameter
    assert {"accepted", "rejected"} <= seen, seen


@pytest.mark.parametrize("name", NAMES)
def test_generated_option_sets_can_be_accepted(name, request, run_main, monkeypatch):
    """The happy path through the same check: the strategies' 'accepted' branch is reachable."""
    monkeypatch.setattr(_module, "TwilioClient", NoRequestClient)
    del NoRequestClient.made[:]
    params = accepted_base(request, name)
    assert check_outcome(name, params, run_main(MODULES[name], params)) == "accepted"


@pytest.mark.parametrize("name", NAMES)
def test_generated_option_sets_reach_the_subaccount_lookup(name, request, run_main, monkeypatch):
    """The fuzz's branch for subaccount_sid is reachable: the lookup is the first request, with the main
    credentials, and a failure of it returns every documented key."""
    monkeypatch.setattr(_module, "TwilioClient", NoRequestClient)
    del NoRequestClient.made[:]
    params = dict(accepted_base(request, name), subaccount_sid="AC" + "3" * 32)
    assert check_outcome(name, params, run_main(MODULES[name], params)) == "accepted"
    assert NoRequestClient.made[0].connection.password == TOKEN
