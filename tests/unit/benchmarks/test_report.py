# SPDX-License-Identifier: GPL-3.0-or-later
"""benchmarks/report.py's splice: a section run alone (`bench.py --only N --update`) replaces its own section and
targets in docs/performance.md and leaves every other line as the full run wrote it."""

import dataclasses
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from report import Section, Target, column, render, splice  # noqa: E402  pylint: disable=wrong-import-position,import-error


@dataclasses.dataclass
class Row:
    name: str = column("name")
    seconds: float = column("s")


def full_run():
    sections = [Section("1. One", [Row("a", 1.0)], "note one"), Section("2. Two", [Row("b", 2.0)])]
    targets = [Target("One: fast", 1.0, 2.0, "1 s"), Target("Two: fast", 3.0, 2.0, "3 s", why="two is slow"),
               Target("Two: small", 1.0, 2.0, "1 B")]
    return render(sections, targets, 0.02, 3, 3, 10.0)


def test_a_section_run_alone_replaces_its_own_and_nothing_else():
    before = full_run()
    # Section 2 again: now fast, one target renamed within its topic, the other gone.
    after = splice(before, [Section("2. Two, renamed", [Row("b", 0.5)], "note two")],
                   [Target("Two: fast enough", 0.5, 2.0, "0.5 s")], "STAMP.")
    assert after.endswith("|\n") and not after.endswith("\n\n")
    lines = after.splitlines()
    # Section 1 and the first paragraph as they were.
    assert before.split("## 2. Two")[0] == after.split("## 2. Two, renamed")[0]
    assert "## 2. Two" not in lines and "| b | 2.000 |" not in lines
    assert lines[lines.index("## 2. Two, renamed") + 2] == "STAMP. note two"
    assert "| b | 0.500 |" in lines
    # The topic's targets replaced (the renamed one too), the others kept, in the one targets table.
    assert "| One: fast | yes | 1 s |" in lines
    assert "| Two: fast enough | yes | 0.5 s |" in lines
    assert not [line for line in lines if line.startswith("| Two: fast |") or line.startswith("| Two: small")]
    # Its reason went with the target that holds now; with no reason left, no reasons section.
    assert "two is slow" not in after and "## Why a target does not hold" not in lines
    assert lines.index("## 2. Two, renamed") < lines.index("## Targets")


def test_a_new_section_goes_before_the_targets_and_its_reasons_after_the_others():
    after = splice(full_run(), [Section("10. Ten", [Row("c", 9.0)])],
                   [Target("Ten: fast", 9.0, 2.0, "9 s", why="ten is slow")], "STAMP.")
    lines = after.splitlines()
    assert lines.index("## 2. Two") < lines.index("## 10. Ten") < lines.index("## Targets")
    assert lines.index("| Two: small | yes | 1 B |") + 1 == lines.index("| Ten: fast | **no** | 9 s |")
    reasons = lines[lines.index("## Why a target does not hold"):]
    assert reasons[-2:] == ["- **Two: fast**: two is slow", "- **Ten: fast**: ten is slow"]
    # Run alone again: still one of each.
    again = splice(after, [Section("10. Ten", [Row("c", 9.0)])],
                   [Target("Ten: fast", 9.0, 2.0, "9 s", why="ten is slow")], "STAMP.")
    assert again == after
