# SPDX-License-Identifier: GPL-3.0-or-later
"""`make bench`: this collection side by side with what users would use instead.

Every approach runs in the same run against the same simulator, which adds a
per-request latency (default 20 ms) to stand in for a real round trip. Prints
markdown tables and whether each target holds, and writes them to
docs/performance.md. Not part of `make test`: timings on shared machines are
noisy, so nothing here is an assertion. Every row is a named record, every
verdict a comparison of a measured value with a limit, and every explanation
of a missed target is computed from the run it explains.
"""

import argparse
import copy
import dataclasses
import datetime
import json
import math
import os
import random
import statistics
import sys
import time
from typing import Optional

from harness import (
    ACCOUNT, COLLECTIONS, ROOT, SERVICES, TOKEN, URI_SAFETY_CAP, WORK, OverBudget, finish, median_runs,
    module_peak_rss, playbook, requests_and_connections, run_playbook, seed_file, work_file,
)
from fleet import section_fleet
from report import Section, Target, column, render, splice

sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, COLLECTIONS)  # the installed collection, for the in-process runs

from twilio_sim.control import Control as Sim  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import start, stop  # noqa: E402  pylint: disable=wrong-import-position


def spread(values):
    return "%.2f-%.2f" % (min(values), max(values))


# -- rows ---------------------------------------------------------------------
@dataclasses.dataclass
class ListingRow:
    approach: str = column("approach")
    requests: Optional[int] = column("requests")
    connections: Optional[int] = column("TCP connections")
    wall: float = column("wall s (median)")
    spread: str = column("spread s (min-max)", "")
    ratio: Optional[float] = column("ratio to the floor", None)


@dataclasses.dataclass
class CostRow:
    step: str = column("step (in-process, 10,000 builds, all fields)")
    seconds: float = column("s (median)")


@dataclasses.dataclass
class PickRow:
    approach: str = column("approach")
    requests: int = column("requests")
    connections: int = column("TCP connections")
    wall: float = column("wall s (median)")


@dataclasses.dataclass
class WaitRow:
    approach: str = column("approach")
    requests: float = column("requests (median)")
    delay: float = column("detection delay s (median)")
    delays: str = column("delay spread s (min-max)")
    predicted: str = column("predicted s (median)")


@dataclasses.dataclass
class SweepRow:
    max_poll_interval: str = column("max_poll_interval s")
    window: str = column("dense window")
    duration: int = column("D s")
    requests: float = column("requests (median)")
    ratio: float = column("ratio to fixed 1 s polls")
    delay: float = column("on-time detection delay s (median)")
    early: float = column("failure before the window: detection delay s (median)")
    early_worst: float = column("the same, worst")


@dataclasses.dataclass
class ColdRow:
    approach: str = column("approach")
    builds: str = column("builds")
    status: float = column("Status requests (median)")
    status_worst: int = column("Status requests (most)")
    ratio: float = column("ratio to fixed 1 s polls (each build, most)")
    requests: float = column("all requests (median)")
    delay: float = column("detection delay s (median)")
    delay_worst: float = column("detection delay s (worst)")
    gap: float = column("longest gap s")


@dataclasses.dataclass
class NoHistoryRow:
    approach: str = column("approach")
    requests: int = column("requests")
    status_requests: int = column("Status requests")
    delay: float = column("detection delay s (first Status request after the finish)")


@dataclasses.dataclass
class ManyRow:
    approach: str = column("approach")
    requests: int = column("requests")
    after_slowest: float = column("last request s after the slowest build finished")
    latest_detection: Optional[float] = column("latest detection of a build s")
    failure_detection: Optional[float] = column("latest detection of a failure s")


@dataclasses.dataclass
class OverheadRow:
    approach: str = column("approach")
    wall: float = column("wall s (median)")
    ratio: float = column("ratio to uri")


@dataclasses.dataclass
class MemoryRow:
    case: str = column("case")
    rss: float = column("peak RSS MiB")


# -- 1. listing 10,000 builds -----------------------------------------------
def module_result_in_process(sim, service, fields=None):
    """serverless_build_info's run() as the module process does it; returns (seconds, result)."""
    from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
    from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
    from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as mod

    class Module:
        params = dict(service=service, sids=None, status=None, runtime=None, created_after=None,
                      created_before=None, limit=None, page_size=None, fields=fields)

    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url}))
    started = time.perf_counter()
    result = mod.run(Module(), client, copy.deepcopy(mod.BLANK_RESULT))
    elapsed = time.perf_counter() - started
    client.close()
    assert len(result["builds"]) == 10000
    return elapsed, result


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
    return median_runs(once, runs)


def timed(fn, runs):
    """Median and values of ``runs`` timings of ``fn()``."""
    def once():
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started
    return median_runs(once, runs)


def timed_playbook(sim, name, extra, runs, check=None):
    """Median and values of ``runs`` playbook runs; the request log of the last run."""
    walls = []
    for dummy in range(runs):
        sim.clear()
        wall, result = run_playbook(sim, name, extra)
        if check:
            check(result)
        walls.append(wall)
    return statistics.median(walls), walls, sim.log()


def above_floor_why(wall, floor, listing, library, scrub, encode):
    """Where the time above the floor went, from this run's in-process measurements of the module's steps."""
    extra = wall - floor
    rest = extra - (listing - library) - scrub - encode
    return ("%.2f s above the floor. Measured in-process in this run: the module's listing took %.2f s where the "
            "floor's twilio library took %.2f s; the no_log scrubbing of the result (remove_values) %.2f s; its JSON "
            "encoding %.2f s. That leaves %.2f s outside those steps: the module's start-up and transfer, and "
            "ansible-core's handling of the result on the controller, which the floor's debug task does not pay."
            % (extra, listing, library, scrub, encode, rest))


