# SPDX-License-Identifier: GPL-3.0-or-later
"""Section 10 of `make bench`: a fleet of 50 subaccounts with 4 Services each (issue 26's bench).

Row A: every Service released from the same project folder already, an unchanged re-run of all 200 at forks 20;
row B: each of the 200 live builds made again on a new runtime without the source, and deployed. Each side by
side with one Service's run of the same playbook in the same bench run, on a simulator of its own with the
per-request latency of the other sections and its per-account concurrency limit on. Requests, uploads and 429s
are counted from the simulator's request log, retries from the modules' stats, failures from the hosts' results.

What the fleet run uses depends on what exists in this checkout (``features()``), and the section's note says
which: the accounts inventory plugin, else a generated static inventory; the ``subaccount_sid`` option with the
main account's credentials, else each host's own credentials; the simulator's ``generate_accounts`` and
``account_concurrency`` seed keys, else an explicit seed and no limit.
"""

import collections
import dataclasses
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from typing import Optional

from harness import COLLECTIONS, PLAYBOOKS, ROOT, WORK, env_for, work_file
from report import Section, Target, column
from source_project import Shape, generate

sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.control import Control as Sim  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.launcher import start, stop  # noqa: E402  pylint: disable=wrong-import-position
from twilio_sim.store import generated_account, sid_for  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNTS = 50
SERVICES_PER_ACCOUNT = 4
FORKS = 20
# Twilio serves about 100 requests of one account at once (the max_concurrent_requests documentation); a tenth
# of that, so that a fleet run can reach it: forks 20 put up to 4 Services of one account in flight at once, an
# upload up to 10 requests each.
ACCOUNT_CONCURRENCY = 10
ACCOUNTS_ROUTES = ("accounts", "account")  # the v2010 Accounts API's, on its own listener
BUILD_SECONDS = 1.0  # how long the simulator takes for each build, as in section 7
FROM_RUNTIME, TO_RUNTIME = "node22", "node24"
ENVIRONMENT = "production"
# Small: the 200 first releases are the setup, not what is measured; the unchanged re-run reads no file's
# content whatever the size (the build manifest is read once), and hashing is the only cost that grows with it.
SHAPE = Shape(functions=5, assets=10, binary_assets=2, total_bytes=100 * 1024)
MAIN = "AC" + "f" * 32  # the main account: the owner of the subaccounts
MAIN_TOKEN = "fleet-main-token-not-a-secret"
PREFIX = "fleet"  # generate_accounts' subaccounts: fleet-000 to fleet-049
SOLO_NAME = "bench-solo"  # the subaccount of the one-service runs (one Service per repeat)
RUN_CAP = 1800  # s, only against a hang
UPLOAD_ROUTES = ("create_function_version", "create_asset_version")
PLAYBOOK = "fleet_release.yml"


def installed(*parts):
    return os.path.join(COLLECTIONS, "ansible_collections", "twilio_community", "serverless", *parts)


def _mentions(path, word):
    try:
        with open(path, encoding="utf-8") as handle:
            return word in handle.read()
    except OSError:
        return False


Features = collections.namedtuple("Features", "inventory_plugin budget_option")


def features():
    """What of issue 26's pieces this checkout has that the section can do without (the installed collection)."""
    return Features(os.path.exists(installed("plugins", "inventory", "accounts.py")),
                    _mentions(installed("plugins", "module_utils", "_options.py"), "max_concurrent_requests"))


# -- the accounts, services and inventories ------------------------------------
Service = collections.namedtuple("Service", "host account_name account_sid token sid unique_name")


def fleet_services():
    """The Services the simulator's ``generate_accounts`` makes: their SIDs, names and tokens are the same for
    the same index (store.generated_account)."""
    found = []
    for index in range(ACCOUNTS):
        sid, token, name = generated_account(PREFIX, index)
        for number in range(SERVICES_PER_ACCOUNT):
            unique = "%s-app-%d" % (name, number)
            found.append(Service("%s_%s" % (name, unique), name, sid, token, sid_for("ZS", sid, unique), unique))
    return found


def solo_services(count):
    """The one-service runs' Services: a subaccount of their own (not in the fleet's name pattern), one Service
    per repeat (a migrated one has nothing left to migrate)."""
    sid = "AC" + "5" * 32
    return [Service("%s_%s-%d" % (SOLO_NAME, SOLO_NAME, n), SOLO_NAME, sid, "solo-token-not-a-secret",
                    sid_for("ZS", sid, "%s-%d" % (SOLO_NAME, n)), "%s-%d" % (SOLO_NAME, n)) for n in range(count)]


