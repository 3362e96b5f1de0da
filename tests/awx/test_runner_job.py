# SPDX-License-Identifier: GPL-3.0-or-later
"""A playbook run the way an AWX job template runs it: through ansible-runner,
with the credentials injected as the "Twilio API" credential type's injectors
define them, and extra vars; no secret may appear in the runner's artifacts."""

import os
import shutil
import sys

import ansible_runner
from jinja2.sandbox import SandboxedEnvironment
import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from twilio_sim.launcher import TEST_SEED, credentials, start, stop  # noqa: E402  pylint: disable=C0413

_CREDENTIALS = credentials(TEST_SEED)
ACCOUNT = _CREDENTIALS["account_sid"]
TOKEN = _CREDENTIALS["auth_token"]
KEY = _CREDENTIALS["api_key"]
SECRET = _CREDENTIALS["api_secret"]
SECRETS = (TOKEN, SECRET)


def injected_env(inputs, folder=None):
    """The environment AWX injects: the credential type's file and env injectors, rendered with the inputs.

    AWX renders a blank field as an empty string, and writes each file
    injector to a file of its own, named in ``tower.filename``; so does this.
    """
    with open(os.path.join(ROOT, "docs", "awx", "credential_type.yml"), encoding="utf-8") as handle:
        credential_type = yaml.safe_load(handle)
    fields = [field["id"] for field in credential_type["inputs"]["fields"]]
    context = dict((name, inputs.get(name, "")) for name in fields)
    sandbox = SandboxedEnvironment()
    filenames = {}
    for name, template in credential_type["injectors"].get("file", {}).items():
        path = os.path.join(folder or ROOT, "awx-file-" + name.split(".", 1)[1])
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(sandbox.from_string(template).render(**context))
        filenames[name.split(".", 1)[1]] = path
    context["tower"] = {"filename": filenames}
    return dict((name, sandbox.from_string(template).render(**context))
                for name, template in credential_type["injectors"]["env"].items())


@pytest.fixture(scope="module")
def simulator():
    proc, url = start(TEST_SEED)
    try:
        yield url
    finally:
        stop(proc)


def run_job(tmp_path, env, extravars, verbosity=0):
    private = tmp_path / "job"
    (private / "project").mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, "docs", "examples", "release_pipeline.yml"), private / "project")
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"],
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    result = ansible_runner.run(private_data_dir=str(private), playbook="release_pipeline.yml", envvars=env,
                                extravars=extravars, inventory="localhost ansible_connection=local",
                                verbosity=verbosity, quiet=True,
                                # as AWX runs jobs (its AWX_RUNNER_OMIT_ENV_FILES setting, on by default)
                                suppress_env_files=True)
    return result, private / "artifacts"


def assert_no_secret(artifacts, secrets=SECRETS):
    """No secret in any artifact that Ansible or the modules produced.

    The one file left out is ansible-runner's ``command``: the runner's own
    record of the command and environment it was handed (the injected
    credentials included, by design of env injectors), written owner-only
    whatever the settings. It is input, not output; AWX keeps it out of the
    job's visible data.
    """
    searched = []
    for folder, dummy, files in os.walk(artifacts):
        for name in files:
            path = os.path.join(folder, name)
            if name == "command" and os.path.dirname(folder) == str(artifacts):
                assert os.stat(path).st_mode & 0o077 == 0, "the runner's command record is readable by others"
                continue
            with open(path, "rb") as handle:
                data = handle.read()
            searched.append(name)
            for secret in secrets:
                assert secret.encode() not in data, "secret found in %s" % path
    assert "stdout" in searched and any(name.endswith(".json") for name in searched)  # output and job events


@pytest.mark.parametrize("inputs", [
    {"account_sid": ACCOUNT, "api_key": KEY, "api_secret": SECRET},
    {"account_sid": ACCOUNT, "auth_token": TOKEN},
    {"account_sid": ACCOUNT, "auth_token": TOKEN, "api_key": KEY, "api_secret": SECRET},
], ids=["api-key", "auth-token", "both"])
def test_job_succeeds_without_leaking(tmp_path, simulator, inputs):
    env = injected_env(dict(inputs, base_url=simulator), str(tmp_path))
    assert env["TWILIO_REGION"] == "" and env["TWILIO_ACCOUNT_SID"] == ACCOUNT
    assert env["TWILIO_SERVERLESS_CA_PATH"] == ""  # a blank CA field names no file
    result, artifacts = run_job(tmp_path, env, {"service": "small-app", "wait_timeout": 30}, verbosity=4)
    stdout = result.stdout.read()
    assert result.status == "successful" and result.rc == 0, stdout[-3000:]
    assert "Build ZB00000000000000000000000000000001 completed" in stdout
    assert "production: ZB00000000000000000000000000000001" in stdout
    events = [e for e in result.events if e.get("event") == "runner_on_ok"]
    assert any("serverless_build_wait" in str(e["event_data"].get("task_action")) for e in events)
    assert_no_secret(artifacts)


def test_job_with_bad_secret_fails_cleanly_without_leaking(tmp_path, simulator):
    env = injected_env({"account_sid": ACCOUNT, "auth_token": "bad-" + TOKEN, "base_url": simulator}, str(tmp_path))
    result, artifacts = run_job(tmp_path, env, {"service": "small-app"}, verbosity=4)
    stdout = result.stdout.read()
    assert result.status == "failed", stdout[-2000:]
    assert "Twilio rejected the credentials" in stdout and "Traceback" not in stdout
    assert_no_secret(artifacts, SECRETS + ("bad-" + TOKEN,))


def test_ca_bundle_field_is_injected_as_a_file(tmp_path):
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    env = injected_env({"account_sid": ACCOUNT, "auth_token": TOKEN, "ca_bundle": pem}, str(tmp_path))
    with open(env["TWILIO_SERVERLESS_CA_PATH"], encoding="utf-8") as handle:
        assert handle.read() == pem