def section_listing(sim, runs, sections, targets):
    from ansible.module_utils.common.parameters import remove_values
    service = SERVICES["10k"][0]
    first_url = "%s/v1/Services/%s/Builds?PageSize=1000" % (sim.url, service)

    def all_there(result):
        assert result["count"] == 10000

    debug_wall, debug_walls, dummy = timed_playbook(sim, "floor.yml", {}, runs)
    sim.clear()
    twilio_inproc, twilio_walls = in_process_twilio(sim, service, runs)
    per_run = len(sim.log()) // runs
    twilio_req, twilio_conn = requests_and_connections(sim.log()[-per_run:])
    floor = debug_wall + twilio_inproc
    floor_walls = [a + b for a, b in zip(sorted(debug_walls), sorted(twilio_walls))]

    # Credentials from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: the harness sets them) ...
    module_wall, module_walls, log = timed_playbook(sim, "list_module.yml", {"module_args": {"service": service}},
                                                    runs, all_there)
    module_req, module_conn = requests_and_connections(log)
    # ... and as the module's no_log options.
    options_wall, options_walls, dummy = timed_playbook(sim, "list_module.yml", {"module_args": {
        "service": service, "account_sid": ACCOUNT, "auth_token": TOKEN}}, runs, all_there)
    three = {"service": service, "fields": ["sid", "status", "date_created"]}
    three_wall, three_walls, log = timed_playbook(sim, "list_module.yml", {"module_args": three}, runs, all_there)
    three_req, three_conn = requests_and_connections(log)
    lookup_wall, lookup_walls, log = timed_playbook(sim, "list_lookup.yml", {"service": service}, runs, all_there)
    lookup_req, lookup_conn = requests_and_connections(log)
    count_wall, count_walls, dummy = timed_playbook(sim, "count_lookup.yml", {"service": service}, runs, all_there)

    # The module process's own steps, in-process: the listing (run()), the no_log scrubbing exit_json does over
    # the result (remove_values, with the token as the no_log value, and with none), and the JSON encoding.
    run_times, result = [], None
    for dummy in range(runs):
        seconds, result = module_result_in_process(sim, service)
        run_times.append(seconds)
    module_inproc = statistics.median(run_times)
    scrub_token = timed(lambda: remove_values(result, {TOKEN}), runs)[0]
    scrub_none = timed(lambda: remove_values(result, set()), runs)[0]
    encode = timed(lambda: json.dumps(result), runs)[0]
    three_run, three_result = module_result_in_process(sim, service, three["fields"])
    three_scrub = timed(lambda: remove_values(three_result, {TOKEN}), runs)[0]
    three_encode = timed(lambda: json.dumps(three_result), runs)[0]

    sim.clear()
    try:
        uri_wall, result = finish(*playbook(sim, "list_uri.yml", {"first_url": first_url}), budget=URI_SAFETY_CAP)
        assert result["count"] == 10000
        uri_label = "`uri` paging loop in a playbook (PageSize 1000), one run"
        bound = ""
    except OverBudget as over:
        uri_wall = over.wall
        uri_label = "`uri` paging loop in a playbook (PageSize 1000), one run: stopped by the %d s safety cap" % (
            URI_SAFETY_CAP)
        bound = "at least "
    uri_req, uri_conn = requests_and_connections(sim.log())

    sections.append(Section("1. List 10,000 builds", [
        ListingRow("floor: ansible-playbook with one debug task (%s s) + twilio library listing in-process"
                   % spread(debug_walls), twilio_req, twilio_conn, floor, spread(floor_walls), 1.0),
        ListingRow("serverless_build_info, all fields, via ansible-playbook, credentials from environment variables",
                   module_req, module_conn, module_wall, spread(module_walls), module_wall / floor),
        ListingRow("serverless_build_info, all fields, via ansible-playbook, credentials as module options",
                   module_req, module_conn, options_wall, spread(options_walls), options_wall / floor),
        ListingRow("serverless_build_info, `fields: [sid, status, date_created]`, via ansible-playbook", three_req,
                   three_conn, three_wall, spread(three_walls), three_wall / floor),
        ListingRow("serverless_builds lookup in `set_fact`, via ansible-playbook (runs on the controller)",
                   lookup_req, lookup_conn, lookup_wall, spread(lookup_walls), lookup_wall / floor),
        ListingRow("serverless_builds lookup, only counted (`query(...) | length` in one task, nothing kept)",
                   lookup_req, lookup_conn, count_wall, spread(count_walls), count_wall / floor),
        ListingRow("serverless_build_info run() in-process (the module's own work)", module_req, module_conn,
                   module_inproc, spread(run_times)),
        ListingRow("twilio library `list(page_size=1000)`, in-process", twilio_req, twilio_conn, twilio_inproc,
                   spread(twilio_walls)),
        ListingRow(uri_label, uri_req, uri_conn, uri_wall, "", uri_wall / floor),
    ], "The `uri` loop follows `meta.next_page_url` by including its page task again, at PageSize 1000 as the "
       "module pages; it runs once, to the end, and its ratio is what it is."))
    sections.append(Section("1b. Where the module process's time goes (in-process, this run)", [
        CostRow("serverless_build_info run(): the listing", module_inproc),
        CostRow("remove_values over the result, the auth token as no_log value (what exit_json does)", scrub_token),
        CostRow("remove_values over the result, no no_log value at all", scrub_none),
        CostRow("json.dumps of the result", encode),
        CostRow("the same three steps with `fields: [sid, status, date_created]`", three_run + three_scrub
                + three_encode),
    ], "ansible-core adds the value of a `no_log` option to the values it scrubs whether it came from the task "
       "or from the option's environment fallback, and walks the whole result either way: compare the two "
       "remove_values rows, and the two all-fields playbook rows above."))

    targets.append(Target("Listing 10,000 builds: at most 10 requests", module_req, 10, "%d requests" % module_req))
    targets.append(Target("Listing 10,000 builds: over 1 connection", module_conn, 1, "%d connection(s)" % module_conn))
    targets.append(Target(
        "All fields at most 1.8x the floor", module_wall / floor, 1.8,
        "%.2f s vs floor %.2f s (%.2fx)" % (module_wall, floor, module_wall / floor),
        why=above_floor_why(module_wall, floor, module_inproc, twilio_inproc, scrub_token, encode)))
    targets.append(Target(
        "Three fields at most 1.2x the floor", three_wall / floor, 1.2,
        "%.2f s vs floor %.2f s (%.2fx)" % (three_wall, floor, three_wall / floor),
        why=above_floor_why(three_wall, floor, three_run, twilio_inproc, three_scrub, three_encode)))


# -- 2. newest completed, 5 newest -----------------------------------------
def section_pick(sim, runs, sections, targets):
    from twilio.rest import Client
    service = SERVICES["10k"][0]
    rows = []
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
        rows.append(PickRow("%s: serverless_build_info via ansible-playbook" % label, module_req, module_conn,
                            statistics.median(walls)))
        rows.append(PickRow("%s: `uri` GET + filter via ansible-playbook" % label, uri_req, uri_conn,
                            statistics.median(walls_uri)))
        rows.append(PickRow("%s: twilio library, in-process" % label, lib_req, lib_conn, lib_time))
        wanted = 1 if lib == "completed" else 5
        targets.append(Target("%s: 1 request when the newest build matches" % label, module_req, 1,
                              "%d request(s), %d build(s)" % (module_req, count)))
        targets.append(Target("%s: %d build(s) found" % (label, wanted), count, wanted, "%d build(s)" % count,
                              at_least=True))
    sections.append(Section("2. Newest completed build, and the 5 newest", rows))


# -- 3. waiting for one build ---------------------------------------------------
DURATIONS = (10, 30, 60, 120)
HISTORY = 8
SPREAD = 0.15
EARLY = 0.10  # the early failure, as a share of D
# (key, label, playbook, module options or None for the uri loop, share of D at which the build fails or None)
WAIT_APPROACHES = (
    ("defaults", "serverless_build_wait, defaults (prediction on)", "wait_module.yml", {}, None),
    ("no-prediction", "serverless_build_wait, `prediction: false`", "wait_module.yml", {"prediction": False}, None),
    ("fixed", "serverless_build_wait, fixed 1 s polls (the toolkit's schedule)", "wait_module.yml",
     {"poll_interval": 1, "max_poll_interval": 1, "prediction": False}, None),
    ("uri", "`uri` + `until`, delay 1", "wait_uri.yml", None, None),
    ("early", "serverless_build_wait, defaults, the build fails at 10% of D", "wait_module.yml",
     {"fail_on_failed": False}, EARLY),
)
# Section 3b: services without a finished build; the defaults fall back to the plain schedule.
NO_HISTORY = (("defaults", {}), ("no-prediction", {"prediction": False}))
NO_HISTORY_DURATIONS = (10, 60)
# At most this many playbooks at once, of which at most URI_SLOTS `uri` loops: each of those starts a module
# process every second.
SLOTS = 10
URI_SLOTS = 3


@dataclasses.dataclass
class WaitJob:
    duration: int
    key: str
    book: str
    args: Optional[dict]
    fail_share: Optional[float]
    history: bool = True
    service: str = ""
    sid: str = ""
    ready_at: float = 0.0
    proc: tuple = ()
    result: dict = dataclasses.field(default_factory=dict)


def default_max_poll_interval():
    from ansible_collections.twilio_community.serverless.plugins.module_utils._wait.options import DEFAULT_MAX_POLL_INTERVAL
    return DEFAULT_MAX_POLL_INTERVAL


def first_after(log, sid, at, routes=("build_status",)):
    """The time of the first request for ``sid`` (of ``routes``) at or after ``at``; NaN if none."""
    after = [e["time"] for e in log if e["route"] in routes and sid in e["path"] and e["time"] >= at]
    return min(after) if after else float("nan")


def started(sim, service, limit):
    """Wait until a playbook awaiting a build of ``service`` sent its first request (or ``limit`` s)."""
    give_up = time.time() + limit
    while time.time() < give_up:
        if any(service in e["path"] for e in sim.log()):
            return
        time.sleep(0.3)


