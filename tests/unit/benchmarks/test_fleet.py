# SPDX-License-Identifier: GPL-3.0-or-later
"""benchmarks/fleet.py's counting (section 10): the peak of one account's requests in flight, from the simulator's
log, and the retries' reasons, from the modules' warnings."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import fleet  # noqa: E402  pylint: disable=wrong-import-position,import-error


def entry(user, arrived, answered, status=200, latency=0.02):
    # The simulator logs a request after sleeping the latency: its log time is its arrival plus the latency.
    return {"user": user, "time": arrived + latency, "answered": answered, "status": status}


def test_the_peak_counts_one_account_at_a_time_from_arrival_to_answer():
    log = [entry("AC1", 0.0, 1.0), entry("AC1", 0.5, 1.5), entry("AC1", 0.9, 0.95),
           entry("AC2", 0.1, 2.0), entry("AC2", 0.2, 2.0),
           # refused (logged at once, no latency slept): never in flight, though its arrival falls among three
           {"user": "AC1", "time": 0.93, "answered": 0.94, "status": 429}]
    assert fleet.peak_in_flight(log, 0.02) == 3
    assert fleet.peak_in_flight([e for e in log if e["user"] == "AC2"], 0.02) == 2
    # One answered as another arrives: not both in flight.
    assert fleet.peak_in_flight([entry("AC4", 0.0, 1.0), entry("AC4", 0.0, 1.0), entry("AC4", 1.0, 2.0)], 0.02) == 2
    # In flight from its arrival: the second arrived (0.015) before the first was answered (0.03), though the
    # simulator logged it (0.035) after.
    assert fleet.peak_in_flight([entry("AC3", 0.0, 0.03), entry("AC3", 0.015, 0.2)], 0.02) == 2
    assert fleet.peak_in_flight([], 0.02) == 0


def test_the_retries_reasons_as_the_client_words_them():
    assert fleet.retry_causes(u"5 requests were retried: 429 rate limit \u00d73, connection error on an asset \u00d72") == {
        "429 rate limit": 3, "connection error on an asset": 2}
    assert fleet.retry_causes(u"1 request was retried: 429 rate limit \u00d71") == {"429 rate limit": 1}
    assert fleet.retry_causes("Build ZB1 took 3 s") == {}