def seed(solos, concurrency):
    """Main account, its generated subaccounts with their Services (each with a build live in production), and
    the solo subaccount with its Services, made the same way (a live node22 build of a function and an asset)."""
    solo = solos[0]
    data = {"accounts": [{"sid": MAIN, "auth_token": MAIN_TOKEN, "friendly_name": "bench main"},
                         {"sid": solo.account_sid, "auth_token": solo.token, "friendly_name": SOLO_NAME,
                          "owner_account_sid": MAIN}],
            "generate_accounts": {"owner": MAIN, "count": ACCOUNTS, "services_per_account": SERVICES_PER_ACCOUNT,
                                  "prefix": PREFIX},
            "services": [{"account_sid": s.account_sid, "sid": s.sid, "unique_name": s.unique_name,
                          "builds": [{"age": 3600, "runtime": FROM_RUNTIME}],
                          "environments": [{"unique_name": ENVIRONMENT, "deployments": [0]}]} for s in solos],
            "account_concurrency": concurrency}
    path = work_file("seed-fleet")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return path


def static_inventory(services):
    """An inventory file of these Services, with the host vars the accounts inventory plugin gives."""
    hosts = dict((s.host, {"twilio_service_sid": s.sid, "twilio_service": s.unique_name,
                           "twilio_account_friendly_name": s.account_name, "twilio_subaccount_sid": s.account_sid})
                 for s in services)
    path = work_file("inventory") + ".json"  # the yaml inventory plugin reads .json
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"all": {"children": {"fleet": {"hosts": hosts}}}}, handle)
    return path


def plugin_inventory():
    """The accounts inventory plugin's configuration: the fleet's subaccounts (not the solo one), a host per
    Service; the main credentials and URLs come from the environment."""
    folder = tempfile.mkdtemp(prefix="inventory-", dir=WORK)
    path = os.path.join(folder, "fleet.twilio_accounts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("plugin: twilio_community.serverless.accounts\ninclude_services: true\n"
                     "name_patterns: ['%s-*']\ngroups:\n  fleet: 'true'\n" % PREFIX)
    return path


# -- a run ---------------------------------------------------------------------
@dataclasses.dataclass
class Run:
    """One ansible-playbook run, counted from the simulator's log and the hosts' results."""
    wall: float
    cpu: float  # ansible-playbook and every process it waited for (its forks, the modules)
    sim_cpu: float
    hosts: int
    failed: int  # hosts whose build or deployment failed, or that have no result
    requests: int  # the Serverless API's
    lookups: int  # the Accounts API's (each task's read of its subaccount)
    peak: int  # the most Serverless requests of one account in flight at once
    uploads: int
    throttled: int  # requests the simulator answered 429
    retries: int  # the modules' stats.retries, summed
    builds: int  # CreateBuild requests
    changed: int  # hosts whose build task reported changed
    runtimes: dict  # runtime -> hosts whose build has it
    failures: list  # (host, message) of the first few failed hosts
    causes: dict  # why the modules retried (their warnings' reasons) -> how many times
    load: float  # the 1-minute load average at the start

    @property
    def per_service(self):
        return self.requests / float(self.hosts) if self.hosts else float("nan")


def cpu_seconds(pid):
    """User + system CPU seconds of a running process (the simulator), from /proc."""
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, IndexError, ValueError):
        return float("nan")


def playbook_env(sim_url, accounts_url):
    env = env_for(type("S", (), {"url": sim_url}))
    env.update(TWILIO_ACCOUNT_SID=MAIN, TWILIO_AUTH_TOKEN=MAIN_TOKEN, ANSIBLE_HOST_KEY_CHECKING="false",
               ANSIBLE_DEPRECATION_WARNINGS="false")
    if accounts_url:
        env["TWILIO_ACCOUNTS_BASE_URL"] = accounts_url
    return env


RETRIED = re.compile(r"\A\d+ requests? (?:was|were) retried: (.*)\Z")
CAUSE = re.compile(r"\A(.*) \u00d7(\d+)\Z")


def retry_causes(warning):
    """{reason: count} from a module's warning on the requests it retried (TwilioClient.retry_summary)."""
    found = RETRIED.match(warning.strip())
    causes = collections.Counter()
    for part in found.group(1).split(", ") if found else ():
        cause = CAUSE.match(part)
        if cause:
            causes[cause.group(1)] += int(cause.group(2))
    return causes