def run_pool(sim, jobs, rng):
    """Run the wait playbooks, longest D first, at most SLOTS at once (URI_SLOTS `uri` loops); each starts once
    the one before sent its first request. Returns how many ran at once at most, and the load averages seen."""
    services = iter(sid for name, (sid, dummy) in sorted(SERVICES.items()) if name.startswith("wait-"))
    no_history = iter(sid for name, (sid, dummy) in sorted(SERVICES.items()) if name.startswith("no-history-"))
    pending = sorted(jobs, key=lambda j: -j.duration)
    running, most, loads = [], 0, []
    while pending or running:
        for job in list(running):
            if job.proc[0].poll() is not None:
                dummy, job.result = finish(*job.proc)
                running.remove(job)
        ready = [j for j in pending if j.args is not None
                 or sum(1 for r in running if r.args is None) < URI_SLOTS]
        if ready and len(running) < SLOTS:
            job = ready[0]
            pending.remove(job)
            duration = job.duration
            if job.history:
                job.service = next(services)
                sim.builds(job.service, [{"age": 100000 - i * 1000,
                                          "ready_in": duration * rng.uniform(1 - SPREAD, 1 + SPREAD)}
                                         for i in range(HISTORY)])
                spec = {"ready_in": duration * rng.uniform(1 - SPREAD, 1 + SPREAD)}
            else:
                job.service = next(no_history)
                spec = {"ready_in": duration}
            if job.fail_share is not None:
                spec = {"ready_in": duration * job.fail_share, "final_status": "failed"}
            # The simulator's own end time: a poll between it and a time taken here would be missed.
            created = sim.create_builds(job.service, [spec])
            job.sid, job.ready_at = created["sids"][0], created["ready_at"][0]
            if job.args is None:
                extra = {"status_url": "%s/v1/Services/%s/Builds/%s/Status" % (sim.url, job.service, job.sid)}
            else:
                extra = {"module_args": dict(job.args, service=job.service, sids=[job.sid],
                                             timeout=duration * 2 + 60)}
            job.proc = playbook(sim, job.book, extra)
            running.append(job)
            most = max(most, len(running))
            started(sim, job.service, 10.0)
            loads.append(os.getloadavg()[0])
        else:
            time.sleep(0.3)
    return most, loads


