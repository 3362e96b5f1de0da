# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/utils/check_artifact.py (`make artifact-check`) reads what must ship from the tree and meta/runtime.yml.

Each case builds a small checkout and an artifact of it that agree, changes one thing, and expects the problem.
"""

import io
import os
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))

import check_artifact  # noqa: E402  pylint: disable=wrong-import-position,import-error

RUNTIME = "---\nrequires_ansible: '>=2.16.0'\naction_groups:\n  twilio:\n    - one_info\n    - two\n"
TREE = ("plugins/modules/one_info.py", "plugins/modules/two.py", "plugins/module_utils/_core/sids.py",
        "plugins/doc_fragments/twilio.py", "roles/release/tasks/main.yml")


def checkout(root):
    for name in TREE:
        os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
        with open(os.path.join(root, name), "w", encoding="utf-8") as handle:
            handle.write("# x\n")
    os.makedirs(os.path.join(root, "plugins", "modules", "__pycache__"))
    open(os.path.join(root, "plugins", "modules", "__pycache__", "two.cpython-311.pyc"), "w").close()


def artifact(path, files, runtime=RUNTIME):
    contents = dict.fromkeys(list(check_artifact.REQUIRED) + list(files), "# x\n")
    contents["meta/runtime.yml"] = runtime
    with tarfile.open(path, "w:gz") as tar:
        for name, text in contents.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return str(path)


def problems(tmp_path, capsys, files=TREE, runtime=RUNTIME):
    checkout(str(tmp_path / "tree"))
    status = check_artifact.main(artifact(tmp_path / "a.tar.gz", files, runtime), root=str(tmp_path / "tree"))
    err = capsys.readouterr().err
    found = [line[len("FAILED: "):] for line in err.splitlines()]
    assert status == (1 if found else 0)
    return found


def test_an_artifact_that_agrees_passes(tmp_path, capsys):
    assert problems(tmp_path, capsys) == []


def test_every_file_of_plugins_and_roles_must_ship(tmp_path, capsys):
    assert problems(tmp_path, capsys, files=[name for name in TREE if "_core" not in name]) == [
        "missing: plugins/module_utils/_core/sids.py"]


def test_a_dist_folder_in_the_artifact_fails(tmp_path, capsys):
    """README's build command writes to dist/ in the checkout; a build that packs it ships a stale artifact."""
    (tmp_path / "old").mkdir()
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path / "old", capsys, files=TREE + ("dist/twilio_community-serverless-0.2.0.tar.gz",)) == [
        "should not be shipped: dist/twilio_community-serverless-0.2.0.tar.gz (matches *.tar.gz)"]
    assert problems(tmp_path / "empty", capsys, files=TREE + ("dist/notes.txt",)) == [
        "should not be shipped: dist/notes.txt (matches dist/*)"]


def test_a_module_left_out_of_the_action_group_fails(tmp_path, capsys):
    runtime = RUNTIME.replace("    - two\n", "")
    assert problems(tmp_path, capsys, runtime=runtime) == [
        "plugins/modules/two.py ships but is not in the twilio action group of meta/runtime.yml"]


def test_a_member_of_the_action_group_must_ship(tmp_path, capsys):
    runtime = RUNTIME + "    - three\n"
    assert problems(tmp_path, capsys, runtime=runtime) == [
        "missing: plugins/modules/three.py (in the twilio action group of meta/runtime.yml)"]


def test_no_action_group_fails(tmp_path, capsys):
    assert problems(tmp_path, capsys, runtime="---\nrequires_ansible: '>=2.16.0'\n") == [
        "meta/runtime.yml has no action group twilio listing the modules"]


def test_the_real_artifact_requires_every_module_of_the_tree():
    """The checkout's own modules are in what the check requires (read from plugins/), not in a hand list."""
    required = check_artifact.tree_files(ROOT)
    modules = sorted(name for name in os.listdir(os.path.join(ROOT, "plugins", "modules")) if name.endswith(".py"))
    assert modules and all("plugins/modules/" + name in required for name in modules)
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in required)
