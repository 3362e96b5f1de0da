# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's Logs listing as Twilio documents it (resources/logs.py), checked on the route itself: newest
first by the second but out of order within one, levels in upper case, paged, at most 10,000 results a query,
30 days kept, the last 3 KB of a message. (Its 5 listings a second: tests/unit/plugins/module_utils/_api/
test_logs.py, which also holds the client to it.)"""

import time

import requests

from ..conftest import ACCOUNT, TOKEN

RELEASE = "ZS77777777777777777777777777777777"


def setup(sim, **body):
    sim.call("POST", "/__sim/logs", {"rate_limit": None})
    made = sim.call("POST", "/__sim/logs", dict(body, service=RELEASE, environment="stage-environment"))
    return made["sids"], "%s/v1/Services/%s/Environments/%s/Logs" % (sim.url, RELEASE, made["environment_sid"])


def walk(url, params):
    """Every page of one query: (the logs, the number of pages)."""
    logs, pages, params = [], 0, dict(params)
    while url:
        page = requests.get(url, params=params, auth=(ACCOUNT, TOKEN), timeout=30).json()
        logs.extend(page["logs"])
        pages, url, params = pages + 1, page["meta"]["next_page_url"], {}
    return logs, pages


def test_newest_first_out_of_order_within_a_second_upper_case_and_paged(fresh_sim):
    made, url = setup(fresh_sim, count=300, oldest=30, levels=["info", "warn", "error"])
    logs, pages = walk(url, {"PageSize": 50})
    assert pages == 6 and sorted(log["sid"] for log in logs) == sorted(made)
    dates = [log["date_created"] for log in logs]
    assert dates == sorted(dates, reverse=True)
    created = dict((sid, n) for n, sid in enumerate(made))
    order = [created[log["sid"]] for log in logs]
    assert sum(1 for a, b in zip(order, order[1:]) if a < b) > 20  # within a second, not newest first
    assert {log["level"] for log in logs} == {"INFO", "WARN", "ERROR"}


def test_one_query_gives_at_most_10000(fresh_sim):
    made, url = setup(fresh_sim, count=10050, oldest=2, newest=1)
    logs, pages = walk(url, {"PageSize": 1000})
    assert len(logs) == len({log["sid"] for log in logs}) == 10000 and pages == 10
    assert {log["sid"] for log in logs} < set(made)


def test_thirty_days_kept_and_the_last_3_kb_of_a_message(fresh_sim):
    old, url = setup(fresh_sim, count=1, oldest=31 * 86400, newest=31 * 86400)
    recent, dummy = setup(fresh_sim, count=1, oldest=29 * 86400, newest=29 * 86400)
    long, dummy = setup(fresh_sim, count=1, oldest=0, message="x" * 4000 + "é" + "end")
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 40 * 86400))
    logs, dummy = walk(url, {"StartDate": since})
    assert [log["sid"] for log in logs] == long + recent and old[0] not in [log["sid"] for log in logs]
    message = logs[0]["message"]
    assert len(message.encode("utf-8")) == 3072 and message.endswith("xé" + "end")