def dense_and_sparse(times):
    """Of a job's Status polls: (gaps of at most 1.5 s, longer gaps)."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    return sum(1 for g in gaps if g <= 1.5), sum(1 for g in gaps if g > 1.5)


def section_wait(sim, wait_runs, sections, targets, rng, durations=DURATIONS):
    """Section 3 (with history) and 3b (without), every playbook in one bounded pool."""
    jobs = [WaitJob(duration, key, book, args, share)
            for duration in durations for dummy in range(wait_runs)
            for key, dummy2, book, args, share in WAIT_APPROACHES]
    jobs += [WaitJob(duration, key, "wait_module.yml", args, None, history=False)
             for duration in NO_HISTORY_DURATIONS for key, args in NO_HISTORY]
    sim.clear()
    began = time.time()
    most, loads = run_pool(sim, jobs, rng)
    took = time.time() - began
    log = sim.log()
    maximum = default_max_poll_interval()
    note = ("All %d playbooks of sections 3 and 3b ran in one pool: at most %d at once (at most %d `uri` loops), "
            "each started once the one before had sent its first request; %.0f s in all; the 1-minute load "
            "average at each start: median %.1f, highest %.1f, on %d cores." % (
                len(jobs), most, URI_SLOTS, took, statistics.median(loads), max(loads), os.cpu_count()))

    def requests_of(job):
        return sum(1 for e in log if job.service in e["path"])

    def status_times(job):
        return sorted(e["time"] for e in log if e["route"] == "build_status" and job.sid in e["path"])

    def delay_of(job):
        return first_after(log, job.sid, job.ready_at) - job.ready_at

    for duration in durations:
        rows = []
        by_key = {}
        for key, label, dummy, dummy2, dummy3 in WAIT_APPROACHES:
            mine = [j for j in jobs if j.history and j.duration == duration and j.key == key]
            by_key[key] = mine
            delays = [delay_of(j) for j in mine]
            predicted = [j.result.get("predicted") for j in mine if j.result.get("predicted") is not None]
            rows.append(WaitRow(label, statistics.median(requests_of(j) for j in mine), statistics.median(delays),
                                spread(delays), "%.1f" % statistics.median(predicted) if predicted else ""))
        sections.append(Section("3. Wait for a build taking about D = %d s, history D +/-15%%" % duration, rows,
                                note if duration == durations[0] else ""))
        defaults = by_key["defaults"]
        delay = statistics.median(delay_of(j) for j in defaults)
        # A build ends outside its dense window when its end is further from the predicted end than the window's
        # half-width (at least 2 s, else 10% of the predicted duration); the predicted end is counted from the
        # wait's first request.
        outside = 0
        for job in defaults:
            first = min(e["time"] for e in log if job.service in e["path"])
            predicted = job.result.get("predicted")
            if predicted is None:
                outside += 1
                continue
            half = max(2.0, 0.1 * duration)
            outside += abs(job.ready_at - (first + predicted)) > half
        targets.append(Target(
            "D=%d s: on-time median detection delay at most 1 s (defaults)" % duration, delay, 1.0, "%.2f s" % delay,
            why="%d of %d builds ended outside the dense window around their predicted end (or had no prediction); "
                "they were seen at the next poll of the sparse or backed-off schedule (gaps up to %g s)" % (
                    outside, len(defaults), maximum)))
        early = [delay_of(j) for j in by_key["early"]]
        targets.append(Target(
            "D=%d s: a failure at 10%% of D noticed within max_poll_interval + 1 s (%g s; defaults, worst of %d)"
            % (duration, maximum + 1, len(early)), max(early), maximum + 1,
            "%.2f s (median %.2f s)" % (max(early), statistics.median(early)),
            why="the longest gap between two Status polls of those builds was %.2f s" % max(
                max([b - a for a, b in zip(status_times(j), status_times(j)[1:])] or [0.0])
                for j in by_key["early"])))
        if duration >= 60:
            mine = statistics.median(requests_of(j) for j in defaults)
            fixed = statistics.median(requests_of(j) for j in by_key["fixed"])
            counts = [dense_and_sparse(status_times(j)) for j in defaults]
            targets.append(Target(
                "D=%d s: at most 1/3 of the fixed 1 s schedule's requests (defaults)" % duration, mine / fixed,
                1 / 3.0, "%s vs %s requests (%.2f)" % (mine, fixed, mine / fixed),
                why="the median run's Status polls came %g s apart or less %d times (the dense window) and further "
                    "apart %d times (the sparse schedule, gaps up to %g s); the history listing and the final "
                    "fetch add 2" % (1.5, statistics.median(c[0] for c in counts),
                                     statistics.median(c[1] for c in counts), maximum)))

    rows = []
    for duration in NO_HISTORY_DURATIONS:
        found = {}
        for key, dummy in NO_HISTORY:
            job = next(j for j in jobs if not j.history and j.duration == duration and j.key == key)
            found[key] = job
            rows.append(NoHistoryRow("serverless_build_wait, %s, no history, %d s build" % (
                "defaults" if key == "defaults" else "`prediction: false`", duration), requests_of(job),
                len(status_times(job)), delay_of(job)))
        # The prior (issue 24 item 10) spends more Status requests than the doubling gaps to see a build sooner:
        # what it must win is the delay; its requests against fixed 1 s polling are section 3d's targets.
        statuses = dict((key, len(status_times(job))) for key, job in found.items())
        delays = dict((key, delay_of(job)) for key, job in found.items())
        targets.append(Target(
            "No history, %d s build: the defaults see it no later than `prediction: false`" % duration,
            delays["defaults"], delays["no-prediction"],
            "%.2f s vs %.2f s (%d vs %d Status requests)" % (
                delays["defaults"], delays["no-prediction"], statuses["defaults"], statuses["no-prediction"])))
        worst = max(delay_of(job) for job in found.values())
        targets.append(Target("No history, %d s build: seen within max_poll_interval + 1 s (%g s)" % (
            duration, maximum + 1), worst, maximum + 1, "%.2f s (the later of the two)" % worst))
    sections.append(Section("3b. No history: the defaults against `prediction: false`, in this run", rows))


# -- 3c. the schedule's defaults, on a simulated clock --------------------------
SWEEP_MAX = (5.0, 6.0, 8.0, 10.0, 15.0)
SWEEP_WINDOW = (0.05, 0.10, 0.15)
SWEEP_CASES = 200


def schedule_sweep(sections, rng):
    """The module's own PredictiveSchedule and wait_all on a simulated clock (30 ms a request), for builds and
    histories spread as section 3 spreads them: how the choice of max_poll_interval and dense window trades
    requests against detection."""
    from ansible_collections.twilio_community.serverless.plugins.module_utils._wait import waiter as _waiter

    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

        def sleep(self, seconds):
            self.now += seconds

    def one(predicted, finish, maximum, window, fixed=False):
        clock = Clock()
        polls = []

        def poll(key, deadline):
            polls.append(clock.now)
            status = "done" if clock.now >= finish else "building"
            clock.now += 0.03
            return status
        if fixed:
            schedule = _waiter.Schedule(1.0, 1.0)
        else:
            schedule = _waiter.PredictiveSchedule(1.0, maximum, {"a": (0.0, predicted)}, window=window)
        _waiter.wait_all([_waiter.Waited("a")], poll, lambda s: s == "done", schedule, 10 * predicted + 60, clock,
                         clock.sleep)
        # + the history listing and the final fetch (fixed polls: the fetch only)
        return len(polls) + (1 if fixed else 2), polls[-1] - finish

    rows = []
    for duration in (60, 120):
        cases = []
        for dummy in range(SWEEP_CASES):
            history = sorted(duration * rng.uniform(1 - SPREAD, 1 + SPREAD) for dummy2 in range(HISTORY))
            predicted = (history[3] + history[4]) / 2.0
            # An on-time end, and a failure at a random moment before the dense window could start.
            cases.append((predicted, duration * rng.uniform(1 - SPREAD, 1 + SPREAD),
                          rng.uniform(0, (1 - SPREAD) * predicted)))
        fixed = statistics.median(one(p, f, 1.0, 0.0, fixed=True)[0] for p, f, dummy in cases)
        for maximum in SWEEP_MAX:
            for window in SWEEP_WINDOW:
                runs = [one(p, f, maximum, window) for p, f, dummy in cases]
                requests = statistics.median(r[0] for r in runs)
                early = [one(p, fail, maximum, window)[1] for p, dummy, fail in cases]
                rows.append(SweepRow("%g" % maximum, "+/-%d%%" % round(window * 100), duration, requests,
                                     requests / fixed, statistics.median(r[1] for r in runs),
                                     statistics.median(early), max(early)))
    sections.append(Section("3c. Choosing max_poll_interval and the dense window (simulated clock)", rows,
                            "The module's PredictiveSchedule and wait_all, driven by a simulated clock (30 ms a "
                            "request) over %d builds per D, durations and histories spread as in section 3, and as many "
                            "that fail at a random moment before the dense window; fixed 1 s polls for comparison. "
                            "Requests include the history listing and the final fetch."
                            % SWEEP_CASES))


# -- 3d. a cold service, on a simulated clock --------------------------------
# Issue 24 item 10: builds of 3 to 60 s on a Service with no completed build, every 0.1 s.
COLD_DURATIONS = tuple(round(3.0 + 0.1 * n, 1) for n in range(571))
COLD_REQUEST_SECONDS = 0.03


def cold_sweep(sections, targets):
    """The module's PriorSchedule (what wait_for_builds uses for a Service with fewer than three completed
    builds) and wait_all on a simulated clock, each request taking 30 ms as in 3c, against fixed 1 s polling,
    with the default poll_interval and max_poll_interval; the targets are item 10's."""
    from ansible_collections.twilio_community.serverless.plugins.module_utils._wait import options as _options
    from ansible_collections.twilio_community.serverless.plugins.module_utils._wait import waiter as _waiter

    poll_interval, maximum = _options.DEFAULT_POLL_INTERVAL, _options.DEFAULT_MAX_POLL_INTERVAL

    def one(ends, schedule):
        clock = [0.0]
        polls = []

        def poll(key, deadline):
            polls.append(clock[0])
            status = "done" if clock[0] >= ends else "building"
            clock[0] += COLD_REQUEST_SECONDS
            return status

        def sleep(seconds):
            clock[0] += seconds
        _waiter.wait_all([_waiter.Waited("a")], poll, lambda s: s == "done", schedule, 10 * ends + 60,
                         lambda: clock[0], sleep)
        # The longest pause between one poll's answer and the next poll (what max_poll_interval bounds).
        gap = max([b - a - COLD_REQUEST_SECONDS for a, b in zip(polls, polls[1:])] or [0.0])
        return len(polls), polls[-1] - ends, gap

    runs = {}
    for ends in COLD_DURATIONS:
        runs[ends] = (one(ends, _waiter.PriorSchedule(poll_interval, maximum)), one(ends, _waiter.Schedule(1.0, 1.0)))
    rows = []
    for low in (3.0, 30.0):
        chosen = [d for d in COLD_DURATIONS if d >= low]
        worst_ratio = max(runs[d][0][0] / runs[d][1][0] for d in chosen)
        # + the listing that finds the build and shows there is no history, and the final fetch; fixed 1 s polling
        # as the toolkit does it: the final fetch only.
        for index, name, extra in ((0, "defaults: the prior (no history)", 2), (1, "fixed 1 s polls (the toolkit's)", 1)):
            mine = [runs[d][index] for d in chosen]
            rows.append(ColdRow(name, "%g-%g s" % (chosen[0], chosen[-1]), statistics.median(r[0] for r in mine),
                                max(r[0] for r in mine), worst_ratio if index == 0 else 1.0,
                                statistics.median(r[0] + extra for r in mine), statistics.median(r[1] for r in mine),
                                max(r[1] for r in mine), max(r[2] for r in mine)))
    sections.append(Section("3d. A cold service: the prior against fixed 1 s polling (simulated clock)", rows,
                            "The module's PriorSchedule (defaults: poll_interval %g s, max_poll_interval %g s) and "
                            "wait_all on a simulated clock (%d ms a request), for %d builds of a Service with no "
                            "completed build, 3 to 60 s every 0.1 s; fixed 1 s polls for comparison. The ratio is "
                            "the largest over the builds of each build's Status requests to fixed polling's. All "
                            "requests: + the listing that finds the build and shows there is no history and the "
                            "final fetch (fixed polling: the final fetch)." % (
                                poll_interval, maximum, COLD_REQUEST_SECONDS * 1000, len(COLD_DURATIONS))))
    delays = [runs[d][0][1] for d in COLD_DURATIONS]
    median_delay = statistics.median(delays)
    targets.append(Target("Cold service, builds of 3-60 s: median detection delay at most 1.5 s (defaults)",
                          median_delay, 1.5, "%.2f s (fixed 1 s polls: %.2f s)" % (
                              median_delay, statistics.median(runs[d][1][1] for d in COLD_DURATIONS)),
                          why="%d%% of the builds were seen within 1.5 s" % round(
                              100.0 * sum(1 for x in delays if x <= 1.5) / len(delays))))
    long_ones = [d for d in COLD_DURATIONS if d >= 30.0]
    ratio, at = max((runs[d][0][0] / runs[d][1][0], d) for d in long_ones)
    targets.append(Target("Cold service, builds of 30-60 s: each at most half the Status requests of fixed 1 s polls",
                          ratio, 0.5, "at most %.3f (%d vs %d at %g s)" % (ratio, runs[at][0][0], runs[at][1][0], at),
                          why="the worst build, %g s, took %d Status requests against %d" % (
                              at, runs[at][0][0], runs[at][1][0])))
    gap = max(runs[d][0][2] for d in COLD_DURATIONS)
    targets.append(Target("Cold service: no gap between polls above max_poll_interval (%g s)" % maximum, gap, maximum,
                          "%.2f s" % gap))


