# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Environment Variables: Twilio's limits checked before any write, the plan of writes, and the writes.

Values are secrets. Nothing here puts a value in a message, a warning, a plan's summary or a diff: a
problem names the key (and sizes in bytes), a diff shows each value as hidden.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import iter_records
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import (
    variable_path,
    variables_path,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.write import reconciled_write

# Twilio's documented limits of one Variable (CreateVariable: Key at most 128 characters, Value at most 450
# bytes).
MAX_KEY_CHARACTERS = 128
MAX_VALUE_BYTES = 450
# Twilio fails invocations when an environment's context, its variables included as JSON, passes about
# 3 KB (error 82006, https://www.twilio.com/docs/api/errors/82006): refused above, warned about near it.
MAX_CONTEXT_BYTES = 3 * 1024
WARN_CONTEXT_BYTES = 2560
VARIABLE_PAGE_SIZE = 1000
HIDDEN = "(value hidden)"


def value_bytes(value):
    return len(value.encode("utf-8"))


def context_bytes(variables):
    """The size of ``variables`` as one JSON object (UTF-8, no spaces), as an environment's context holds it."""
    return len(json.dumps(variables, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8"))


def to_text(key, value, option):
    """A variable's value from a playbook as the string Twilio stores; OptionError for a value that would
    change on the way.

    Whole numbers are written in decimal (a lossless conversion; a templated ``"{{ port }}"`` arrives as an
    int). Booleans, floats, nulls, lists and dicts are refused, naming the key: ``yes`` would become
    ``True``, ``1.10`` would become ``1.1``, and a null is no value; quote the value to keep it as written.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    kind = "null" if value is None else type(value).__name__
    raise OptionError(option, "the value of %s is a %s, not a string; quote it in the playbook so that it is sent "
                              "as written (Twilio stores text; converting a %s could change it)"
                      % (shown(key), kind, kind))


def check_variables(variables, option, values=True):
    """Twilio's limits for each variable, before any request; OptionError naming the key, never the value."""
    for key, value in variables.items():
        if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY_CHARACTERS:
            raise OptionError(option, "the key %s is not 1 to %d characters long" % (shown(key), MAX_KEY_CHARACTERS))
        if values and value_bytes(value) > MAX_VALUE_BYTES:
            raise OptionError(option, "the value of %s is %d bytes of UTF-8; Twilio takes at most %d"
                              % (shown(key), value_bytes(value), MAX_VALUE_BYTES))


def budget(variables):
    """(size in bytes, message or None, over the limit) for the whole set an environment would hold.

    The message names the largest keys and their sizes, never a value; it is None below WARN_CONTEXT_BYTES.
    """
    size = context_bytes(variables)
    if size < WARN_CONTEXT_BYTES:
        return size, None, False
    largest = sorted(variables, key=lambda k: (-value_bytes(variables[k]) - len(k.encode("utf-8")), k))[:3]
    named = ", ".join("%s (%d bytes)" % (k, value_bytes(variables[k])) for k in largest)
    over = size > MAX_CONTEXT_BYTES
    message = ("the environment's variables would take %d bytes as JSON (%s %d); Twilio fails every invocation of "
               "a function whose context passes about 3 KB (error 82006); the largest values: %s"
               % (size, "more than" if over else "near the limit of", MAX_CONTEXT_BYTES, named))
    return size, message, over


def read_variable(record):
    """What the collection decides on in a Variable record: ``sid`` (a Variable SID or None), ``key`` and
    ``value`` (strings or None)."""
    return dict(sid=readers.sid(record, "sid", "ZV"), key=readers.text(record, "key"),
                value=readers.text(record, "value"))


Plan = collections.namedtuple("Plan", "create update delete unchanged after")
Plan.__doc__ = """The writes that make an environment's variables as wanted.

``create``: [(key, value)]; ``update``: [(sid, key, value)]; ``delete``: [(sid, key)]; ``unchanged``: [key];
``after``: key -> value, the whole set once the writes are done."""


def plan(existing, wanted, state="present", prune=False):
    """Compare ``existing`` (Variable records as Twilio lists them) with ``wanted`` (key -> value).

    present: create missing keys, update changed values in place, and with ``prune`` delete the keys not
    wanted. absent: delete the ``wanted`` keys that exist (their values are not looked at).
    A record without a key is left alone; when Twilio lists a key twice, the first record is the one
    compared and written.
    """
    current = collections.OrderedDict()
    for record in existing:
        read = read_variable(record)
        if read["key"] is not None and read["key"] not in current:
            current[read["key"]] = read
    create, update, delete, unchanged = [], [], [], []
    after = dict((key, read["value"] if read["value"] is not None else "") for key, read in current.items())
    if state == "absent":
        for key, read in current.items():
            if key in wanted:
                delete.append((read["sid"], key))
                after.pop(key)
        return Plan(create, update, delete, unchanged, after)
    for key, value in wanted.items():
        read = current.get(key)
        if read is None:
            create.append((key, value))
        elif read["value"] != value:
            update.append((read["sid"], key, value))
        else:
            unchanged.append(key)
        after[key] = value
    if prune:
        for key, read in current.items():
            if key not in wanted:
                delete.append((read["sid"], key))
                after.pop(key)
    return Plan(create, update, delete, unchanged, after)


def summary(found):
    """What a plan does, by key only: the result's ``variables``."""
    return {"added": sorted(created[0] for created in found.create),
            "changed": sorted(updated[1] for updated in found.update),
            "removed": sorted(deleted[1] for deleted in found.delete), "unchanged": sorted(found.unchanged)}


def diff(found, environment):
    """A diff of keys, each value shown as hidden: an added key is a new line, a removed key a missing one, a
    changed key a line that differs (old / new)."""
    changed = set(updated[1] for updated in found.update)
    removed = set(deleted[1] for deleted in found.delete)
    before_keys = (set(found.after) - set(created[0] for created in found.create)) | removed
    before = "".join("%s=%s\n" % (k, "(old value hidden)" if k in changed else HIDDEN) for k in sorted(before_keys))
    after = "".join("%s=%s\n" % (k, "(new value hidden)" if k in changed else HIDDEN) for k in sorted(found.after))
    header = "variables of environment %s" % environment
    return {"before": before, "after": after, "before_header": header, "after_header": header}


def list_variables(client, service_sid, environment_sid):
    """The environment's Variables (with their values: kept in memory to compare, never returned)."""
    return list(iter_records(client, variables_path(service_sid, environment_sid),
                             "variables of environment %s" % environment_sid, params={"PageSize": VARIABLE_PAGE_SIZE}))


def _find(client, service_sid, environment_sid, key):
    for record in list_variables(client, service_sid, environment_sid):
        if read_variable(record)["key"] == key:
            return record
    return None


def apply(client, service_sid, environment_sid, found, warnings):
    """Send the plan's writes: deletes first (room under the budget), then updates, then creates.

    Each is one reconciled write (see _writes): after an ambiguous failure the variables are re-read and the
    write counts as done when the key reads as wanted (a create adopted, an update taken, a delete gone).
    Values are compared in memory and never put in a message or warning.
    """
    def settled(key, wanted_value=None, gone=False):
        def check():
            record = _find(client, service_sid, environment_sid, key)
            if gone:
                return record is None, {}
            return record is not None and read_variable(record)["value"] == wanted_value, record
        return check

    where = "of environment %s" % environment_sid
    for sid, key in found.delete:
        path = variable_path(service_sid, environment_sid, sid)
        reconciled_write(client, lambda path=path, key=key: client.delete(path, "variable %s %s" % (key, where)),
                         settled(key, gone=True), "deleting variable %s" % key, warnings, gone_is_done=True)
    for sid, key, value in found.update:
        path = variable_path(service_sid, environment_sid, sid)
        reconciled_write(client, lambda path=path, key=key, value=value: client.post(
            path, "variable %s %s" % (key, where), {"Value": value}), settled(key, value),
            "updating variable %s" % key, warnings)
    for key, value in found.create:
        answer = reconciled_write(client, lambda key=key, value=value: client.post(
            variables_path(service_sid, environment_sid), "variable %s %s" % (key, where),
            {"Key": key, "Value": value}), settled(key, value), "creating variable %s" % key, warnings)
        if read_variable(answer)["sid"] is None:
            raise TwilioError("Twilio answered the creation of variable %s without a valid Variable SID" % key)


def wanted_variables(variables, env_file_values, option="variables"):
    """The key -> value set a task asks for: ``env_file``'s, overridden key by key by ``variables``'."""
    wanted = collections.OrderedDict(env_file_values or ())
    for key, value in (variables or {}).items():
        wanted[key] = to_text(key, value, option)
    return wanted
