# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's report: named rows rendered as markdown tables, and targets that compare a measured value
with a limit (a verdict is never written by hand)."""

import dataclasses
import datetime
import math
import os
import platform
from typing import List, Optional


def column(header, default=dataclasses.MISSING):
    """A field of a row, with the header of its column."""
    # Called in the class body of each row's dataclass, where field() belongs.
    return dataclasses.field(default=default, metadata={"header": header})  # pylint: disable=invalid-field-call


@dataclasses.dataclass
class Section:
    title: str
    rows: list
    note: str = ""  # how this section was run (computed by bench.py, shown under the title)


@dataclasses.dataclass
class Target:
    """``value`` compared with ``limit`` (at most, or ``at_least``); ``why`` is computed from the run and shown
    only when the target does not hold."""

    name: str
    value: float
    limit: float
    measured: str
    at_least: bool = False
    why: Optional[str] = None

    @property
    def holds(self):
        return self.value >= self.limit if self.at_least else self.value <= self.limit


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):  # not measured
            return "n/a"
        return "%.3f" % value if value < 10 else "%.1f" % value
    return str(value)


def table(rows):
    fields = dataclasses.fields(rows[0])
    lines = ["| " + " | ".join(f.metadata["header"] for f in fields) + " |", "|" + "---|" * len(fields)]
    for row in rows:
        if dataclasses.fields(row) != fields:
            raise TypeError("rows of one table must be of one kind: %r" % (row,))
        lines.append("| " + " | ".join(fmt(getattr(row, f.name)) for f in fields) + " |")
    return lines


def render(sections: List[Section], targets: List[Target], latency, runs, wait_runs, total):
    lines = ["# Performance", "",
             "Measured by `make bench` on %s: %s, %d cores, Python %s, ansible-core %s. The simulator added %d ms "
             "to every API request; medians of %d runs where marked (%d for the waits of section 3). Whole run: "
             "%.0f s. Every number and every sentence below the tables comes from this run." % (
                 datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 platform.processor() or platform.machine(), os.cpu_count(), platform.python_version(),
                 ansible_version(), latency * 1000, runs, wait_runs, total), ""]
    for section in sections:
        lines += ["## " + section.title, ""]
        if section.note:
            lines += [section.note, ""]
        lines += table(section.rows) + [""]
    lines += ["## Targets", "", "| target | holds | measured |", "|---|---|---|"]
    for target in targets:
        lines.append("| %s | %s | %s |" % (target.name, "yes" if target.holds else "**no**", target.measured))
    lines.append("")
    missed = [t for t in targets if not t.holds and t.why]
    if missed:
        lines += ["## Why a target does not hold", "", "Computed from the measurements above.", ""]
        lines += ["- **%s**: %s" % (t.name, t.why) for t in missed]
        lines.append("")
    return "\n".join(lines)


def ansible_version():
    from ansible.release import __version__
    return __version__
