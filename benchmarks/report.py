# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's report: markdown tables and the target verdicts."""

import datetime
import os
import platform

HEADERS = {
    "1": ("approach", "requests", "TCP connections", "wall s (median)", "spread s (min-max)", "ratio to the floor"),
    "2": ("approach", "requests", "TCP connections", "wall s (median)", ""),
    "3": ("approach", "requests (median)", "detection delay s (median)", "delay spread s", "predicted s (median)"),
    "3b": ("approach", "requests", "Status requests", "detection delay s (to the task's end, as 0.1.0 measured it)"),
    "4": ("approach", "requests", "s after the slowest build finished", "latest detection of a build s", "wall s"),
    "5": ("approach", "wall s (median)", "ratio to uri"),
    "6": ("case", "peak RSS MiB"),
}


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return "%.3f" % value if value < 10 else "%.1f" % value
    return str(value)


def render(rows, verdicts, latency, runs, total):
    lines = ["# Performance", "",
             "Measured by `make bench` on %s: %s, %d cores, Python %s, ansible-core %s. The simulator added %d ms "
             "to every API request; medians of %d runs where marked. Whole run: %.0f s." % (
                 datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 platform.processor() or platform.machine(), os.cpu_count(), platform.python_version(),
                 ansible_version(), latency * 1000, runs, total), ""]
    for title, data in rows:
        headers = HEADERS[title.split(".")[0]]
        lines += ["## " + title, "", "| " + " | ".join(h for h in headers if h) + " |",
                  "|" + "---|" * len([h for h in headers if h])]
        for row in data:
            cells = [fmt(c) for c, h in zip(row, headers) if h]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## Targets", "", "| target | holds | measured |", "|---|---|---|"]
    for target, ok, measured in (v[:3] for v in verdicts):
        lines.append("| %s | %s | %s |" % (target, "yes" if ok else "**no**", measured))
    lines.append("")
    # A verdict may carry a fourth item: what stands in the way when it does not hold.
    missed = [(v[0], v[3]) for v in verdicts if not v[1] and len(v) > 3 and v[3]]
    if missed:
        lines += ["## Why a target does not hold", ""]
        lines += ["- **%s**: %s" % (target, why) for target, why in missed]
        lines.append("")
    return "\n".join(lines)


def ansible_version():
    from ansible.release import __version__
    return __version__
