# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Services and Builds: reading them (the calls the modules and lookups make), and creating a Build (never two
for one task)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.checks import check_range
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.dates import check_datetime
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import build_path, build_status_path, builds_path
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write

# Twilio's largest PageSize.
MAX_PAGE_SIZE = 1000
STATUSES = ("building", "completed", "failed")
FINAL_STATUSES = ("completed", "failed")
# The runtimes Twilio lists for a Build: its API description's enum, and node24, which twilio-python's Runtime
# enum has since 2026-08 (our copy of the description is older; tests/fixtures/twilio/SOURCES.md). Twilio
# refuses the retired ones for a new Build (82007), but a Build of one can still be read and rebuilt.
RUNTIMES = ("node8", "node10", "node12", "node14", "node16", "node18", "node20", "node22", "node24")
# Every field of a Build in Twilio's API description, in its order.
BUILD_FIELDS = ("sid", "account_sid", "service_sid", "asset_versions", "function_versions", "dependencies", "runtime",
                "status", "date_created", "date_updated", "url", "links")


def build_status(record):
    """The status of a Build (or Build Status) record: building, completed or failed in any case; None for a
    status Twilio does not document (the pre-GA ``queued``, ``deploying``...) or none, which every caller
    treats as not finished."""
    return readers.token(record, "status", STATUSES)


def read_build(record):
    """What the collection decides on in a Build record (its versions: _project.plan.read_build_versions): the
    SID (a Build SID or None), the status (build_status), the runtime in lower case, and date_created and
    date_updated as datetimes (None when missing or unreadable)."""
    return dict(sid=readers.sid(record, "sid", "ZB"), status=build_status(record),
                runtime=readers.token(record, "runtime"), date_created=readers.date(record, "date_created"),
                date_updated=readers.date(record, "date_updated"))


def check_runtime(runtime, option="runtime"):
    """A runtime the user gave, before any request; OptionError when Twilio does not list it."""
    if runtime not in RUNTIMES:
        raise OptionError(option, "%s is not a runtime Twilio lists; expected one of %s (Twilio refuses the retired "
                                  "ones for new builds)" % (shown(runtime), ", ".join(RUNTIMES)))
    return runtime


def read_dependencies(record):
    """A Build's ``dependencies`` (a list of name and version) as name -> version; {} when null or missing, None
    when Twilio sent something else (not a list, an entry without a name or a string version, a name twice),
    which no caller may guess at."""
    found = readers.value(record, "dependencies")
    if found is None:
        return {}
    if not isinstance(found, list):
        return None
    read = {}
    for item in found:
        name, version = readers.text(item, "name"), readers.text(item, "version")
        if not name or version is None or name in read:
            return None
        read[name] = version
    return read


def read_versions(record):
    """A Build's Function and Asset Version SIDs as two lists, in Twilio's order; None when a version has no
    ZN... SID (a build of "the same versions" could not be made or recognised)."""
    found = []
    for key in ("function_versions", "asset_versions"):
        raw = readers.value(record, key)
        if raw is not None and not isinstance(raw, list):
            return None
        sids = [readers.sid(item, "sid", "ZN") for item in raw or []]
        if None in sids:
            return None
        found.append(sids)
    return tuple(found)


def fetch_build(client, service_sid, sid, deadline=None):
    """The full Build; Twilio's Status resource has only the status."""
    return client.get(build_path(service_sid, sid),
                      "build %s of service %s" % (sid, service_sid), deadline=deadline)


def fetch_status(client, service_sid, sid, deadline=None):
    """The Build's status, or None when Twilio sent none it documents: a caller keeps polling then."""
    return build_status(client.get(build_status_path(service_sid, sid),
                                   "build %s of service %s" % (sid, service_sid), deadline=deadline))


