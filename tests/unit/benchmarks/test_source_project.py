# SPDX-License-Identifier: GPL-3.0-or-later
"""benchmarks/source_project.py, the project `make bench` section 7 builds: the same bytes on every run, the
sizes the issue asks for (20 functions, 100 assets, some binary, about 5 MB), a folder serverless_build takes
as it is, and each change helper changing exactly one file."""

import hashlib
import os
import sys

from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import scan_project

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import source_project  # noqa: E402  pylint: disable=wrong-import-position,import-error


def digests(folder):
    found = {}
    for directory, dummy, names in os.walk(folder):
        for name in names:
            full = os.path.join(directory, name)
            with open(full, "rb") as handle:
                found[os.path.relpath(full, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def test_the_same_bytes_on_every_run(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    written = source_project.generate(str(first))
    assert source_project.generate(str(second)) == written
    assert digests(str(first)) == digests(str(second))
    # Another seed gives other bytes: the seed, not chance, makes the runs agree.
    source_project.generate(str(tmp_path / "c"), seed=1)
    assert digests(str(tmp_path / "c")) != digests(str(first))


def test_the_asked_sizes_as_serverless_build_reads_them(tmp_path):
    written = source_project.generate(str(tmp_path))
    project = scan_project(str(tmp_path))
    kinds = [f.kind for f in project.files]
    assert kinds.count("function") == 20 and kinds.count("asset") == 100
    assert not project.skipped and project.package_json["dependencies"]
    total = sum(written.values())
    assert abs(total - 5 * 1024 * 1024) <= 0.01 * 5 * 1024 * 1024, total
    binary = 0
    for f in project.files:
        with open(f.local_path, "rb") as handle:
            data = handle.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            binary += 1
            assert f.kind == "asset"
    assert binary == source_project.BINARY_ASSETS
    # Every visibility occurs, as in a real project.
    assert {f.visibility for f in project.files if f.kind == "function"} == {"public", "protected", "private"}
    assert {f.visibility for f in project.files if f.kind == "asset"} == {"public", "private"}


def test_each_change_changes_one_file_of_its_kind(tmp_path):
    source_project.generate(str(tmp_path))
    before = digests(str(tmp_path))
    changed = source_project.change_function(str(tmp_path))
    after = digests(str(tmp_path))
    assert [p for p in before if before[p] != after[p]] == [os.path.join(*changed.split("/"))]
    assert changed.startswith("functions/") and changed.endswith(".js")
    changed = source_project.change_asset(str(tmp_path))
    final = digests(str(tmp_path))
    assert [p for p in after if after[p] != final[p]] == [os.path.join(*changed.split("/"))]
    assert changed.startswith("assets/")


def test_a_smaller_shape_for_the_fleet(tmp_path):
    shape = source_project.Shape(functions=5, assets=10, binary_assets=2, total_bytes=100 * 1024)
    written = source_project.generate(str(tmp_path), shape=shape)
    project = scan_project(str(tmp_path))
    kinds = [f.kind for f in project.files]
    assert kinds.count("function") == 5 and kinds.count("asset") == 10 and not project.skipped
    assert abs(sum(written.values()) - 100 * 1024) <= 0.05 * 100 * 1024  # functions overshoot by a line or so
    # The default is still section 7's project, byte for byte.
    assert source_project.sizes() == source_project.sizes(source_project.Shape())
