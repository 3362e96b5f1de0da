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


WHY_TITLE = "## Why a target does not hold"


def _blocks(text):
    """The file's lines cut at each ``## `` heading: [(heading or None for the top, [lines])]."""
    blocks = [(None, [])]
    for line in text.splitlines():
        if line.startswith("## "):
            blocks.append((line, []))
        else:
            blocks[-1][1].append(line)
    return blocks


def _topic(name):
    """What a target is about: its name up to the first colon. A section run alone replaces every target of
    its topics, so a target it renamed or dropped does not linger."""
    return name.split(":", 1)[0].strip()


def splice(text, sections: List[Section], targets: List[Target], stamp):
    """``text`` (a docs/performance.md) with ``sections`` and ``targets`` of a run of some sections alone: each
    section replaces the one of the same number (else goes before the targets), each target replaces the
    targets of its topic (see _topic) in the targets table and in the reasons a target does not hold; the
    rest stays as the full run wrote it. ``stamp`` opens each replaced section's note: when, and how, it ran."""
    blocks = _blocks(text)
    for section in sections:
        number = section.title.split(" ", 1)[0]
        lines = [""] + [stamp + (" " + section.note if section.note else ""), ""] + table(section.rows) + [""]
        new = ("## " + section.title, lines)
        at = [i for i, (heading, dummy) in enumerate(blocks) if heading and heading[3:].split(" ", 1)[0] == number]
        if at:
            blocks[at[0]] = new
        else:
            ends = [i for i, (heading, dummy) in enumerate(blocks) if heading in ("## Targets", WHY_TITLE)]
            blocks.insert(ends[0] if ends else len(blocks), new)
    topics = set(_topic(t.name) for t in targets)
    heads = [heading for heading, dummy in blocks]
    if "## Targets" not in heads:
        blocks.append(("## Targets", ["", "| target | holds | measured |", "|---|---|---|", ""]))
    where = [heading for heading, dummy in blocks].index("## Targets")
    lines = blocks[where][1]
    kept = [line for line in lines
            if not (line.startswith("| ") and not line.startswith("| target |")
                    and _topic(line[2:].split(" | ", 1)[0]) in topics)]
    last = max(i for i, line in enumerate(kept) if line.startswith("|"))
    rows = ["| %s | %s | %s |" % (t.name, "yes" if t.holds else "**no**", t.measured) for t in targets]
    blocks[where] = ("## Targets", kept[:last + 1] + rows + kept[last + 1:])
    reasons = [(i, b) for i, b in enumerate(blocks) if b[0] == WHY_TITLE]
    old = []
    if reasons:
        old = [line for line in reasons[0][1][1][3:] if line.startswith("- **")
               and _topic(line[4:].split("**", 1)[0]) not in topics]
        del blocks[reasons[0][0]]
    new = old + ["- **%s**: %s" % (t.name, t.why) for t in targets if not t.holds and t.why]
    if new:
        blocks.append((WHY_TITLE, ["", "Computed from the measurements above.", ""] + new + [""]))
    out = []
    for heading, lines in blocks:
        out += ([heading] if heading else []) + lines
    return "\n".join(out).rstrip("\n") + "\n"