def peak_in_flight(log, latency):
    """The most requests of one account (the log's ``user``) in flight at once: each admitted one from its
    arrival (its log time less the latency, which the simulator sleeps before logging it) to its answer."""
    events = collections.defaultdict(list)
    for entry in log:
        if entry["status"] != 429 and entry["answered"]:
            events[entry["user"]] += [(entry["time"] - latency, 1), (entry["answered"], -1)]
    peak = 0
    for changes in events.values():
        now = 0
        for dummy, change in sorted(changes, key=lambda c: (c[0], c[1])):
            now += change
            peak = max(peak, now)
    return peak


def run_fleet_playbook(sim, proc, env, inventory, extra, forks, latency):
    """Run the fleet playbook over the group ``fleet`` of ``inventory``; return a Run. A failed host is counted,
    never raised: the bench reports failures."""
    result_file, vars_file, out_file = work_file("result"), work_file("vars"), work_file("output")
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump(dict(extra, result_file=result_file, fleet_environment=ENVIRONMENT,
                       from_runtime=FROM_RUNTIME, to_runtime=TO_RUNTIME), handle)
    sim.clear()
    load = os.getloadavg()[0]
    sim_before = cpu_seconds(proc.pid)
    with open(out_file, "w", encoding="utf-8") as out:
        started = time.time()
        child = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                                  "-f", str(forks), os.path.join(PLAYBOOKS, PLAYBOOK), "-e", "@" + vars_file],
                                 env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.time() - started > RUN_CAP:
                os.killpg(child.pid, signal.SIGKILL)
            time.sleep(0.1)
        wall = time.time() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    sim_cpu = cpu_seconds(proc.pid) - sim_before
    log = sim.log()
    result = {}
    if os.path.exists(result_file):
        with open(result_file, encoding="utf-8") as handle:
            result = json.load(handle)
    if "end" in result:
        wall = result["end"] - started  # to the playbook's last task, as the other sections count
    hosts = result.get("hosts") or {}
    if not hosts:
        with open(out_file, encoding="utf-8") as handle:
            raise RuntimeError("the fleet playbook recorded nothing (exit %d):\n%s" % (
                child.returncode, handle.read()[-3000:]))
    failures, retries, changed, runtimes, causes = [], 0, 0, collections.Counter(), collections.Counter()
    for host, outcome in sorted(hosts.items()):
        build, deploy = outcome.get("build") or {}, outcome.get("deploy") or {}
        for part in (build, deploy):
            retries += int((part.get("stats") or {}).get("retries") or 0)
            for warning in part.get("warnings") or ():
                causes.update(retry_causes(warning))
        if not build or not deploy or build.get("failed") or deploy.get("failed"):
            failures.append((host, build.get("msg") or deploy.get("msg") or "no result"))
        changed += bool(build.get("changed"))
        runtimes[outcome.get("runtime")] += 1
    lookups = [e for e in log if e["route"] in ACCOUNTS_ROUTES]
    log = [e for e in log if e["route"] not in ACCOUNTS_ROUTES]
    return Run(wall, usage.ru_utime + usage.ru_stime, sim_cpu, len(hosts), len(failures),
               len(log), len(lookups), peak_in_flight(log, latency), sum(1 for e in log if e["route"] in UPLOAD_ROUTES),
               sum(1 for e in log if e["status"] == 429), retries,
               sum(1 for e in log if e["route"] == "create_build"), changed, dict(runtimes), failures[:3], dict(causes),
               load)


# -- the section -------------------------------------------------------------------
@dataclasses.dataclass
class FleetRow:
    row: str = column("row")
    approach: str = column("run")
    services: int = column("services")
    wall: float = column("wall s")
    requests: int = column("requests (Serverless)")
    per_service: float = column("requests per service")
    lookups: int = column("Accounts API reads")
    peak: int = column("peak in flight, one account")
    uploads: int = column("uploads")
    failures: int = column("failed hosts")
    throttled: str = column("429s answered / retries")
    cpu: float = column("CPU s (ansible + modules / simulator)")
    ratio: Optional[str] = column("wall / target", None)


def row(label, approach, run, ratio=None):
    return FleetRow(label, approach, run.hosts, run.wall, run.requests, run.per_service, run.lookups, run.peak,
                    run.uploads, run.failed,
                    "%d / %d" % (run.throttled, run.retries), "%.1f / %.1f" % (run.cpu, run.sim_cpu), ratio)