class BuildFilter:
    """Filters the API lacks, applied to each build as it arrives.

    ``created_after`` and ``created_before`` are aware datetimes (or None).
    """

    def __init__(self, statuses=None, runtimes=None, created_after=None, created_before=None):
        self.statuses = frozenset(status.lower() for status in statuses) if statuses else None
        self.runtimes = frozenset(runtime.strip().lower() for runtime in runtimes) if runtimes else None
        self.created_after = created_after
        self.created_before = created_before
        if created_after and created_before and created_after >= created_before:
            raise OptionError("created_after", "%s is not before created_before (%s); no build could match"
                              % (created_after.isoformat(), created_before.isoformat()))

    @property
    def active(self):
        return bool(self.statuses or self.runtimes or self.created_after or self.created_before)

    def matches(self, build):
        read = read_build(build)
        if self.statuses is not None and read["status"] not in self.statuses:
            return False
        if self.runtimes is not None and read["runtime"] not in self.runtimes:
            return False
        if self.created_after or self.created_before:
            created = read["date_created"]
            if created is None:
                return False
            if self.created_after and created <= self.created_after:
                return False
            if self.created_before and created >= self.created_before:
                return False
        return True

    def past_window(self, build):
        """True once a build is older than ``created_after``: in a newest-first listing, all later ones are too."""
        if not self.created_after:
            return False
        created = readers.date(build, "date_created")
        return created is not None and created <= self.created_after


def check_build_filter(options):
    """The BuildFilter that the options ``status``, ``runtime``, ``created_after``, ``created_before`` describe,
    after checking them and ``limit``; OptionError naming the option, before any request.

    One check for serverless_build_info and the serverless_builds lookup, so both refuse the same values
    with the same messages. (Ansible's option handling refuses a status outside the choices.)
    """
    for runtime in options.get("runtime") or []:
        if not runtime or not runtime.strip():
            raise OptionError("runtime", "an empty runtime name matches no build; expected names such as node22")
    if options.get("limit") is not None:
        check_range("limit", options["limit"], 1, unit="a whole number")
    return BuildFilter(
        statuses=options.get("status"),
        runtimes=options.get("runtime"),
        created_after=(check_datetime(options["created_after"], "created_after")
                       if options.get("created_after") else None),
        created_before=(check_datetime(options["created_before"], "created_before")
                        if options.get("created_before") else None),
    )


def choose_page_size(page_size, limit, build_filter):
    """The caller's page size, or the one costing fewest requests.

    Unfiltered, ``limit`` builds fit in one page of that size; with filters
    the matches are spread out, so full pages are cheapest.
    """
    if page_size:
        return page_size
    if limit and not build_filter.active:
        return min(limit, MAX_PAGE_SIZE)
    return MAX_PAGE_SIZE


def only_fields(fields):
    """A function keeping only ``fields`` of a build (every field when ``fields`` is empty)."""
    if not fields:
        return lambda build: build
    return lambda build: dict((name, build.get(name)) for name in fields)


def list_builds(client, service_sid, build_filter, limit=None, page_size=None, on_page=None, fields=None,
                deadline=None):
    """Builds of a service that match the filter, newest first, at most ``limit``.

    Paging stops as soon as ``limit`` builds matched, or once builds are older
    than ``created_after`` (Twilio lists builds newest first). ``on_page`` is
    called with each page read. With ``fields``, each build keeps only those,
    as it arrives, so a big listing never holds more.
    """
    keep = only_fields(fields)
    size = choose_page_size(page_size, limit, build_filter)
    found = []
    records = iter_records(client, builds_path(service_sid), "builds of service %s" % service_sid,
                           params={"PageSize": size}, on_page=on_page, deadline=deadline)
    try:
        for build in records:
            if build_filter.past_window(build):
                break
            if build_filter.matches(build):
                found.append(keep(build))
                if limit and len(found) >= limit:
                    break
    finally:
        records.close()
    return found


def newest_build_sid(builds, service_sid):
    """The SID of the newest of ``builds`` (a newest-first listing); a clear error when there is none or Twilio
    sent no valid SID."""
    if not builds:
        raise TwilioError("Service %s has no builds" % service_sid)
    sid = readers.sid(builds[0], "sid", "ZB")
    if sid is None:
        raise TwilioError("Twilio listed the newest build of service %s without a valid Build SID (sid: %r)"
                          % (service_sid, readers.value(builds[0], "sid")))
    return sid


# How far back a re-read looks for a build this task may have created: it is the newest but for
# builds others created in the seconds since.
RECONCILE_LIMIT = 50
_HINTS = (
    ("at least one function version or asset version",
     "the project folder gave no files to build (an empty dist/ or build output folder?)"),
    ("runtime-handler", "@twilio/runtime-handler must be an exact version that Twilio offers, such as '2.0.3'"),
    ("dependenc", "check the names and versions in dependencies (or package.json); Twilio must find each on npm"),
    ("runtime", "check runtime: Twilio retires old Node runtimes (error 82007) and names new ones node<major>"),
)


