# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX recipe (docs/awx/README.md) run as AWX runs it: each job template's playbook from docs/awx/project,
with its inventory file, the extra variables its survey (docs/awx/surveys) gives, and the credentials the
"Twilio API" credential type injects, through ansible-runner, against a simulator of its own.

What is asserted comes from the simulator's request log (the POSTs that create deployments) and its state,
not from what the playbooks say about themselves.
"""

import base64
import json
import os
import shutil
import sys
import urllib.request

import ansible_runner
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX = os.path.join(ROOT, "docs", "awx")
PROJECT = os.path.join(AWX, "project")
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_runner_job import assert_no_secret, injected_env  # noqa: E402  pylint: disable=C0413,E0401
from twilio_sim.control import Control  # noqa: E402  pylint: disable=C0413
from twilio_sim.launcher import TEST_SEED, credentials, start, stop  # noqa: E402  pylint: disable=C0413

CREDENTIALS = credentials(TEST_SEED)
SERVICE = "small-app"
# small-app in the test seed: staging and production run build 3; build 1 is the newest completed one.
BUILD_1 = "ZB00000000000000000000000000000001"
BUILD_3 = "ZB00000000000000000000000000000003"


def survey_vars(name, **answers):
    """The extra variables a survey launch gives: each question's default, then the answers."""
    with open(os.path.join(AWX, "surveys", name + ".json"), encoding="utf-8") as handle:
        spec = json.load(handle)["spec"]
    values = dict((question["variable"], question.get("default")) for question in spec)
    unknown = set(answers) - set(values)
    assert not unknown, "not a question of the %s survey: %s" % (name, unknown)
    values.update(answers)
    return values


@pytest.fixture(scope="module")
def simulator():
    proc, url = start(TEST_SEED)
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def job_env(simulator, tmp_path_factory):
    inputs = {"account_sid": CREDENTIALS["account_sid"], "api_key": CREDENTIALS["api_key"],
              "api_secret": CREDENTIALS["api_secret"], "base_url": simulator}
    return injected_env(inputs, str(tmp_path_factory.mktemp("credential")))


