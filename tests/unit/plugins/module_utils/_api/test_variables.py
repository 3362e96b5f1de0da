# SPDX-License-Identifier: GPL-3.0-or-later
"""Variables: Twilio's limits, the 3 KB budget, the planner (and its property: applying the plan gives the
wanted state, no write when it is there already), the diff without values, and the reconciled writes."""

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._api import variables as _variables
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, TOKEN

SERVICE = "ZS77777777777777777777777777777777"


def record(key, value, n=0):
    return {"sid": "ZV%032x" % n, "key": key, "value": value}


# -- values from a playbook -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [("text", "text"), ("", ""), (3, "3"), (-12, "-12"), (10 ** 20, str(10 ** 20))])
def test_strings_and_whole_numbers_are_taken(value, expected):
    assert _variables.to_text("K", value, "variables") == expected


@pytest.mark.parametrize("value, kind", [(True, "bool"), (1.10, "float"), (None, "null"), ([1], "list"),
                                         ({"a": "b"}, "dict")])
def test_other_values_are_refused_naming_the_key_only(value, kind):
    with pytest.raises(OptionError) as info:
        _variables.to_text("DEBUG", value, "variables")
    message = str(info.value)
    assert message.startswith("variables: the value of 'DEBUG' is a %s, not a string; quote it" % kind)
    assert repr(value) not in message.replace("'DEBUG'", "")


# -- one variable's limits ------------------------------------------------------------------------------------

def test_limits_of_one_variable_name_the_key_never_the_value():
    _variables.check_variables({"K" * 128: "v" * 450}, "variables")
    _variables.check_variables({"K": "\u00e9" * 225}, "variables")  # 450 bytes
    with pytest.raises(OptionError, match=r"^variables: the key '' is not 1 to 128 characters long$"):
        _variables.check_variables({"": "v"}, "variables")
    with pytest.raises(OptionError, match="is not 1 to 128"):
        _variables.check_variables({"K" * 129: "v"}, "variables")
    secret = "s3cr3t\u00e9" + "x" * 444  # 452 bytes
    with pytest.raises(OptionError) as info:
        _variables.check_variables({"TOKEN": secret}, "env_file")
    assert str(info.value) == "env_file: the value of 'TOKEN' is 452 bytes of UTF-8; Twilio takes at most 450"
    # Only keys matter when deleting.
    _variables.check_variables({"TOKEN": secret}, "variables", values=False)


# -- the 3 KB budget ------------------------------------------------------------------------------------------

def sized(total):
    """A set whose JSON is exactly ``total`` bytes: {"A":"xxx..."} is 8 bytes plus the value."""
    return {"A": "x" * (total - 8)}


@pytest.mark.parametrize("total, warned, over", [(2559, False, False), (2560, True, False), (3072, True, False),
                                                 (3073, True, True)])
def test_budget_warns_from_2560_bytes_and_fails_above_3072(total, warned, over):
    variables = sized(total)
    assert _variables.context_bytes(variables) == total
    size, message, is_over = _variables.budget(variables)
    assert size == total and (message is not None) == warned and is_over == over
    if message:
        assert "82006" in message and "A (%d bytes)" % (total - 8) in message and "xxx" not in message


def test_budget_counts_utf8_bytes_and_names_the_largest_keys():
    variables = {"SMALL": "a", "BIG": "\u00e9" * 700, "MIDDLE": "m" * 900, "OTHER": "o" * 800}
    size, message, over = _variables.budget(variables)
    assert size == _variables.context_bytes(variables) > 3072 and over
    assert "BIG (1400 bytes), MIDDLE (900 bytes), OTHER (800 bytes)" in message and "SMALL" not in message


# -- the planner ----------------------------------------------------------------------------------------------