def build_form(function_versions, asset_versions, dependencies, runtime):
    """CreateBuild's form: repeated FunctionVersions and AssetVersions keys (no ``[]``), Dependencies as a JSON
    array of {name, version}, Runtime always (omitted, Twilio reuses the last successful build's runtime)."""
    form = [("FunctionVersions", sid) for sid in function_versions]
    form += [("AssetVersions", sid) for sid in asset_versions]
    form.append(("Dependencies", json.dumps([{"name": name, "version": version}
                                             for name, version in sorted(dependencies.items())])))
    form.append(("Runtime", runtime))
    return form


def _same_versions(build, function_versions, asset_versions):
    def sids(key):
        return sorted(str(readers.value(v, "sid")) for v in readers.records(build, key))
    return sids("function_versions") == sorted(function_versions) and sids("asset_versions") == sorted(asset_versions)


def find_created_build(client, service_sid, function_versions, asset_versions, existed=None, runtime=None):
    """The newest build made of exactly these versions, or None.

    The caller includes a version it uploaded in this task (the manifest), so a build made of these
    versions can only be one this task created. A rebuild uploads nothing: it names every build that
    ``existed`` before its request, and its ``runtime``, so only a build made since, of these, is adopted.
    """
    for build in list_builds(client, service_sid, BuildFilter(), limit=RECONCILE_LIMIT):
        sid = readers.sid(build, "sid", "ZB")
        if (sid and _same_versions(build, function_versions, asset_versions) and sid not in (existed or ())
                and runtime in (None, readers.token(build, "runtime"))):
            return build
    return None


def _hinted(err):
    said = (err.msg or "").lower()
    if err.http_status == 400:
        for needle, hint in _HINTS:
            if needle in said:
                return err.amend(hint)
    return err


def create_build(client, service_sid, function_versions, asset_versions, dependencies, runtime, warnings,
                 existed=None):
    """Create one Build; return it. Never two for one call.

    A 429 is retried by the client. After a 5xx, a timeout or a dropped connection the builds are re-read
    and the one made of these versions adopted (with a warning); only when there is none is the request
    sent again, within the client's retry bound. A 400 gets a hint when its cause is known. ``existed``: the
    SIDs of every build listed before, when the versions are not new (a rebuild): none of them is adopted.
    """
    path = builds_path(service_sid)
    what = "a build of service %s" % service_sid
    form = build_form(function_versions, asset_versions, dependencies, runtime)

    def settled():
        adopted = find_created_build(client, service_sid, function_versions, asset_versions, existed,
                                     runtime if existed is not None else None)
        return adopted is not None, adopted

    def adopted(err, build):
        return ("%s; the builds were re-read and build %s made of these versions exists, so the build was not "
                "requested again" % (err.msg, build["sid"]))
    try:
        return reconciled_write(client, lambda: client.post(path, what, form), settled, what, warnings,
                                adopted=adopted, not_done="no build of these versions exists", label="a build")
    except TwilioError as err:
        raise _hinted(err)


def delete_builds(client, service_sid, builds, warnings, deleted):
    """DELETE each build, one request each; append each one deleted to ``deleted`` as it goes, so a failure
    half-way still says what went (a 404 counts: it is gone).

    A 409 means Twilio refused because the build became live since it was listed: it is kept, with a warning.
    After a 5xx, a timeout or a dropped connection the build is read again and the delete sent again only when
    it is still there.
    """
    for build in builds:
        sid = build["sid"]
        path = build_path(service_sid, sid)
        what = "deleting build %s of service %s" % (sid, service_sid)

        def settled(path=path, what=what):
            try:
                client.get(path, what)
            except TwilioError as err:
                if err.http_status == 404:
                    return True, {}
                raise
            return False, None
        try:
            reconciled_write(client, lambda path=path, what=what: client.delete(path, what), settled, what,
                             warnings, gone_is_done=True)
        except TwilioError as err:
            if err.http_status != 409:
                raise
            warnings.append("Build %s was kept: Twilio refused to delete it (%s); an environment runs it now"
                            % (sid, err.msg))
            continue
        deleted.append(build)
