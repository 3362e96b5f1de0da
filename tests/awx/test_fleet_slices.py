# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX recipe's fleet release (docs/awx/README.md, "A fleet of accounts") run as AWX runs it, against a simulator
of its own holding a main account with subaccounts, each with Services.

- The inventory update: ``ansible-inventory --list`` over ``project/inventory/fleet.twilio_accounts.yml`` with the
  "Twilio API" credential of the main account injected, as AWX syncs an inventory source; what it lists is what
  AWX stores, so it is searched for secrets too.
- The sliced job template: AWX orders the inventory's hosts by name and gives slice i of n (from 1) the hosts
  ``[i-1::n]`` (``Inventory.get_sliced_hosts``), each slice a job of its own, run at the same time. Here each slice
  is an ansible-runner job over the listed inventory with that slice as its ``limit`` and forks 5.
- The "Fleet report" node after the slices: the slices' artifacts (set_stats) merged key by key, as AWX hands a
  node its parents' artifacts, given as extra vars to ``fleet_report.yml``.

Asserted from the simulator's log (every Service built and deployed to each environment once) and from the jobs'
output, events and artifacts (the report; no secret, main or subaccount, whole or in part).
"""

import json
import os
import shutil
import subprocess
import sys

import ansible_runner
import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX = os.path.join(ROOT, "docs", "awx")
PROJECT = os.path.join(AWX, "project")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_runner_job import assert_no_secret, injected_env  # noqa: E402  pylint: disable=C0413,E0401
from twilio_sim.control import Control  # noqa: E402  pylint: disable=C0413
from twilio_sim.launcher import start, stop  # noqa: E402  pylint: disable=C0413
from twilio_sim.store import generated_account  # noqa: E402  pylint: disable=C0413

MAIN = {"sid": "AC" + "1" * 32, "auth_token": "fleet-main-tok-5e2a9c71"}
ACCOUNTS, SERVICES_EACH, SLICES, FORKS = 3, 2, 2, 5
SUBACCOUNTS = [generated_account("fleet", index) for index in range(ACCOUNTS)]
ENVIRONMENTS = ("staging", "production")


def secret_parts(secret, size=8):
    """The secret and its runs of ``size`` characters holding two digits or more: a leak of a part is a leak."""
    parts = [secret[i:i + size] for i in range(len(secret) - size + 1)]
    return (secret,) + tuple(p for p in parts if sum(c.isdigit() for c in p) >= 2)


SECRETS = tuple(part for token in [MAIN["auth_token"]] + [token for dummy, token, dummy in SUBACCOUNTS]
                for part in secret_parts(token))


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """The simulator, and the environment an AWX job gets: the main account's credential, the domains' URL."""
    folder = tmp_path_factory.mktemp("fleet")
    seed = folder / "seed.json"
    seed.write_text(json.dumps({"accounts": [MAIN], "services": [], "generate_accounts": {
        "owner": MAIN["sid"], "count": ACCOUNTS, "services_per_account": SERVICES_EACH, "prefix": "fleet"}}))
    proc, url = start(str(seed))
    try:
        env = injected_env({"account_sid": MAIN["sid"], "auth_token": MAIN["auth_token"], "base_url": url,
                            "accounts_base_url": proc.accounts_url}, str(folder))
        env.update(ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"],
                   TWILIO_SERVERLESS_DOMAIN_BASE_URL=url + "/__sim/domains/{domain_name}")
        yield url, env
    finally:
        stop(proc)


def inventory_update(env, folder):
    """What AWX stores after syncing the inventory source: the plugin's hosts and variables, as YAML."""
    listed = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "--list", "--yaml",
                             "-i", os.path.join(PROJECT, "inventory", "fleet.twilio_accounts.yml")],
                            env=dict(os.environ, **env), capture_output=True, text=True, check=True)
    path = folder / "inventory.yml"
    path.write_text(listed.stdout)
    for secret in SECRETS:
        assert secret not in listed.stdout + listed.stderr, "a secret in the inventory AWX would store"
    return str(path)