def test_plan_present_writes_only_what_differs():
    existing = [record("SAME", "1", 1), record("CHANGED", "old", 2), record("OTHER", "kept", 3)]
    found = _variables.plan(existing, {"SAME": "1", "CHANGED": "new", "NEW": "n"})
    assert found.create == [("NEW", "n")] and found.update == [("ZV%032x" % 2, "CHANGED", "new")]
    assert found.delete == [] and found.unchanged == ["SAME"]
    assert found.after == {"SAME": "1", "CHANGED": "new", "NEW": "n", "OTHER": "kept"}
    assert _variables.summary(found) == {"added": ["NEW"], "changed": ["CHANGED"], "removed": [],
                                         "unchanged": ["SAME"]}


def test_plan_prune_and_absent():
    existing = [record("KEEP", "1", 1), record("DROP", "2", 2)]
    pruned = _variables.plan(existing, {"KEEP": "1"}, prune=True)
    assert pruned.delete == [("ZV%032x" % 2, "DROP")] and pruned.after == {"KEEP": "1"}
    absent = _variables.plan(existing, {"DROP": "", "MISSING": ""}, state="absent")
    assert absent.delete == [("ZV%032x" % 2, "DROP")] and absent.create == absent.update == []
    assert absent.after == {"KEEP": "1"}


def test_plan_reads_untrusted_records():
    existing = [{"sid": None, "key": None, "value": "x"}, {"key": "K", "value": None, "sid": "ZV" + "0" * 32},
                record("K", "second", 9)]
    found = _variables.plan(existing, {"K": "v"})
    # The first record of a key is the one compared; a record without a key is left alone.
    assert found.update == [("ZV" + "0" * 32, "K", "v")] and found.after == {"K": "v"}


KEYS = st.sampled_from(["A", "B", "C", "D", "E"])
VALUES = st.sampled_from(["", "1", "x", "\u00e9", "long value"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES), st.dictionaries(KEYS, VALUES), st.booleans(),
       st.sampled_from(["present", "absent"]))
def test_applying_the_plan_gives_the_wanted_state(existing_values, wanted, prune, state):
    existing = [record(k, v, n) for n, (k, v) in enumerate(sorted(existing_values.items()))]
    found = _variables.plan(existing, wanted, state, prune)
    state_now = dict(existing_values)
    for _sid, key in found.delete:
        del state_now[key]
    for _sid, key, value in found.update:
        state_now[key] = value
    for key, value in found.create:
        assert key not in state_now
        state_now[key] = value
    assert state_now == found.after
    if state == "absent":
        assert not set(wanted) & set(state_now) and not found.create and not found.update
    else:
        assert all(state_now[k] == v for k, v in wanted.items())
        assert set(state_now) == (set(wanted) if prune else set(wanted) | set(existing_values))
    # Nothing is written a second time: the state reached is stable.
    again = _variables.plan([record(k, v, n) for n, (k, v) in enumerate(sorted(state_now.items()))], wanted, state,
                            prune)
    assert not (again.create or again.update or again.delete)


def test_diff_lists_keys_and_hides_every_value():
    existing = [record("SAME", "same-secret", 1), record("CHANGED", "old-secret", 2), record("GONE", "gone-secret", 3)]
    found = _variables.plan(existing, {"SAME": "same-secret", "CHANGED": "new-secret", "NEW": "new-key-secret"},
                            prune=True)
    shown = _variables.diff(found, "production")
    assert shown["before"] == "CHANGED=(old value hidden)\nGONE=(value hidden)\nSAME=(value hidden)\n"
    assert shown["after"] == "CHANGED=(new value hidden)\nNEW=(value hidden)\nSAME=(value hidden)\n"
    assert "secret" not in repr(shown) and shown["before_header"] == "variables of environment production"


def test_wanted_variables_lets_the_option_win_over_the_file():
    wanted = _variables.wanted_variables({"A": "option", "N": 5}, {"A": "file", "B": "file"})
    assert dict(wanted) == {"A": "option", "B": "file", "N": "5"}