def launch(tmp_path, env, playbook, extravars, source=None, secrets=()):
    """One job: a fresh private data dir with the project (and ``source`` copied into it as the project folder
    ``serverless``, as the user's repository holds it), its inventory file, the extra vars."""
    private = tmp_path / ("job-%s-%d" % (playbook.split(".")[0], len(list(tmp_path.iterdir()))))
    shutil.copytree(PROJECT, str(private / "project"))
    if source:
        shutil.copytree(source, str(private / "project" / "serverless"))
    with open(os.path.join(PROJECT, "inventory", "hosts.ini"), encoding="utf-8") as handle:
        inventory = handle.read()
    result = ansible_runner.run(private_data_dir=str(private), playbook=playbook, inventory=inventory,
                                envvars=dict(env, ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"]),
                                extravars=extravars, quiet=True, suppress_env_files=True)
    stdout = result.stdout.read()
    assert result.status == "successful" and result.rc == 0, stdout[-3000:]
    assert_no_secret(private / "artifacts", (CREDENTIALS["auth_token"], CREDENTIALS["api_secret"]) + tuple(secrets))
    return stdout


def deployment_posts(sim):
    return [e for e in sim.log() if e["method"] == "POST" and e["path"].rstrip("/").endswith("/Deployments")]


def environments(url):
    """The service's environments, read from the simulator's API."""
    request = urllib.request.Request("%s/v1/Services/%s/Environments" % (url, SERVICE))
    token = base64.b64encode(("%s:%s" % (CREDENTIALS["account_sid"], CREDENTIALS["auth_token"])).encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())["environments"]


def live_builds(url):
    """What each environment of the service runs."""
    return dict((env["unique_name"], env["build_sid"]) for env in environments(url))


def deployed_to(url, posts):
    """The environments the deployment POSTs went to, in order, by unique name."""
    names = dict((env["sid"], env["unique_name"]) for env in environments(url))
    return [names.get(post["path"].rstrip("/").split("/")[-2]) for post in posts]


@pytest.fixture(scope="module")
def released(simulator, job_env, tmp_path_factory):
    """The Release template launched by a CI system with build 1, twice: {run: deployment POSTs}."""
    sim = Control(simulator)
    tmp_path = tmp_path_factory.mktemp("release")
    assert live_builds(simulator) == {"staging": BUILD_3, "production": BUILD_3}
    posts = {}
    for run in ("first", "second"):
        sim.clear()
        answers = survey_vars("release", service=SERVICE, build_sid=BUILD_1, wait_timeout=30)
        launch(tmp_path, job_env, "release.yml", answers)
        posts[run] = deployment_posts(sim)
    return posts


def test_release_template_deploys_the_ci_build_once(simulator, released):
    assert deployed_to(simulator, released["first"]) == ["staging", "production"]
    assert released["second"] == [], "a relaunch deploys nothing"
    assert live_builds(simulator) == {"staging": BUILD_1, "production": BUILD_1}


@pytest.fixture(scope="module")
def rolled_back_once(simulator, job_env, released, tmp_path_factory):
    sim = Control(simulator)
    sim.clear()
    stdout = launch(tmp_path_factory.mktemp("rollback"), job_env, "rollback.yml",
                    survey_vars("rollback", service=SERVICE, target_environment="production"))
    return stdout, deployment_posts(sim)


def test_rollback_template_goes_back_to_the_build_before(simulator, rolled_back_once):
    stdout, posts = rolled_back_once
    assert deployed_to(simulator, posts) == ["production"]
    assert "production runs %s (rolled back from %s)" % (BUILD_3, BUILD_1) in stdout
    assert live_builds(simulator) == {"staging": BUILD_1, "production": BUILD_3}


def test_rollback_template_relaunched_changes_nothing(simulator, job_env, rolled_back_once, tmp_path):
    sim = Control(simulator)
    sim.clear()
    launch(tmp_path, job_env, "rollback.yml", survey_vars("rollback", service=SERVICE,
                                                          target_environment="production"))
    assert deployment_posts(sim) == [], "a relaunched roll back must not deploy again"
    assert live_builds(simulator) == {"staging": BUILD_1, "production": BUILD_3}


# -- Release from source: the same playbook with source_dir, the survey release_source.json, and the variables'
# values injected by the "Twilio Serverless variables" credential type as AWX injects them (extra_vars).
EXAMPLE_PROJECT = os.path.join(ROOT, "docs", "examples", "project")
SOURCE_SECRETS = ("awx-staging-secret-41c7", "awx-production-secret-0be2")


def injected_variables():
    """The extra variables the "Twilio Serverless variables" credential injects, rendered as AWX renders them."""
    import yaml
    from jinja2.sandbox import SandboxedEnvironment
    with open(os.path.join(AWX, "credential_type_variables.yml"), encoding="utf-8") as handle:
        credential_type = yaml.safe_load(handle)
    value = json.dumps({"staging": {"SUPPORT_API_TOKEN": SOURCE_SECRETS[0]},
                        "production": {"SUPPORT_API_TOKEN": SOURCE_SECRETS[1]}})
    sandbox = SandboxedEnvironment()
    return dict((name, sandbox.from_string(template).render(variables_json=value))
                for name, template in credential_type["injectors"]["extra_vars"].items())


def writes(sim):
    return [e for e in sim.log() if e["method"] != "GET"]


def test_release_from_source_template(simulator, job_env, tmp_path):
    """A service the seed lacks: the first launch (staging) makes it, its environment and variables, and a build;
    the second (production) promotes the build staging runs; a relaunch writes nothing."""
    sim = Control(simulator)
    runs = {}
    for run, target in (("staging", "staging"), ("production", "production"), ("relaunch", "production")):
        sim.clear()
        answers = survey_vars("release_source", service="awx-source-app", target_environment=target,
                              wait_timeout=30)
        # Each environment verified on its domain (the simulator serves it) before the next: /hello answers 200.
        checks = dict(verify_checks=[{"path": "/hello", "contains": "served by build"}], verify_settle=0)
        launch(tmp_path, dict(job_env, TWILIO_SERVERLESS_DOMAIN_BASE_URL=simulator + "/__sim/domains/{domain_name}"),
               "release.yml", dict(answers, **dict(checks, **injected_variables())), source=EXAMPLE_PROJECT,
               secrets=SOURCE_SECRETS)
        runs[run] = writes(sim)
    first = [e["route"] for e in runs["staging"]]
    assert first.count("create_service") == 1 and first.count("create_build") == 1
    assert first.count("create_deployment") == 1 and first.count("create_variable") == 1
    second = [e["route"] for e in runs["production"]]
    assert sorted(second) == ["create_deployment", "create_environment", "create_variable"], second
    assert runs["relaunch"] == [], "a relaunch with nothing changed writes nothing"
    # A launch verifies each environment it releases, also when nothing changed: the relaunch called /hello in
    # staging, then in production.
    assert [e["route"] for e in sim.log()].count("domain") == 2
