# SPDX-License-Identifier: GPL-3.0-or-later
"""How values are quoted in messages."""

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import (
    cut,
    excerpt,
    shown,
    shown_path,
)


def test_cut_keeps_short_text_and_marks_a_cut():
    assert cut("abc", 3) == "abc" and cut("abcd", 3) == "abc..."


def test_excerpt_puts_a_server_page_on_one_line():
    assert excerpt("  <h1>502</h1>\n\n  Bad\tGateway ") == "<h1>502</h1> Bad Gateway"
    assert excerpt("x" * 120) == "x" * 100 + "..." and excerpt(None) == ""


def test_shown_quotes_and_cuts():
    assert shown("a b") == "'a b'" and shown(5) == "'5'" and shown("y" * 50) == repr("y" * 40 + "...")


def test_shown_path_keeps_the_file_name_of_a_long_path():
    # A deep temporary folder must not cut "package.json" off the message that names it.
    long_path = "/tmp/" + "d" * 100 + "/package.json"
    assert shown_path(long_path) == repr("..." + long_path[-77:])
    assert shown_path(long_path).endswith("/package.json'") and shown_path("/a/b") == "'/a/b'"