# -- 4. waiting for 50 builds -----------------------------------------------
def section_wait_many(sim, sections, targets):
    service = SERVICES["wait"][0]
    durations = [5 + 25.0 * i / 49 for i in range(50)]
    # Every 10th build fails: a failure must be seen within max_poll_interval too.
    specs = [{"ready_in": d, "final_status": "failed" if i % 10 == 9 else "completed"} for i, d in enumerate(durations)]
    loop_service = SERVICES["many-loop"][0]
    one_task = sim.create_builds(service, specs)
    looped = sim.create_builds(loop_service, specs)
    sim.clear()
    proc_a = playbook(sim, "wait_module.yml", {"module_args": {"service": service, "sids": one_task["sids"],
                                                               "fail_on_failed": False}})
    proc_b = playbook(sim, "wait_module_loop.yml", {"module_args": {"service": loop_service,
                                                                    "sids": looped["sids"]}})
    finish(*proc_a)
    finish(*proc_b)
    log = sim.log()
    maximum = default_max_poll_interval()
    mine = [e for e in log if service in e["path"]]
    # Ends are the simulator's own; a build is seen by the first Status request for it, or the first listing,
    # after its end (a listing's path does not name the builds it reads).
    seen_a = []
    for sid, at in zip(one_task["sids"], one_task["ready_at"]):
        seen = [e["time"] for e in mine if e["time"] >= at and (e["route"] == "builds" or sid in e["path"])]
        seen_a.append(min(seen) - at if seen else float("nan"))
    failures = [delay for delay, spec in zip(seen_a, specs) if spec["final_status"] == "failed"]
    theirs = [e for e in log if loop_service in e["path"]]
    req_a, req_b = len(mine), len(theirs)
    last_a = max(e["time"] for e in mine) - max(one_task["ready_at"])
    last_b = max(e["time"] for e in theirs) - max(looped["ready_at"])
    sections.append(Section("4. Wait for 50 builds of 5 to 30 s", [
        ManyRow("serverless_build_wait, one task with `sids`", req_a, last_a, max(seen_a), max(failures)),
        ManyRow("serverless_build_wait in a loop, one build per task", req_b, last_b, None, None),
    ], "Both tasks ran side by side, each on 50 builds of a service of its own; times are the simulator's (ends from its "
       "`ready_at`, detection from its request log)."))
    targets.append(Target("50 builds in one task: at most 60 requests", req_a, 60, "%d requests" % req_a))
    targets.append(Target("50 builds in one task: done within 2 s of the slowest build", last_a, 2.0,
                          "last request %.2f s after the slowest finished" % last_a))
    targets.append(Target("50 builds in one task: every failure seen within max_poll_interval + 1 s (%g s)"
                          % (maximum + 1), max(failures), maximum + 1,
                          "at most %.2f s after it happened (%d failed builds)" % (max(failures), len(failures))))


# -- 5. module overhead ------------------------------------------------------
def section_overhead(sim, runs, sections):
    service = SERVICES["10k"][0]
    one_info = {"module_args": {"service": service, "limit": 1}}
    module = median_runs(lambda: run_playbook(sim, "one_info.yml", one_info)[0], runs)[0]
    uri = median_runs(lambda: run_playbook(sim, "one_uri.yml", {
        "first_url": "%s/v1/Services/%s/Builds?PageSize=1" % (sim.url, service)})[0], runs)[0]
    sections.append(Section("5. Module overhead: one build, one task, via ansible-playbook (no target)", [
        OverheadRow("serverless_build_info, limit 1", module, module / uri),
        OverheadRow("ansible.builtin.uri, one GET", uri, 1.0),
    ]))


# -- 6. memory ----------------------------------------------------------------
def section_memory(sim, sections, targets):
    limited = module_peak_rss(sim, {"service": SERVICES["100k"][0], "limit": 10})
    thousand = module_peak_rss(sim, {"service": SERVICES["1k"][0]})
    sim.clear()
    began = time.time()
    everything = module_peak_rss(sim, {"service": SERVICES["100k"][0]})
    took = time.time() - began
    pages = len(sim.log())
    sections.append(Section("6. Peak memory of the module process (serverless_build_info)", [
        MemoryRow("100,000 builds, limit 10", limited),
        MemoryRow("1,000 builds, no limit", thousand),
        MemoryRow("100,000 builds, no limit (%d requests, %.1f s)" % (pages, took), everything),
    ]))
    targets.append(Target("Memory with limit 10 over 100,000 builds at most 1,000 builds' +10%", limited,
                          thousand * 1.10, "%.1f MiB vs %.1f MiB" % (limited, thousand)))


# -- 7. release from source: serverless_build against the Twilio toolkit ----------
TOOLKIT_DIR = os.path.join(ROOT, "tests", "toolkit")
TOOLKIT_DEPLOY = os.path.join(TOOLKIT_DIR, "deploy.js")  # the toolkit test's script, reused as it is
SOURCE_STEPS = (("first", "first build"), ("unchanged", "unchanged re-run"), ("function", "one function changed"),
                ("asset", "one asset changed"))
SOURCE_BUILD_SECONDS = 1.0  # how long the simulator takes for each build either tool makes
UPLOAD_ROUTES = ("create_function_version", "create_asset_version")


@dataclasses.dataclass
class SourceRow:
    step: str = column("step")
    tool: str = column("tool")
    requests: float = column("requests (median)")
    uploads: float = column("uploads (median)")
    upload_bytes: float = column("bytes uploaded (median)")
    uploading: float = column("s from the first upload to the last (median)")
    building: float = column("s from CreateBuild to the deployment request (the task: to its last request) "
                             "(median)")
    wall: float = column("wall s (median)")
    spread: str = column("spread s (min-max)")


@dataclasses.dataclass
class SourceRun:
    """One tool's run of one step, counted from the simulator's request log."""
    requests: int
    uploads: int
    upload_bytes: int
    uploading: float  # from the first upload to the last, by the log's clock
    building: float  # from CreateBuild to the deployment request (or the last request), by the log's clock
    wall: float
    uploaded: list  # (function or asset, Path, Visibility, content bytes) of each upload
    polls: list  # the times of the build's Status and Build requests after CreateBuild


def measured(entries, wall):
    """A SourceRun from the simulator's log entries of one run, and the run's wall seconds."""
    requests, uploads, sizes, uploaded = count_uploads(entries)
    times = [e["time"] for e in entries if e["route"] in UPLOAD_ROUTES]
    built = [e["time"] for e in entries if e["route"] == "create_build"]
    deployed = [e["time"] for e in entries if e["route"] == "create_deployment"]
    # Without a deployment in the entries (the serverless_build task alone): to its last request, the poll
    # that saw the build finished.
    ends = deployed or ([max(e["time"] for e in entries)] if built else [])
    building = ends[-1] - built[-1] if built else float("nan")
    polls = sorted(e["time"] for e in entries if built and e["time"] > built[-1]
                   and e["route"] in ("build_status", "build"))
    return SourceRun(requests, uploads, sizes, max(times) - min(times) if times else 0.0, building, wall, uploaded,
                     polls)


def count_uploads(entries):
    """Requests, uploads, the bytes of the uploaded files' content, and what was uploaded, from log entries."""
    uploads = [e for e in entries if e["route"] in UPLOAD_ROUTES]
    sizes = 0
    uploaded = []
    for entry in uploads:
        parts = (entry.get("multipart") or {}).get("parts") or []
        sizes += sum(p["size"] for p in parts if p["name"] == "Content")
        values = dict((p["name"], p.get("value")) for p in parts if p["name"] in ("Path", "Visibility"))
        uploaded.append(("function" if entry["route"] == "create_function_version" else "asset",
                         values.get("Path"), values.get("Visibility"),
                         sum(p["size"] for p in parts if p["name"] == "Content")))
    return len(entries), len(uploads), sizes, uploaded