def job(folder, name, env, playbook, inventory, extravars, limit=None):
    """One AWX job: a private data dir with the project (and the Serverless project as ``serverless``)."""
    private = folder / name
    shutil.copytree(PROJECT, str(private / "project"))
    shutil.copytree(os.path.join(ROOT, "docs", "examples", "project"), str(private / "project" / "serverless"))
    return private, ansible_runner.run_async(
        private_data_dir=str(private), playbook=playbook, inventory=inventory, envvars=env, extravars=extravars,
        limit=limit, forks=FORKS, quiet=True, suppress_env_files=True)


def finished(private, started, expect="successful"):
    thread, runner = started
    thread.join()
    stdout = runner.stdout.read()
    assert runner.status == expect, stdout[-3000:]
    assert_no_secret(private / "artifacts", SECRETS)
    return runner, stdout


def test_the_recipe_s_playbook_is_the_example():
    with open(os.path.join(PROJECT, "fleet_release.yml"), "rb") as recipe, \
            open(os.path.join(ROOT, "docs", "examples", "fleet_release.yml"), "rb") as example:
        assert recipe.read() == example.read(), "copy docs/examples/fleet_release.yml to docs/awx/project"


def test_a_sliced_fleet_release_then_one_report(tmp_path, fleet):
    url, env = fleet
    inventory = inventory_update(env, tmp_path)
    with open(inventory, encoding="utf-8") as handle:
        hosts = sorted(yaml.safe_load(handle)["all"]["children"]["twilio_accounts"]["hosts"])
    assert len(hosts) == ACCOUNTS * SERVICES_EACH
    extravars = {"source": "{{ playbook_dir }}/serverless", "verify_settle": 0}
    slices = [hosts[index::SLICES] for index in range(SLICES)]
    started = [job(tmp_path, "slice-%d" % (index + 1), env, "fleet_release.yml", inventory, extravars,
                   limit=",".join(names)) for index, names in enumerate(slices)]
    artifacts = {}
    for (private, run), names in zip(started, slices):
        runner, stdout = finished(private, run)
        assert ("fleet: %d services in %d accounts, %d changed, 0 failed, 0 failed their verification; same source "
                "everywhere: True" % (len(names), len(set(h.split("_")[0] for h in names)), len(names))) in " ".join(
                    stdout.split())
        [stats] = [e["event_data"] for e in runner.events if e["event"] == "playbook_on_stats"]
        assert sorted(stats["artifact_data"]) == sorted("fleet_release_" + h.replace("-", "_") for h in names)
        artifacts.update(stats["artifact_data"])

    # Every Service of every subaccount built once and made live once in each environment, by its own account.
    log = Control(url).log()
    builds = [e for e in log if e["route"] == "create_build"]
    deployments = [e for e in log if e["route"] == "create_deployment"]
    assert len(builds) == len(hosts) and len(set(e["path"] for e in builds)) == len(hosts)
    assert len(deployments) == len(hosts) * len(ENVIRONMENTS) == len(set(e["path"] for e in deployments))

    private, run = job(tmp_path, "report", env, "fleet_report.yml", inventory, artifacts)
    dummy, stdout = finished(private, run)
    assert ("fleet: %d services in %d accounts, %d changed, 0 failed, 0 failed their verification; same source "
            "everywhere: True" % (len(hosts), ACCOUNTS, len(hosts))) in " ".join(stdout.split())

    # A check that cannot pass, on one host: its verification fails (staging, the first), the host is rescued,
    # and the report fails the job naming it; nothing else was deployed.
    log_before = len(Control(url).log())
    private, run = job(tmp_path, "broken", env, "fleet_release.yml", inventory,
                       dict(extravars, verify_checks=[{"path": "/hello", "contains": "nope"}]), limit=hosts[0])
    dummy, stdout = finished(private, run, expect="failed")
    said = " ".join(stdout.split())
    assert "fleet: 1 services in 1 accounts, 0 changed, 1 failed, 1 failed their verification" in said
    assert "verification failed: %s;" % hosts[0] in said and "rescued=1" in said
    assert [e for e in Control(url).log()[log_before:] if e["method"] == "POST"] == []

    # A slice that never ran: its hosts have no record, and the report fails naming them.
    private, run = job(tmp_path, "report-half", env, "fleet_report.yml", inventory,
                       dict((key, value) for key, value in artifacts.items() if value["host"] in slices[0]))
    dummy, stdout = finished(private, run, expect="failed")
    assert "failed: %s;" % ", ".join(sorted(slices[1])) in " ".join(stdout.split())
