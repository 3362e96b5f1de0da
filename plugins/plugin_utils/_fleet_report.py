# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet report (filter ``twilio_community.serverless.fleet_report``): hosts' release records in, one row per
host and environment and a summary out. Plain Python over plain values, no Ansible, so it is tested without a play.

A host is a Service of an account (the ``accounts`` inventory with services). What is read of each host's variables:
``release_report`` (the ``release`` role's fact), ``twilio_subaccount_sid``, ``twilio_account_friendly_name`` and
``twilio_service`` (the inventory's host variables), and ``fleet_error`` (a message a play's rescue may set). A host
that failed is never left out: it is a row of its own, counted in ``failed``, and its source is unknown.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from collections.abc import Mapping, Sequence
except ImportError:  # Python 2.7, which the collection does not run on the controller
    Mapping, Sequence = dict, list  # pylint: disable=invalid-name

READ_VARIABLES = ("release_report", "twilio_subaccount_sid", "twilio_account_friendly_name", "twilio_service",
                  "fleet_error")
ROW_KEYS = ("host", "account_sid", "account_name", "service", "service_sid", "environment", "build_before",
            "build_after", "changed", "runtime", "verified", "source_sha256", "failed", "error")


class FleetReportError(ValueError):
    """Input the report cannot read; the message names the argument and what is expected."""


def host_records(hosts_vars, hosts=None):
    """(host name, its variables) pairs from a mapping of host to variables (``hostvars``) or a list of records
    each naming its ``host``; ``hosts`` keeps those hosts, in that order (a host without variables is kept: it
    failed before anything was set)."""
    if isinstance(hosts_vars, Mapping):
        names = list(hosts_vars) if hosts is None else _host_names(hosts)
        return [(name, _variables(hosts_vars.get(name), name)) for name in names]
    if isinstance(hosts_vars, Sequence) and not isinstance(hosts_vars, (str, bytes)):
        records = []
        for index, record in enumerate(hosts_vars):
            if not isinstance(record, Mapping) or not isinstance(record.get("host"), str) or not record.get("host"):
                raise FleetReportError("fleet_report: item %d of the list is not a record with a host name (a mapping "
                                       "with host: NAME and the host's variables)" % index)
            records.append((record["host"], _variables(record, record["host"])))
        if hosts is not None:
            wanted = _host_names(hosts)
            found = dict(records)
            records = [(name, found.get(name, {})) for name in wanted]
        return records
    raise FleetReportError("fleet_report: expected hostvars (a mapping of host to its variables) or a list of records "
                           "each with a host, got %s" % type(hosts_vars).__name__)


def _host_names(hosts):
    if isinstance(hosts, (str, bytes)) or not isinstance(hosts, Sequence) or not all(
            isinstance(h, str) for h in hosts):
        raise FleetReportError("fleet_report: hosts must be a list of host names, such as ansible_play_hosts_all; "
                               "got %s" % type(hosts).__name__)
    return list(hosts)


def _variables(found, host):
    """The variables the report reads, read once (hostvars template each on access)."""
    if found is None:
        return {}
    if not isinstance(found, Mapping):
        raise FleetReportError("fleet_report: host %s has no variables here (not a host of the inventory?); give "
                               "hosts of the play, such as ansible_play_hosts_all" % host)
    return dict((name, found.get(name)) for name in READ_VARIABLES if name in found)


def _text(record, name):
    found = record.get(name) if isinstance(record, Mapping) else None
    return found if isinstance(found, str) and found else None


def host_rows(host, variables):
    """One row per environment of the host's release; one row with no environment when it has none."""
    report = variables.get("release_report")
    report = report if isinstance(report, Mapping) else {}
    error = _text(variables, "fleet_error")
    if not report:
        error = error or "no release_report: the release did not start, or failed before it"
    elif report.get("complete") is not True:
        error = error or "the release did not finish (release_report.complete is not true)"
    failed = error is not None
    base = dict(host=host, account_sid=_text(variables, "twilio_subaccount_sid"),
                account_name=_text(variables, "twilio_account_friendly_name"),
                service=_text(variables, "twilio_service") or _text(report, "service"),
                service_sid=_text(report, "service_sid"), failed=failed, error=error)
    environments = report.get("environments")
    environments = [e for e in environments if isinstance(e, Mapping)] if isinstance(environments, Sequence) else []
    if not environments:
        return [dict(base, environment=None, build_before=None, build_after=None, changed=False, runtime=None,
                     verified=None, source_sha256=None)]
    rows = []
    for env in environments:
        verified = env.get("verified")
        rows.append(dict(base, environment=_text(env, "environment"), build_before=_text(env, "build_before"),
                         build_after=_text(env, "build_after"), changed=env.get("changed") is True,
                         runtime=_text(env, "runtime"), verified=verified if isinstance(verified, bool) else None,
                         source_sha256=_text(env, "source_sha256")))
    return rows


def fleet_report(hosts_vars, hosts=None):
    """The report: ``rows`` (one per host and environment, ROW_KEYS each) and ``summary``."""
    records = host_records(hosts_vars, hosts)
    rows = [row for host, variables in records for row in host_rows(host, variables)]
    by_host = {}
    for row in rows:
        by_host.setdefault(row["host"], []).append(row)
    sources, unknown = {}, []
    for host, its_rows in by_host.items():
        known = [r["source_sha256"] for r in its_rows if r["source_sha256"] is not None]
        if len(known) < len(its_rows):
            unknown.append(host)
        for sha in set(known):
            sources.setdefault(sha, []).append(host)
    failed = sorted(h for h, its_rows in by_host.items() if its_rows[0]["failed"])
    verify_failed = sorted(h for h, its_rows in by_host.items() if any(r["verified"] is False for r in its_rows))
    changed = sorted(h for h, its_rows in by_host.items() if any(r["changed"] for r in its_rows))
    summary = dict(
        hosts=len(by_host),
        # A host without twilio_subaccount_sid is a Service of the main account: all of them are one account.
        accounts=len(set(r["account_sid"] for r in rows)),
        services=len(set((r["account_sid"], r["service_sid"] or r["service"] or r["host"]) for r in rows)),
        changed=len(changed), failed=len(failed), verify_failed=len(verify_failed),
        same_source=bool(by_host) and len(sources) == 1 and not unknown,
        sources=dict((sha, sorted(names)) for sha, names in sources.items()),
        unknown_source=sorted(unknown), failed_hosts=failed, verify_failed_hosts=verify_failed, changed_hosts=changed)
    return dict(rows=rows, summary=summary)