def median_run(runs):
    """The run of median wall time (an odd count: the middle one), with the spread of the walls."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[len(ordered) // 2], "%.2f-%.2f" % (ordered[0].wall, ordered[-1].wall)


def cpu_why(fleet, solo, cores, target):
    """Why the fleet's wall time misses its target, from this run's CPU measurements."""
    total = fleet.cpu + fleet.sim_cpu
    floor = total / cores
    return ("the target assumes %d forks run side by side as fast as one service runs alone. In this run the "
            "fleet's ansible-playbook, its forks and the modules used %.1f CPU s (%.2f s per service; one service "
            "alone: %.2f CPU s for %.2f s of wall) and the simulator %.1f CPU s: %.1f CPU s on %d cores take at least "
            "%.1f s of wall (%.2fx the target of %.1f s) whatever the requests' latency; the other %.1f s of the "
            "fleet's %.1f s are waits (requests, builds, the linear strategy's end of each task) and the machine's "
            "other load (1-minute load average %.1f at the start, on %d cores). That CPU alone fits in the target "
            "on %d or more free cores (%.1f CPU s / %.1f s)" % (
                FORKS, fleet.cpu, fleet.cpu / fleet.hosts, solo.cpu, solo.wall, fleet.sim_cpu, total, cores, floor,
                floor / target, target, max(fleet.wall - floor, 0.0), fleet.wall, fleet.load, cores,
                math.ceil(total / target), total, target))


def section_fleet(latency, runs, sections, targets):
    have = features()
    fleet, solos = fleet_services(), solo_services(runs)
    proc, url = start(seed(solos, ACCOUNT_CONCURRENCY), latency=latency)
    sim = Sim(url)
    env = playbook_env(url, proc.accounts_url)
    began = time.time()
    project = tempfile.mkdtemp(prefix="fleet-project-", dir=WORK)
    written = generate(project, shape=SHAPE)
    inventory = plugin_inventory() if have.inventory_plugin else static_inventory(fleet)
    solo_inventories = [static_inventory([s]) for s in solos]
    release = {"step": "release", "project": project}
    try:
        for service in fleet + solos:
            sim.new_build(service.sid, ready_in=BUILD_SECONDS)
        setup = run_fleet_playbook(sim, proc, env, inventory, release, FORKS, latency)
        solo_setup = run_fleet_playbook(sim, proc, env, static_inventory(solos), release, FORKS, latency)
        if setup.failed or solo_setup.failed:
            raise RuntimeError("the first release failed: %s" % (setup.failures + solo_setup.failures))
        # Row A: one service's unchanged runs (the same service each time: nothing changes), half of them before
        # the fleet's and half after, so that both meet the machine's load of the same minutes.
        solo_unchanged = [run_fleet_playbook(sim, proc, env, solo_inventories[0], release, FORKS, latency)
                          for dummy in range((runs + 1) // 2)]
        unchanged = run_fleet_playbook(sim, proc, env, inventory, release, FORKS, latency)
        solo_unchanged += [run_fleet_playbook(sim, proc, env, solo_inventories[0], release, FORKS, latency)
                           for dummy in range(runs // 2)]
        # Row B: one service's migrations (a service of its own each time: a migrated one has nothing left to
        # do), half before the fleet's and half after.
        migrate = {"step": "migrate"}
        solo_migrated = [run_fleet_playbook(sim, proc, env, i, migrate, FORKS, latency)
                         for i in solo_inventories[:(runs + 1) // 2]]
        migrated = run_fleet_playbook(sim, proc, env, inventory, migrate, FORKS, latency)
        solo_migrated += [run_fleet_playbook(sim, proc, env, i, migrate, FORKS, latency)
                          for i in solo_inventories[(runs + 1) // 2:]]
    finally:
        stop(proc)
    took = time.time() - began

    one, one_spread = median_run(solo_unchanged)
    one_migration, migration_spread = median_run(solo_migrated)
    size = len(fleet)
    target = one.wall * size / FORKS
    ratio = unchanged.wall / target
    title = "10. A fleet: %d subaccounts x %d services at forks %d" % (ACCOUNTS, SERVICES_PER_ACCOUNT, FORKS)
    sections.append(Section(title, [
        row("setup", "first release from source, fleet (forks %d)" % FORKS, setup),
        row("A. unchanged re-run", "one service (the median of %d runs, %s s)" % (runs, one_spread), one),
        row("A. unchanged re-run", "fleet, forks %d" % FORKS, unchanged, "%.2f (target 1.5)" % ratio),
        row("B. runtime migration %s to %s" % (FROM_RUNTIME, TO_RUNTIME),
            "one service (the median of %d services, %s s)" % (runs, migration_spread), one_migration),
        row("B. runtime migration %s to %s" % (FROM_RUNTIME, TO_RUNTIME), "fleet, forks %d" % FORKS, migrated),
    ], note(have, inventory, latency, written, runs, took, setup, unchanged, migrated)))

    targets.append(Target("Fleet unchanged re-run: at most 1.5x (one service's time x %d / %d)" % (size, FORKS),
                          ratio, 1.5, "%.1f s vs one service %.2f s x %d / %d = %.1f s (%.2fx)" % (
                              unchanged.wall, one.wall, size, FORKS, target, ratio),
                          why=cpu_why(unchanged, one, os.cpu_count(), target)))
    for label, run in (("Fleet unchanged re-run", unchanged), ("Fleet runtime migration", migrated)):
        targets.append(Target("%s: 0 uploads" % label, run.uploads, 0, "%d uploads" % run.uploads))
        targets.append(Target("%s: no failed host under the simulator's concurrency limit" % label, run.failed, 0,
                              "%d of %d hosts failed, %d requests answered 429" % (run.failed, run.hosts,
                                                                                   run.throttled),
                              why="; ".join("%s: %s" % f for f in run.failures)))
    targets.append(Target("Fleet unchanged re-run: no build made", unchanged.builds, 0,
                          "%d builds, %d hosts changed" % (unchanged.builds, unchanged.changed)))
    on_new = migrated.runtimes.get(TO_RUNTIME, 0)
    targets.append(Target("Fleet runtime migration: every live build rebuilt on %s" % TO_RUNTIME, on_new, size,
                          "%d of %d builds on %s" % (on_new, size, TO_RUNTIME), at_least=True,
                          why="runtimes of the hosts' builds: %s" % migrated.runtimes))


def causes_said(run):
    if not run.causes:
        return "nothing"
    return ", ".join("%s %d time%s" % (cause, n, "" if n == 1 else "s")
                     for cause, n in sorted(run.causes.items(), key=lambda c: -c[1]))


def note(have, inventory, latency, written, runs, took, setup, unchanged, migrated):
    inventory_said = ("the accounts inventory plugin (`include_services: true`, the fleet's subaccounts by name "
                      "pattern, a host per Service)" if inventory.endswith(".twilio_accounts.yml") else
                      "a static inventory written by the bench with the host vars the accounts inventory plugin "
                      "gives (a host per Service; the plugin is not in this checkout)")
    budget = ("`max_concurrent_requests` at its default" if have.budget_option
              else "the client has no concurrency budget in this checkout")
    return (
        "%d subaccounts of one main account (the simulator's `generate_accounts`), %d Services each, every Service "
        "with a build live in `%s`; hosts: %s; credentials: `subaccount_sid` from the host vars (module_defaults), "
        "the main account's credentials from the environment; the simulator answers 429 (20429) to a Serverless "
        "request that arrives while %d of the same account are in flight (a tenth of Twilio's, so that a fleet run "
        "can reach it: forks %d put up to %d Services of one account in flight, each uploading with up to 10 "
        "requests); %s. The simulator adds %d ms to every request and takes %g s for each build. The project "
        "(benchmarks/source_project.py, %d files, %d bytes) is first released to every Service at forks %d "
        "(`setup`), on %s. Row A runs the same playbook again (serverless_build from the folder against the live "
        "build, then serverless_deployment); row B makes each live build again on %s without the source "
        "(serverless_build `from_environment`, `runtime`), then deploys it. One service's runs use the same "
        "playbook with an inventory of one host, a Service of a subaccount of its own made as the fleet's, in "
        "this run. Requests, uploads and 429s are the simulator's log of the Serverless API (the Accounts API's "
        "reads are counted apart: each task's read of its subaccount, and with the inventory plugin its listing; "
        "the plugin's Services list of each subaccount is among the fleet's requests); retries are the modules' `stats.retries`; the peak is the "
        "most requests of one account in flight at once, from the log; CPU s is what ansible-playbook and every "
        "process it waited for used, and what the simulator used, in each run. One service's runs: half before the "
        "fleet's run, half after. In this run the setup's modules retried %s (their warnings' reasons); rows A "
        "and B had at most %d and %d requests of one account in flight (one at a time per Service), under the "
        "limit of %d. Section run in %.0f s; the 1-minute load average at the start of the fleet runs %.1f and "
        "%.1f, on %d cores." % (
            ACCOUNTS, SERVICES_PER_ACCOUNT, ENVIRONMENT, inventory_said, ACCOUNT_CONCURRENCY, FORKS,
            SERVICES_PER_ACCOUNT, budget, latency * 1000, BUILD_SECONDS, len(written) - 1, sum(written.values()),
            FORKS, FROM_RUNTIME, TO_RUNTIME, causes_said(setup), unchanged.peak, migrated.peak, ACCOUNT_CONCURRENCY,
            took, unchanged.load, migrated.load, os.cpu_count()))


if __name__ == "__main__":
    sys.exit("run through bench.py: benchmarks/bench.py --only 10")
