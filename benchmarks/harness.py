# SPDX-License-Identifier: GPL-3.0-or-later
"""What every benchmark needs: the simulator's seed, playbook runs with a budget, and measurements."""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
PLAYBOOKS = os.path.join(ROOT, "benchmarks", "playbooks")

ACCOUNT = "AC" + "a" * 32
TOKEN = "bench-token-not-a-secret"
SERVICES = {"10k": ("ZS" + "1" * 32, 10000), "1k": ("ZS" + "2" * 32, 1000), "100k": ("ZS" + "3" * 32, 100000),
            "wait": ("ZS" + "4" * 32, 0), "many-loop": ("ZS" + "5" * 32, 0), "logs": ("ZS" + "6" * 32, 0)}
# Section 3: a service of its own for each awaited build, so each has the history of its own builds (as a
# service has, with one build in flight) and the awaited builds of one run do not crowd the history listing.
for _n in range(200):
    SERVICES["wait-%d" % _n] = ("ZS%032x" % (0xabc0000 + _n), 0)
# Section 3b: services with no finished build at all.
for _n in range(4):
    SERVICES["no-history-%d" % _n] = ("ZS%032x" % (0xdef0000 + _n), 0)
# Only against a hang: far above any run of the uri listing loop at PageSize 1000, tuned to no target.
URI_SAFETY_CAP = 600  # s
WORK = tempfile.mkdtemp(prefix="bench-")  # private (0700): result, vars and args files go here
COUNTER = iter(range(1, 1000000))


MODULE = os.path.join(COLLECTIONS, "ansible_collections", "twilio_community", "serverless", "plugins", "modules")


def work_file(prefix):
    return os.path.join(WORK, "%s-%d.json" % (prefix, next(COUNTER)))


def seed_file():
    services = []
    for name, (sid, count) in SERVICES.items():
        spec = {"account_sid": ACCOUNT, "sid": sid, "unique_name": "bench-" + name}
        if count:
            # the newest build is completed; every 7th older one failed
            spec["generate"] = {"count": count, "failed_every": 7, "interval": 60, "runtimes": ["node22", "node20"]}
        services.append(spec)
    path = work_file("seed")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"accounts": [{"sid": ACCOUNT, "auth_token": TOKEN}], "services": services}, handle)
    return path


def env_for(sim):
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
                TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_SERVERLESS_BASE_URL=sim.url,
                PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])


def playbook(sim, name, extra):
    """Start ansible-playbook; return (process, started, result file)."""
    result_file = work_file("result")
    extra = dict(extra, result_file=result_file, account_sid=ACCOUNT, auth_token=TOKEN)
    vars_file = work_file("vars")
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump(extra, handle)
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
                             "-c", "local", os.path.join(PLAYBOOKS, name), "-e", "@" + vars_file],
                            env=env_for(sim), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    return proc, time.time(), result_file


class OverBudget(Exception):
    def __init__(self, wall):
        super().__init__("over budget after %.0f s" % wall)
        self.wall = wall


def finish(proc, started, result_file, budget=None):
    try:
        output = proc.communicate(timeout=budget)[0]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # ansible-playbook and its forked workers
        proc.communicate()
        raise OverBudget(time.time() - started)
    wall = time.time() - started
    if proc.returncode != 0:
        raise RuntimeError("playbook failed:\n" + output[-3000:])
    result = {}
    if os.path.exists(result_file):
        with open(result_file, encoding="utf-8") as handle:
            result = json.load(handle)
    if "end" in result:
        # processes run side by side are collected one after another: use
        # the end time the playbook itself recorded
        wall = result["end"] - started
    return wall, result


def run_playbook(sim, name, extra):
    return finish(*playbook(sim, name, extra))


def requests_and_connections(entries, route=None):
    entries = [e for e in entries if route is None or e["route"] == route]
    return len(entries), len({e["connection"] for e in entries})


def median_runs(fn, runs):
    values = [fn() for dummy in range(runs)]
    return statistics.median(values), values


def module_peak_rss(sim, args):
    """Run the module file as Ansible does (a child process reading its args), return its peak RSS in MiB."""
    args_file = work_file("args")
    with open(args_file, "w", encoding="utf-8") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": dict(args, account_sid=ACCOUNT, auth_token=TOKEN,
                                               base_url=sim.url)}, handle)
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    proc = subprocess.Popen([sys.executable, os.path.join(MODULE, "serverless_build_info.py"), args_file],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    dummy, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("module failed: %s" % stderr[-2000:])
    return usage.ru_maxrss / 1024.0
