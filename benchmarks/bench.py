# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: this collection side by side with what users would use instead.

Every approach runs in the same run against the same simulator, which adds a
per-request latency (default 20 ms) to stand in for a real round trip. Prints
markdown tables and whether each target holds, and writes them to
docs/performance.md. Not part of `make test`: timings on shared machines are
noisy, so nothing here is an assertion.
"""

import argparse
import copy
import os
import statistics
import sys
import time

from harness import (
    ACCOUNT, COLLECTIONS, ROOT, SERVICES, TOKEN, URI_BUDGET, OverBudget, finish, median_runs, module_peak_rss,
    playbook, requests_and_connections, run_playbook, seed_file,
)
from report import render

sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, COLLECTIONS)  # the installed collection, for the in-process runs

from twilio_sim.control import Control as Sim  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import start, stop  # noqa: E402  pylint: disable=wrong-import-position


# -- 1. listing 10,000 builds -----------------------------------------------
def in_process_module(sim, service, runs):
    from ansible_collections.twilio_community.serverless.plugins.module_utils._client import TwilioClient
    from ansible_collections.twilio_community.serverless.plugins.module_utils._options import (
        connection_from_params,
    )
    from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as mod

    class Module:
        params = dict(service=service, sids=None, status=None, runtime=None, created_after=None,
                      created_before=None, limit=None, page_size=None, fields=None)

    def once():
        client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN,
                                                      "base_url": sim.url}))
        started = time.perf_counter()
        result = mod.run(Module(), client, copy.deepcopy(mod.BLANK_RESULT))
        elapsed = time.perf_counter() - started
        client.close()
        assert len(result["builds"]) == 10000
        return elapsed
    return median_runs(once, runs)[0]


def in_process_twilio(sim, service, runs):
    from twilio.rest import Client

    def once():
        client = Client(ACCOUNT, TOKEN)
        client.serverless.base_url = sim.url
        started = time.perf_counter()
        builds = client.serverless.v1.services(service).builds.list(page_size=1000)
        elapsed = time.perf_counter() - started
        assert len(builds) == 10000
        return elapsed
    return median_runs(once, runs)[0]


def section_listing(sim, runs, rows, verdicts):
    service = SERVICES["10k"][0]
    first_url = "%s/v1/Services/%s/Builds" % (sim.url, service)
    walls = []
    for dummy in range(runs):
        sim.clear()
        wall, result = run_playbook(sim, "list_module.yml", {"module_args": {"service": service}})
        walls.append(wall)
        assert result["count"] == 10000
    module_req, module_conn = requests_and_connections(sim.log())
    module_wall = statistics.median(walls)

    module_inproc = in_process_module(sim, service, runs)
    sim.clear()
    twilio_inproc = in_process_twilio(sim, service, runs)
    # The log holds every run; one run's requests are the last of them.
    per_run = len(sim.log()) // runs
    twilio_req, twilio_conn = requests_and_connections(sim.log()[-per_run:])

    # The uri loop slows with every page (Ansible copies the growing list on
    # each task): a full run took 563 s here. It gets a budget, and past it the
    # table shows a lower bound.
    sim.clear()
    try:
        uri_wall, result = finish(*playbook(sim, "list_uri.yml", {"first_url": first_url}), budget=URI_BUDGET)
        assert result["count"] == 10000
        uri_label = "`uri` paging loop in a playbook (PageSize 50)"
        bound = ""
    except OverBudget as over:
        uri_wall = over.wall
        uri_label = "`uri` paging loop in a playbook (PageSize 50): stopped at the %d s budget" % URI_BUDGET
        bound = "at least "
    uri_req, uri_conn = requests_and_connections(sim.log())
    if bound:
        uri_label += " after %d of 200 pages" % uri_req

    best = min(module_wall, uri_wall)
    rows.append(("1. List 10,000 builds", [
        ("serverless_build_info via ansible-playbook (whole run)", module_req, module_conn, module_wall,
         module_wall / best),
        ("serverless_build_info, in-module time (run(), in-process)", module_req, module_conn, module_inproc, None),
        ("twilio library `list(page_size=1000)`, in-process", twilio_req, twilio_conn, twilio_inproc, None),
        (uri_label, uri_req, uri_conn, uri_wall, uri_wall / best),
    ]))
    verdicts.append(("Listing 10,000 builds: exactly 10 requests over 1 connection",
                     module_req == 10 and module_conn == 1,
                     "%d requests, %d connection(s)" % (module_req, module_conn)))
    verdicts.append(("In-module time within 1.15x of the twilio library in-process",
                     module_inproc <= 1.15 * twilio_inproc,
                     "%.3f s vs %.3f s (%.2fx)" % (module_inproc, twilio_inproc, module_inproc / twilio_inproc)))
    verdicts.append(("Whole playbook at least 20x faster than the uri loop", uri_wall >= 20 * module_wall,
                     "%.2f s vs %s%.1f s (%s%.1fx)" % (module_wall, bound, uri_wall, bound, uri_wall / module_wall)))


# -- 2. newest completed, 5 newest -----------------------------------------
def section_pick(sim, runs, rows, verdicts):
    from twilio.rest import Client
    service = SERVICES["10k"][0]
    out = []
    for label, module_args, uri_extra, lib in (
        ("Newest completed", {"service": service, "status": ["completed"], "limit": 1},
         {"statuses": ["completed"], "limit": 1, "query": "?PageSize=50"}, "completed"),
        ("5 newest", {"service": service, "limit": 5},
         {"statuses": ["building", "completed", "failed"], "limit": 5, "query": "?PageSize=5"}, "five"),
    ):
        walls = []
        for dummy in range(runs):
            sim.clear()
            wall, result = run_playbook(sim, "list_module.yml", {"module_args": module_args})
            walls.append(wall)
        module_req, module_conn = requests_and_connections(sim.log())
        count = result["count"]
        walls_uri = []
        for dummy in range(runs):
            sim.clear()
            extra = dict(uri_extra, first_url="%s/v1/Services/%s/Builds%s" % (sim.url, service, uri_extra["query"]))
            walls_uri.append(run_playbook(sim, "pick_uri.yml", extra)[0])
        uri_req, uri_conn = requests_and_connections(sim.log())
        sim.clear()
        client = Client(ACCOUNT, TOKEN)
        client.serverless.base_url = sim.url
        started = time.perf_counter()
        builds = client.serverless.v1.services(service).builds
        if lib == "completed":
            found = next(b for b in builds.stream(page_size=50) if b.status == "completed")
            assert found
        else:
            assert len(builds.list(limit=5)) == 5
        lib_time = time.perf_counter() - started
        lib_req, lib_conn = requests_and_connections(sim.log())
        out.append(("%s: serverless_build_info via ansible-playbook" % label, module_req, module_conn,
                    statistics.median(walls), None))
        out.append(("%s: `uri` GET + filter via ansible-playbook" % label, uri_req, uri_conn,
                    statistics.median(walls_uri), None))
        out.append(("%s: twilio library, in-process" % label, lib_req, lib_conn, lib_time, None))
        verdicts.append(("%s: 1 request when the newest build matches" % label, module_req == 1 and count >= 1,
                         "%d request(s), %d build(s)" % (module_req, count)))
    rows.append(("2. Newest completed build, and the 5 newest", out))


# -- 3. waiting for one build -----------------------------------------------
WAIT_APPROACHES = (
    ("serverless_build_wait, defaults (1 s doubling to 5 s)", "wait_module.yml", {}),
    ("serverless_build_wait, max_poll_interval 2", "wait_module.yml", {"max_poll_interval": 2}),
    ("serverless_build_wait, fixed 1 s polls (the toolkit's schedule)", "wait_module.yml",
     {"poll_interval": 1, "max_poll_interval": 1}),
    ("`uri` + `until`, delay 1", "wait_uri.yml", None),
)


def section_wait_one(sim, duration, rows, verdicts):
    service = SERVICES["wait"][0]
    sids = sim.builds(service, [{"ready_in": duration}] * len(WAIT_APPROACHES))
    created = time.time()
    procs = []
    for (label, book, args), sid in zip(WAIT_APPROACHES, sids):
        if args is None:
            extra = {"status_url": "%s/v1/Services/%s/Builds/%s/Status" % (sim.url, service, sid)}
        else:
            extra = {"module_args": dict(args, service=service, sids=[sid], timeout=duration + 60)}
        procs.append((label, sid, playbook(sim, book, extra)))
    out = []
    log = None
    for label, sid, proc in procs:
        wall, result = finish(*proc)
        log = sim.log()
        polls = sum(1 for e in log if e["route"] == "build_status" and sid in e["path"])
        detection = result["end"] - (created + duration)
        out.append((label, polls, detection, wall))
        if label.startswith("serverless_build_wait, defaults"):
            if duration >= 60:
                verdicts.append(("60 s build: at most 15 Status requests", polls <= 15, "%d requests" % polls))
                verdicts.append(("60 s build: detection delay at most 5 s", detection <= 5,
                                 "%.2f s" % detection))
            else:
                verdicts.append(("10 s build: detection delay at most 2 s", detection <= 2, "%.2f s" % detection))
    rows.append(("3. Wait for one build finishing after %d s" % duration, out))


# -- 4. waiting for 50 builds -----------------------------------------------
def section_wait_many(sim, rows, verdicts):
    service = SERVICES["wait"][0]
    durations = [5 + 25.0 * i / 49 for i in range(50)]
    one_task = sim.builds(service, [{"ready_in": d} for d in durations])
    looped = sim.builds(service, [{"ready_in": d} for d in durations])
    created = time.time()
    sim.clear()
    proc_a = playbook(sim, "wait_module.yml", {"module_args": {"service": service, "sids": one_task}})
    proc_b = playbook(sim, "wait_module_loop.yml", {"module_args": {"service": service, "sids": looped}})
    wall_a, result_a = finish(*proc_a)
    wall_b, result_b = finish(*proc_b)
    log = sim.log()
    req_a = sum(1 for e in log if any(s in e["path"] for s in one_task))
    req_b = sum(1 for e in log if any(s in e["path"] for s in looped))
    slowest = max(durations)
    over_a = result_a["end"] - created - slowest
    over_b = result_b["end"] - created - slowest
    rows.append(("4. Wait for 50 builds of 5 to 30 s", [
        ("serverless_build_wait, one task with `sids`", req_a, over_a, wall_a),
        ("serverless_build_wait in a loop, one build per task", req_b, over_b, wall_b),
    ]))
    verdicts.append(("50 builds in one task: done within 3 s of the slowest build", over_a <= 3,
                     "%.2f s after the slowest (30 s) finished" % over_a))


# -- 5. module overhead ------------------------------------------------------
def section_overhead(sim, runs, rows, verdicts):
    service = SERVICES["10k"][0]
    one_info = {"module_args": {"service": service, "limit": 1}}
    module = median_runs(lambda: run_playbook(sim, "one_info.yml", one_info)[0], runs)[0]
    uri = median_runs(lambda: run_playbook(sim, "one_uri.yml", {
        "first_url": "%s/v1/Services/%s/Builds?PageSize=1" % (sim.url, service)})[0], runs)[0]
    rows.append(("5. Module overhead: one build, one task, via ansible-playbook", [
        ("serverless_build_info, limit 1", module, module / uri),
        ("ansible.builtin.uri, one GET", uri, 1.0),
    ]))
    verdicts.append(("(no target) module vs uri, one request each", True, "%.2fx the wall time of uri" % (module / uri)))


# -- 6. memory ----------------------------------------------------------------
def section_memory(sim, rows, verdicts):
    limited = module_peak_rss(sim, {"service": SERVICES["100k"][0], "limit": 10})
    thousand = module_peak_rss(sim, {"service": SERVICES["1k"][0]})
    sim.clear()
    started = time.time()
    everything = module_peak_rss(sim, {"service": SERVICES["100k"][0]})
    took = time.time() - started
    pages = len(sim.log())
    rows.append(("6. Peak memory of the module process (serverless_build_info)", [
        ("100,000 builds, limit 10", limited),
        ("1,000 builds, no limit", thousand),
        ("100,000 builds, no limit (%d requests, %.1f s)" % (pages, took), everything),
    ]))
    verdicts.append(("Memory with limit 10 over 100,000 builds at most 1,000 builds' +10%",
                     limited <= thousand * 1.10, "%.1f MiB vs %.1f MiB" % (limited, thousand)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.md"))
    args = parser.parse_args()
    began = time.time()
    proc, url = start(seed_file(), latency=args.latency)
    sim = Sim(url)
    rows, verdicts = [], []
    try:
        for step in (lambda: section_listing(sim, args.runs, rows, verdicts),
                     lambda: section_pick(sim, args.runs, rows, verdicts),
                     lambda: section_wait_one(sim, 10, rows, verdicts),
                     lambda: section_wait_one(sim, 60, rows, verdicts),
                     lambda: section_wait_many(sim, rows, verdicts),
                     lambda: section_overhead(sim, args.runs, rows, verdicts),
                     lambda: section_memory(sim, rows, verdicts)):
            step()
            print("... %s done (%.0f s)" % (rows[-1][0], time.time() - began), flush=True)
    finally:
        stop(proc)
    report = render(rows, verdicts, args.latency, args.runs, time.time() - began)
    print(report)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(report)
    print("written to %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