def api_post(url, path, form):
    import requests
    response = requests.post(url + path, data=form, auth=(ACCOUNT, TOKEN), timeout=30)
    response.raise_for_status()
    return response.json()


def source_services(sim, name):
    """A Service with the toolkit's "dev" Environment, made before any timed run (neither tool pays for it)."""
    service = api_post(sim.url, "/v1/Services", {"UniqueName": name, "FriendlyName": name})["sid"]
    api_post(sim.url, "/v1/Services/%s/Environments" % service,
             {"UniqueName": "dev-environment", "DomainSuffix": "dev"})
    sim.new_build(service, ready_in=SOURCE_BUILD_SECONDS)
    return service, name


def run_toolkit(sim, project, name):
    import shutil
    import subprocess
    env = {"PATH": os.environ["PATH"], "SIM_URL": sim.url, "SIM_ACCOUNT_SID": ACCOUNT, "SIM_AUTH_TOKEN": TOKEN}
    sim.clear()
    began = time.time()
    proc = subprocess.run([shutil.which("node") or "node", TOOLKIT_DEPLOY, project, name, "dev"], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    wall = time.time() - began
    if proc.returncode != 0:
        raise RuntimeError("the toolkit's deploy failed: %s" % proc.stderr[-2000:])
    return measured(sim.log(), wall), json.loads(proc.stdout)


def run_ours(sim, project, service):
    sim.clear()
    wall, result = run_playbook(sim, "source_release.yml", {"build_args": {
        "service": service, "source": project, "environment": "dev"}})
    log = sim.log()
    mine = [e for e in log if result["build_start"] <= e["time"] <= result["build_end"]]
    return measured(log, wall), measured(mine, result["build_end"] - result["build_start"]), result


def section_source(latency, runs, sections, targets):
    """Section 7, on a simulator of its own (an account and the Services made here, nothing else)."""
    import tempfile
    from source_project import change_asset, change_function, generate

    if not os.path.exists(os.path.join(TOOLKIT_DIR, "node_modules", "@twilio-labs", "serverless-api")):
        raise RuntimeError("the toolkit is not installed: run `make toolkit`")
    seed = work_file("seed-source")
    with open(seed, "w", encoding="utf-8") as handle:
        json.dump({"accounts": [{"sid": ACCOUNT, "auth_token": TOKEN}], "services": []}, handle)
    proc, url = start(seed, latency=latency)
    sim = Sim(url)
    loads = [os.getloadavg()[0]]
    began = time.time()
    # (step, tool) -> [SourceRun per repeat]; tools: toolkit, ours (the playbook), task (serverless_build alone)
    runs_of = dict(((step, tool), []) for step, dummy in SOURCE_STEPS for tool in ("toolkit", "ours", "task"))
    size = files = 0
    try:
        for repeat in range(runs):
            project = tempfile.mkdtemp(prefix="source-", dir=WORK)
            written = generate(project)
            size, files = sum(written.values()), len(written) - 1  # package.json is not uploaded
            toolkit_service, toolkit_name = source_services(sim, "bench-src-toolkit-%d" % repeat)
            our_service, dummy = source_services(sim, "bench-src-module-%d" % repeat)
            for step, dummy in SOURCE_STEPS:
                if step == "function":
                    change_function(project)
                elif step == "asset":
                    change_asset(project)
                # Turn about: the toolkit first in even repeats, the module first in odd ones.
                for tool in (("toolkit", "ours") if repeat % 2 == 0 else ("ours", "toolkit")):
                    loads.append(os.getloadavg()[0])
                    if tool == "toolkit":
                        run, deployed = run_toolkit(sim, project, toolkit_name)
                        assert deployed["serviceSid"] == toolkit_service
                        runs_of[(step, "toolkit")].append(run)
                    else:
                        whole, task, result = run_ours(sim, project, our_service)
                        # Nothing changed: no build and nothing deployed; else a new build, deployed.
                        assert result["build_changed"] == (step != "unchanged"), result
                        assert result["deploy_changed"] == (step != "unchanged"), result
                        runs_of[(step, "ours")].append(whole)
                        runs_of[(step, "task")].append(task)
    finally:
        stop(proc)
    took = time.time() - began

    def med(step, tool, field):
        value = statistics.median(getattr(r, field) for r in runs_of[(step, tool)])
        # A count stays a count (an even number of repeats gives a float median).
        return int(value) if field in ("requests", "uploads", "upload_bytes") and value == int(value) else value

    def gaps(tool):
        found = [b - a for step, dummy in SOURCE_STEPS for r in runs_of[(step, tool)]
                 for a, b in zip(r.polls, r.polls[1:])]
        counts = [len(r.polls) for step, dummy in SOURCE_STEPS for r in runs_of[(step, tool)] if r.polls]
        many = "%d" % min(counts) if min(counts) == max(counts) else "%d to %d" % (min(counts), max(counts))
        return "%s requests for the build after CreateBuild, %s s apart (median %.2f s)" % (
            many, spread(found), statistics.median(found)) if found else "fewer than two requests for the build"

    labels = {"toolkit": "toolkit `deployLocalProject` (node)",
              "ours": "serverless_build + serverless_deployment (ansible-playbook)",
              "task": "of which the serverless_build task"}
    rows = []
    for step, label in SOURCE_STEPS:
        for tool in ("toolkit", "ours", "task"):
            walls = [r.wall for r in runs_of[(step, tool)]]
            rows.append(SourceRow(label, labels[tool], med(step, tool, "requests"), med(step, tool, "uploads"),
                                  med(step, tool, "upload_bytes"), med(step, tool, "uploading"),
                                  med(step, tool, "building"), statistics.median(walls), spread(walls)))
    note = (
        "A generated project of %d functions and %d assets (%d binary), %d bytes in all (benchmarks/"
        "source_project.py, fixed seed, written to a temporary folder at each repeat), on a simulator of its own "
        "with %d ms per request; each build takes the simulator %g s. Like with like: the toolkit's deploy "
        "finds the Service and its `dev` Environment, uploads, creates the build, waits for it (in this run: %s) "
        "and deploys it; our row is one ansible-playbook run of serverless_build (`environment: dev`, waiting with "
        "its defaults; in this run: %s) followed by serverless_deployment to that Environment, the same four "
        "steps. Each tool has a "
        "Service of its own per repeat, made with its Environment before the timed runs (neither pays for that). "
        "Requests, uploads and bytes (the uploaded files' content) are counted from the simulator's request log; "
        "the serverless_build task's share is the log between the playbook's time marks around that task, and "
        "its time is that of those marks. Wall seconds are the node process's and the playbook's (to its last "
        "task). Medians of %d repeats, the tools taking turns at going first; %.0f s in all; the 1-minute load "
        "average at the start %.1f, at each run's start median %.1f, highest %.1f, on %d cores." % (
            len([p for p in written if p.startswith("functions/")]), len([p for p in written if p.startswith(
                "assets/")]), len([p for p in written if p.startswith("assets/media/")]), size, latency * 1000,
            SOURCE_BUILD_SECONDS, gaps("toolkit"), gaps("task"), runs, took, loads[0], statistics.median(loads), max(loads), os.cpu_count()))
    assert files == len(runs_of[("first", "toolkit")][0].uploaded)  # the toolkit uploaded every file
    sections.append(Section("7. Release from source: side by side with the Twilio toolkit", rows, note))

    unchanged_uploads = med("unchanged", "task", "uploads")
    targets.append(Target("Source, unchanged re-run: 0 uploads (serverless_build)", unchanged_uploads, 0,
                          "%g uploads" % unchanged_uploads))
    task_requests, whole_requests = med("unchanged", "task", "requests"), med("unchanged", "ours", "requests")
    targets.append(Target("Source, unchanged re-run: at most 5 requests (serverless_build)", task_requests, 5,
                          "%g requests (%g with serverless_deployment)" % (task_requests, whole_requests)))

    def breakdown(step, tool):
        building = med(step, tool, "building")
        built = not math.isnan(building)
        wall, uploading = med(step, tool, "wall"), med(step, tool, "uploading")
        return "%.2f s (median): %g requests, %g uploads over %.2f s, %s, %.2f s else" % (
            wall, med(step, tool, "requests"), med(step, tool, "uploads"), uploading,
            "%.2f s from CreateBuild to the deployment request" % building if built else "no build",
            wall - uploading - (building if built else 0.0))

    ours, theirs = med("unchanged", "ours", "wall"), med("unchanged", "toolkit", "wall")
    task = med("unchanged", "task", "wall")
    targets.append(Target(
        "Source, unchanged re-run: at most 1/3 of the toolkit's time (build + deployment)", ours / theirs, 1 / 3.0,
        "%.2f s vs %.2f s (%.2f)" % (ours, theirs, ours / theirs),
        why="the toolkit took %s; the playbook took %s, of which the serverless_build task %.2f s (%g requests) "
            "and %.2f s the rest: ansible-playbook's start-up, the serverless_deployment task (%g requests) and "
            "the time marks. Each build took the simulator %g s" % (
                breakdown("unchanged", "toolkit"), breakdown("unchanged", "ours"), task, task_requests,
                ours - task, whole_requests - task_requests, SOURCE_BUILD_SECONDS)))
    # The project's paths, as the toolkit uploaded them (every file) in this run's first builds.
    project_paths = set(u[1] for r in runs_of[("first", "toolkit")] for u in r.uploaded)
    for step in ("function", "asset"):
        count = med(step, "task", "uploads")
        seen = sorted(set(r.uploaded[i][:3] + (r.uploaded[i][3],) for r in runs_of[(step, "task")]
                          for i in range(len(r.uploaded))))
        described = ["%s %s (%s, %d bytes, %s)" % (kind, path, visibility, size, "a file of the project"
                                                   if path in project_paths else "not a file of the project")
                     for kind, path, visibility, size in seen]
        outside = [u for u in seen if u[1] not in project_paths]
        targets.append(Target(
            "Source, one %s changed: exactly 1 upload (serverless_build)" % step, abs(count - 1), 0,
            "%g upload(s) (median)" % count,
            why="the task's uploads in this run's repeats were: %s. %d of those paths %s among the %d paths the "
                "toolkit uploaded (every file of the project) in its first builds" % (
                    "; ".join(described), len(outside), "is not" if len(outside) == 1 else "are not",
                    len(project_paths))))
    ours, theirs = med("first", "ours", "wall"), med("first", "toolkit", "wall")
    targets.append(Target(
        "Source, first build: at most 1.2x the toolkit's time (build + deployment)", ours / theirs, 1.2,
        "%.2f s vs %.2f s (%.2fx)" % (ours, theirs, ours / theirs),
        why="the toolkit took %s; the playbook took %s" % (breakdown("first", "toolkit"), breakdown("first", "ours"))))


# -- 8. verified releases: reading an environment's logs --------------------------------------------------------
LOG_COUNT = 10000
LOG_PAGES = 10  # 10,000 logs in pages of 1,000, the largest Twilio serves
LOG_RATE = 5  # listings per second per account, as Twilio documents for the Logs endpoint


@dataclasses.dataclass
class LogsRow:
    approach: str = column("approach")
    outcome: str = column("outcome")
    logs: int = column("logs read (distinct)")
    requests: int = column("listing requests (429s)")
    wall: float = column("wall s (median)")
    floor_ratio: float = column("ratio to the floor")


def logs_environment(sim, name):
    """A Service (made by the bench's seed) with an Environment whose live build has a function, and 10,000 logs
    of it spread over the last 50 minutes, out of order within each second as Twilio lists them."""
    service = SERVICES[name][0]
    env_sid = api_post(sim.url, "/v1/Services/%s/Environments" % service,
                       {"UniqueName": "production", "DomainSuffix": "prod"})["sid"]
    sim.deploy(service, "production", functions=[{"path": "/hello", "content": "// a function\n"}])
    sim.call("POST", "/__sim/logs", {"service": service, "environment": "production", "count": LOG_COUNT, "oldest": 3000,
                                     "newest": 1, "levels": ["info", "info", "warn", "error"]})
    return service, env_sid


def twilio_library_logs(sim, service, env_sid):
    """The Twilio Python library's listing, as a hand-written script would read the logs: no pacing."""
    from twilio.base.exceptions import TwilioException
    from twilio.rest import Client

    client = Client(ACCOUNT, TOKEN)
    client.serverless.base_url = sim.url
    started = time.perf_counter()
    try:
        logs = client.serverless.v1.services(service).environments(env_sid).logs.list(page_size=1000)
        return "completed", len(set(log.sid for log in logs)), time.perf_counter() - started
    except TwilioException as err:
        status = getattr(err, "status", None) or (err.args[1].status_code if len(err.args) > 1 else "?")
        return "failed: HTTP %s" % status, 0, time.perf_counter() - started


def logs_in_process(sim, service):
    """serverless_logs_info's run() as the module process does it, without ansible-playbook; returns seconds."""
    from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
    from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params
    from ansible_collections.twilio_community.serverless.plugins.modules import serverless_logs_info as mod

    class Module:
        params = dict(service=service, environment="production", function=None, since="1h", until=None, build=None,
                      deployment=None, level=None, limit=LOG_COUNT)
        check_mode = False

        @staticmethod
        def warn(message):
            pass

    client = TwilioClient(connection_from_params({"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": sim.url}))
    started = time.perf_counter()
    result = mod.run(Module(), client, copy.deepcopy(mod.BLANK_RESULT))
    elapsed = time.perf_counter() - started
    client.close()
    assert len(result["logs"]) == LOG_COUNT
    return elapsed


def fresh_rate_window():
    # The limit is per account over the last second: each approach starts with the whole of it, as a run would.
    time.sleep(1.1)


def section_logs(sim, runs, sections, targets):
    service, env_sid = logs_environment(sim, "logs")
    args = {"module_args": {"service": service, "environment": "production", "since": "1h", "limit": LOG_COUNT}}
    results = []

    def module_run():
        fresh_rate_window()
        sim.clear()
        wall, result = run_playbook(sim, "logs_module.yml", args)
        entries = [e for e in sim.log() if e["route"] == "logs"]
        results.append((result, len(entries), sum(1 for e in entries if e["status"] == 429)))
        return wall
    module_wall = median_runs(module_run, runs)[0]
    result, listings, throttled = results[-1]
    library = []

    def library_run():
        fresh_rate_window()
        sim.clear()
        outcome, distinct, wall = twilio_library_logs(sim, service, env_sid)
        entries = [e for e in sim.log() if e["route"] == "logs"]
        library.append((outcome, distinct, len(entries), sum(1 for e in entries if e["status"] == 429)))
        return wall
    library_wall = median_runs(library_run, runs)[0]
    outcome, distinct, lib_listings, lib_throttled = library[-1]

    def in_process_run():
        fresh_rate_window()
        return logs_in_process(sim, service)
    in_process = median_runs(in_process_run, runs)[0]
    floor = LOG_PAGES / float(LOG_RATE)
    sections.append(Section("8. Read 10,000 logs of an environment at Twilio's 5 listings a second", [
        LogsRow("serverless_logs_info, limit 10000 (one task via ansible-playbook)",
                "truncated" if result["truncated"] else "completed", result["unique"],
                "%d (%d)" % (listings, throttled), module_wall, module_wall / floor),
        LogsRow("the same module's run(), in-process (no ansible-playbook)", "completed", LOG_COUNT, "", in_process,
                in_process / floor),
        LogsRow("twilio library logs.list(page_size=1000), in-process, no pacing", outcome, distinct,
                "%d (%d)" % (lib_listings, lib_throttled), library_wall, library_wall / floor),
        LogsRow("floor: %d pages at %d listings a second" % (LOG_PAGES, LOG_RATE), "", LOG_COUNT,
                "%d (0)" % LOG_PAGES, floor, 1.0),
    ], "The simulator lists logs newest first, shuffled within a second, in upper case, at most 5 listings a second per "
       "account (then 429 with Retry-After) and 10,000 per query, as Twilio documents. The module's requests "
       "include the reads of the service and environment."))
    targets.append(Target("10,000 logs: each read exactly once", abs(result["logs"] - LOG_COUNT)
                          + (result["logs"] - result["unique"]), 0,
                          "%d logs, %d distinct" % (result["logs"], result["unique"])))
    targets.append(Target("10,000 logs: no 429 answered (paced to 5 listings a second)", throttled, 0,
                          "%d of %d listings answered 429" % (throttled, listings)))
    # No time target: the issue asks for the time against the floor, which the table shows; what lies between
    # the two is said here from this run.
    sections[-1].note += (
        " The floor counts 5 listings in each whole second, as the issue puts it; the simulator's window slides, so "
        "10 listings fit in just over 1 s and a paced client may beat the floor. Of the module's %.2f s, its run() "
        "in-process took %.2f s (the paced listings, and the transfer and shaping of 10,000 logs); the other "
        "%.2f s are ansible-playbook's start-up and its handling of a 10,000-log result." % (
            module_wall, in_process, module_wall - in_process))


# -- 9. verified releases: from a bad build live to the previous build live again -----------------------------
VERIFY_SETTLE = 10  # serverless_verify's default settle
GOOD = "// a function that answers 200\n"
BAD = "// sim: status=500 level=error log=\"TypeError: boom\"\n"


@dataclasses.dataclass
class RollbackRow:
    approach: str = column("approach")
    detects: str = column("what fails it")
    seconds: float = column("s from the bad build live to the previous build live (median)")
    spread: str = column("spread s (min-max)")
    requests: int = column("API requests (last run)")


def bad_release(sim, service):
    """A good build live in production, then a bad one (its /hello answers 500 and logs an error) made live;
    returns the clock time the bad one went live."""
    sim.deploy(service, "production", functions=[{"path": "/hello", "content": GOOD}])
    went_live = time.time()
    sim.deploy(service, "production", functions=[{"path": "/hello", "content": BAD}])
    return went_live


def time_to_rollback(sim, service, name, extra):
    """Seconds from the bad build going live to the roll back's deployment request, by the simulator's log."""
    sim.clear()
    went_live = bad_release(sim, service)
    dummy, result = run_playbook(sim, name, extra)
    back = [e["time"] for e in sim.log() if e["route"] == "create_deployment"]
    if not back:
        raise RuntimeError("%s rolled nothing back: %s" % (name, result))
    api = [e for e in sim.log() if e["route"] not in ("domain",)]
    return back[0] - went_live, len(api)


def section_rollback(sim, runs, sections, targets):
    service = SERVICES["verify"][0]
    api_post(sim.url, "/v1/Services/%s/Environments" % service, {"UniqueName": "production", "DomainSuffix": "prod"})
    domains = sim.url + "/__sim/domains/{domain_name}"
    domain_name = sim.deploy(service, "production", functions=[{"path": "/hello", "content": GOOD}])["domain_name"]
    ours, theirs = [], []
    for dummy in range(runs):
        ours.append(time_to_rollback(sim, service, "verify_module.yml", {"module_args": {
            "service": service, "environment": "production", "checks": [{"path": "/hello"}],
            "rollback_on_failure": True, "domain_base_url": domains}}))
        theirs.append(time_to_rollback(sim, service, "verify_uri.yml", {
            "service": service, "check_url": sim.url + "/__sim/domains/%s/hello" % domain_name}))
    rows = []
    for label, detects, values in (
            ("serverless_verify, defaults (settle 10 s), rollback_on_failure", "the check's 500 and the log gate", ours),
            ("uri check, then serverless_deployment rollback: true", "the check's 500 only (no log gate)", theirs)):
        seconds = [v[0] for v in values]
        rows.append(RollbackRow(label, detects, statistics.median(seconds), spread(seconds), values[-1][1]))
    sections.append(Section("9. From a bad build live to the previous build live again", rows,
                            "Each run makes a good build live, then a bad one whose /hello answers 500 and logs an "
                            "error, and starts the playbook; the time runs from the bad deployment to the roll back's "
                            "deployment request in the simulator's log, ansible-playbook's start-up included. "
                            "serverless_verify waits until settle seconds after the deployment before it reads the "
                            "logs, so its time includes that wait by design; the uri loop does not read logs."))
    median = rows[0].seconds
    targets.append(Target("Roll back of a bad build: at most settle + 5 s (%d s) with the defaults"
                          % (VERIFY_SETTLE + 5), median, VERIFY_SETTLE + 5.0, "%.2f s (median)" % median))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wait-runs", type=int, default=3, help="runs of each wait of section 3 per D")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.md"))
    parser.add_argument("--durations", default=",".join(str(d) for d in DURATIONS),
                        help="section 3's build durations D, comma-separated (10,30,60,120)")
    parser.add_argument("--source-runs", type=int, default=3, help="repeats of section 7 (release from source)")
    parser.add_argument("--fleet-runs", type=int, default=5,
                        help="one service's runs in each row of section 10 (the fleet runs once)")
    parser.add_argument("--only", help="comma-separated sections to run (1, 2, 3, 3c, 3d, 4, 5, 6, 7, 8, 9, 10), for a "
                                       "quick look; docs/performance.md is then not written, unless --update")
    parser.add_argument("--update", action="store_true",
                        help="with --only: replace those sections and their targets in --out, keep the rest")
    args = parser.parse_args()
    if args.update and not args.only:
        parser.error("--update needs --only: a full run writes the whole file")
    only = set(args.only.split(",")) if args.only else None
    began = time.time()
    proc, url = start(seed_file(), latency=args.latency)
    sim = Sim(url)
    sections, targets = [], []
    rng = random.Random(20261125)  # the same builds in every run
    try:
        for number, step in (("1", lambda: section_listing(sim, args.runs, sections, targets)),
                             ("2", lambda: section_pick(sim, args.runs, sections, targets)),
                             ("3", lambda: section_wait(sim, args.wait_runs, sections, targets, rng,
                                                        [int(d) for d in args.durations.split(",")])),
                             ("3c", lambda: schedule_sweep(sections, random.Random(20261201))),
                             ("3d", lambda: cold_sweep(sections, targets)),
                             ("4", lambda: section_wait_many(sim, sections, targets)),
                             ("5", lambda: section_overhead(sim, args.runs, sections)),
                             ("6", lambda: section_memory(sim, sections, targets)),
                             ("7", lambda: section_source(args.latency, args.source_runs, sections, targets)),
                             ("8", lambda: section_logs(sim, args.runs, sections, targets)),
                             ("9", lambda: section_rollback(sim, args.runs, sections, targets)),
                             ("10", lambda: section_fleet(args.latency, args.fleet_runs, sections, targets))):
            if only and number not in only:
                continue
            step()
            print("... %s done (%.0f s)" % (sections[-1].title, time.time() - began), flush=True)
    finally:
        stop(proc)
    report = render(sections, targets, args.latency, args.runs, args.wait_runs, time.time() - began)
    print(report)
    if args.update:
        with open(args.out, encoding="utf-8") as handle:
            text = handle.read()
        when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(splice(text, sections, targets, "Run alone on %s (`bench.py --only %s --update`, %d ms a "
                                "request), not in the run the first paragraph describes." % (
                                    when, args.only, args.latency * 1000)))
        print("updated sections %s in %s" % (args.only, args.out))
        return 0
    if only:
        return 0
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(report)
    print("written to %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
