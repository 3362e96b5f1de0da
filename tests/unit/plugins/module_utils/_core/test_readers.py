# SPDX-License-Identifier: GPL-3.0-or-later
"""The readers of server data: a missing key, a null and a record that is not an object read as None; tokens in
any case; lists keep their objects; SIDs only of the kind asked for. Nothing raises, nothing is changed."""

import copy
import datetime

import pytest

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers

BUILD = "ZB" + "0" * 32
NOT_OBJECTS = (None, [], "x", 5, ["a"], True)


@pytest.mark.parametrize("record", NOT_OBJECTS)
def test_a_record_that_is_not_an_object_reads_as_nothing(record):
    assert readers.value(record, "sid") is None and readers.text(record, "sid") is None
    assert readers.token(record, "status") is None and readers.records(record, "function_versions") == []
    assert readers.sid(record, "sid", "ZB") is None and readers.date(record, "date_created") is None
    assert readers.flag(record, "ui_editable") is None


def test_a_missing_key_and_a_null_read_alike():
    for record in ({}, {"status": None, "sid": None, "date_updated": None, "function_versions": None}):
        assert readers.value(record, "status") is None and readers.token(record, "status") is None
        assert readers.sid(record, "sid", "ZB") is None and readers.date(record, "date_updated") is None
        assert readers.records(record, "function_versions") == []


@pytest.mark.parametrize("sent", ["public", "PUBLIC", "Public", " public ", "pUbLiC"])
def test_a_token_is_read_in_lower_case_whatever_its_case(sent):
    assert readers.token({"visibility": sent}, "visibility") == "public"
    assert readers.token({"visibility": sent}, "visibility", readers.VISIBILITIES) == "public"


@pytest.mark.parametrize("sent", ["secret", "", "PUBLIC!", 1, ["public"], {"v": "public"}, True])
def test_a_token_outside_the_known_values_reads_as_none(sent):
    assert readers.token({"visibility": sent}, "visibility", readers.VISIBILITIES) is None


def test_a_token_without_known_values_is_any_string_in_lower_case():
    assert [readers.token({"level": level}, "level") for level in ("warn", "warning", "WARN", "INFO", 3)] == [
        "warn", "warning", "warn", "info", None]


def test_text_is_a_string_or_none():
    assert readers.text({"unique_name": "prod"}, "unique_name") == "prod"
    assert readers.text({"unique_name": ""}, "unique_name") == ""
    assert [readers.text({"k": sent}, "k") for sent in (5, None, ["a"], {"a": 1}, False)] == [None] * 5


def test_records_keep_only_objects():
    items = [{"sid": 1}, None, "x", 3, [], {"sid": 2}]
    assert readers.records({"function_versions": items}, "function_versions") == [{"sid": 1}, {"sid": 2}]
    assert readers.records({"function_versions": {"sid": 1}}, "function_versions") == []
    assert readers.records({"function_versions": "[]"}, "function_versions") == []


@pytest.mark.parametrize("sent", ["ZB" + "0123456789abcdef" * 2, "ZB" + "0123456789ABCDEF" * 2])
def test_a_sid_of_the_kind_asked_for(sent):
    assert readers.sid({"build_sid": sent}, "build_sid", "ZB") == sent


@pytest.mark.parametrize("sent", ["ZE" + "0" * 32, "ZB" + "0" * 31, "ZB" + "0" * 32 + "/..", "ZB?x=1", "zb" + "0" * 32,
                                  "", None, 12, ["ZB" + "0" * 32], "ZBXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"])
def test_a_sid_of_another_kind_or_no_sid_reads_as_none(sent):
    assert readers.sid({"build_sid": sent}, "build_sid", "ZB") is None


def test_dates_are_aware_utc_or_none():
    utc = datetime.timezone.utc
    assert readers.date({"d": "2018-11-10T20:00:00Z"}, "d") == datetime.datetime(2018, 11, 10, 20, tzinfo=utc)
    assert readers.date({"d": "2018-11-10T21:00:00+01:00"}, "d") == datetime.datetime(2018, 11, 10, 20, tzinfo=utc)
    assert [readers.date({"d": sent}, "d") for sent in ("yesterday", "", 1541880000, None)] == [None] * 4


def test_flags():
    assert [readers.flag({"f": sent}, "f") for sent in (True, False, "true", "FALSE", " True ")] == [
        True, False, True, False, True]
    assert [readers.flag({"f": sent}, "f") for sent in (1, 0, "yes", None, "")] == [None] * 5


def test_unknown_fields_are_ignored_and_nothing_is_changed():
    record = {"sid": BUILD, "status": "COMPLETED", "brand_new_field": {"nested": [1, 2]}, "function_versions": [
        {"visibility": "PUBLIC"}, None]}
    kept = copy.deepcopy(record)
    assert readers.token(record, "status") == "completed" and readers.sid(record, "sid", "ZB") == BUILD
    assert readers.records(record, "function_versions") == [{"visibility": "PUBLIC"}]
    assert record == kept