# -- the writes, against the simulator -------------------------------------------------------------------------

@pytest.fixture
def env_client(fresh_sim):
    made = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": fresh_sim.url,
                                                "retries": 2, "request_timeout": 5.0, "validate_certs": True}),
                        sleep=lambda s: None)
    env = [e for e in fresh_sim.server.store.services[SERVICE].environments if e.unique_name == "production"][0]
    yield fresh_sim, made, env
    made.close()


def stored(env):
    return dict((v.key, v.value) for v in env.variables.values())


def test_apply_writes_each_change_once(env_client):
    sim, client, env = env_client
    _variables.apply(client, SERVICE, env.sid, _variables.plan([], {"A": "1", "B": "2"}), [])
    found = _variables.plan(_variables.list_variables(client, SERVICE, env.sid), {"A": "one", "C": "3"}, prune=True)
    sim.server.clear_log()
    warnings = []
    _variables.apply(client, SERVICE, env.sid, found, warnings)
    assert stored(env) == {"A": "one", "C": "3"} and warnings == []
    assert [e["route"] for e in sim.log()] == ["delete_variable", "update_variable", "create_variable"]


@pytest.mark.parametrize("route, fault", [("create_variable", {"commit": True, "status": 503}),
                                          ("create_variable", {"commit": True, "drop": True}),
                                          ("update_variable", {"commit": True, "status": 502}),
                                          ("delete_variable", {"commit": True, "status": 503})])
def test_an_ambiguous_write_that_took_effect_is_not_sent_again(env_client, route, fault):
    sim, client, env = env_client
    _variables.apply(client, SERVICE, env.sid, _variables.plan([], {"KEEP": "k", "K": "before"}), [])
    wanted = {"KEEP": "k"} if route == "delete_variable" else {"KEEP": "k", "K": "after-secret"}
    if route == "create_variable":
        env.variables.clear()
        wanted = {"K": "after-secret"}
    found = _variables.plan(_variables.list_variables(client, SERVICE, env.sid), wanted, prune=True)
    sim.server.clear_log()
    sim.fault(route, fault)
    warnings = []
    _variables.apply(client, SERVICE, env.sid, found, warnings)
    assert stored(env) == wanted
    assert [e["route"] for e in sim.log()].count(route) == 1
    assert len(warnings) == 1 and "had taken effect, so it was not sent again" in warnings[0]
    assert "after-secret" not in warnings[0]


def test_a_write_that_did_not_take_effect_is_sent_again(env_client):
    sim, client, env = env_client
    sim.fault("create_variable", {"status": 503})
    _variables.apply(client, SERVICE, env.sid, _variables.plan([], {"K": "v"}), [])
    assert stored(env) == {"K": "v"}
    assert [e["route"] for e in sim.log()] == ["create_variable", "variables", "create_variable"]
    assert client.retried


def test_a_delete_of_a_variable_already_gone_is_done(env_client):
    sim, client, env = env_client
    _variables.apply(client, SERVICE, env.sid, _variables.plan([], {"K": "v"}), [])
    found = _variables.plan(_variables.list_variables(client, SERVICE, env.sid), {"K": ""}, state="absent")
    env.variables.clear()
    _variables.apply(client, SERVICE, env.sid, found, [])
    assert [e["status"] for e in sim.log()][-1] == 404


def test_records_as_other_sources_show_them_plan_as_the_canonical_ones():
    canonical = [record("A", "1", 1), record("B", "2", 2), record("C", "3", 3)]
    shown = [dict(r, date_updated=None, environment_sid=None, brand_new={"x": [1]}) for r in canonical]
    wanted = {"A": "1", "B": "changed", "D": "4"}
    assert _variables.plan(shown, wanted, prune=True) == _variables.plan(canonical, wanted, prune=True)
    assert _variables.read_variable(shown[0]) == dict(sid="ZV%032x" % 1, key="A", value="1")
