# SPDX-License-Identifier: GPL-3.0-or-later
"""What an answer of the simulator must have, by Twilio's OpenAPI description, in every mode of its variants layer
(tests/simulator/twilio_sim/variants.py): the crawl (test_spec_crawl.py) and the writes (test_spec_writes.py)
judge every answer here.

- openapi-core validates request and answer: against the description as it is in the ``spec`` mode; in the
  ``variants`` mode against the same description with its enums left out, since an enum value may come in any
  case there (the case is judged below instead);
- the answer has every key of the description's example for the same operation, at every level (a page's
  records against the example of the record's own fetch, found by its ``url``); more keys are allowed;
- every enum value (a status, a visibility; a Build's versions' visibility too, which the description leaves
  untyped) is of the documented set in any case, and in the ``spec`` mode in the case of the example
  (``"PUBLIC"`` inside a Build, ``"public"`` in a Version).
"""

import copy
import json
import re
from urllib.parse import urlsplit

from openapi_core import OpenAPI

from ..conftest import SPEC

SPEC_HOST = "https://serverless.twilio.com"
with open(SPEC, encoding="utf-8") as _handle:
    DOCUMENT = json.load(_handle)
SCHEMAS = DOCUMENT["components"]["schemas"]
# A Build's versions are untyped in the description (``items: {}``): their visibility is a Version's.
NESTED_ENUMS = {("function_versions", "visibility"): "function_version_enum_visibility",
                ("asset_versions", "visibility"): "asset_version_enum_visibility"}
_OPERATIONS = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template, operations)
               for template, operations in DOCUMENT["paths"].items()]


def relaxed(document):
    """The description with every enum left out (a value in any case validates; its case is judged apart)."""
    document = copy.deepcopy(document)
    for schema in document["components"]["schemas"].values():
        schema.pop("enum", None)
    return document


OPENAPI = {"spec": OpenAPI.from_dict(copy.deepcopy(DOCUMENT)), "variants": OpenAPI.from_dict(relaxed(DOCUMENT)),
           "canonical": OpenAPI.from_dict(copy.deepcopy(DOCUMENT))}


def operation(method, url):
    """The description's (path template, operation) for a request, or (None, None)."""
    path = urlsplit(url).path
    for regex, template, operations in _OPERATIONS:
        if regex.match(path) and method.lower() in operations:
            return template, operations[method.lower()]
    return None, None


def resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema or {}


def answer_of(op, status):
    """(schema, example) of an operation's answer with this status; example None when it gives none."""
    content = ((op.get("responses") or {}).get(str(status)) or {}).get("content", {}).get("application/json", {})
    examples = list((content.get("examples") or {}).values())
    return resolve(content.get("schema")), (examples[0]["value"] if examples else None)


def case_of(text):
    return "lower" if text == text.lower() else "upper" if text == text.upper() else "title" \
        if text == text.title() else "mixed"


def missing_keys(example, body, where):
    """The example's keys that ``body`` lacks, at every level (a list's items against the example's first)."""
    found = []
    if isinstance(example, dict) and isinstance(body, dict):
        for key, value in example.items():
            if key not in body:
                found.append("%s: no %r, which the spec's example has" % (where, key))
            else:
                found.extend(missing_keys(value, body[key], "%s.%s" % (where, key)))
    elif isinstance(example, list) and example and isinstance(body, list):
        for n, item in enumerate(body):
            found.extend(missing_keys(example[0], item, "%s[%d]" % (where, n)))
    return found


def enum_problems(schema, example, body, mode, where):
    """Enum values outside the documented set (in any case), or, in the spec mode, not in the example's case."""
    found = []

    def judge(values, enum, sample, place):
        if not isinstance(values, str):
            return
        if values.lower() not in [e.lower() for e in enum]:
            found.append("%s: %r is none of %s in any case" % (place, values, "/".join(enum)))
        elif mode == "spec" and isinstance(sample, str) and case_of(values) != case_of(sample):
            found.append("%s: %r, where the spec's example has %r" % (place, values, sample))

    example = example if isinstance(example, dict) else {}
    for name, prop in (schema.get("properties") or {}).items():
        resolved = resolve(prop)
        if "enum" in resolved and isinstance(body, dict):
            judge(body.get(name), resolved["enum"], example.get(name), "%s.%s" % (where, name))
    for (name, field), enum_schema in NESTED_ENUMS.items():
        if name in (schema.get("properties") or {}) and isinstance(body, dict) and isinstance(body.get(name), list):
            samples = example.get(name) or [{}]
            for n, item in enumerate(body[name]):
                if isinstance(item, dict):
                    judge(item.get(field), SCHEMAS[enum_schema]["enum"], samples[0].get(field),
                          "%s.%s[%d].%s" % (where, name, n, field))
    return found


def record_problems(record, mode, where):
    """A record of a page, judged against the example of its own fetch (found by its ``url``)."""
    dummy, op = operation("GET", record.get("url") or "") if isinstance(record, dict) else (None, None)
    if op is None:
        return ["%s: its url %r is no operation of the spec" % (where, record.get("url") if isinstance(record, dict)
                                                                else record)]
    schema, example = answer_of(op, 200)
    return missing_keys(example, record, where) + enum_problems(schema, example, record, mode, where)


def problems(method, url, status, body, mode):
    """Everything an answer (its JSON ``body``) lacks against the description's example and enums."""
    template, op = operation(method, url)
    if op is None:
        return ["%s %s: no operation of the spec" % (method, url)]
    schema, example = answer_of(op, status)
    where = "%s %s" % (method, template)
    if example is None:
        return []  # a 204, or an answer the description gives no example of
    found = missing_keys(example, body, where)
    meta = body.get("meta") if isinstance(body, dict) else None
    if isinstance(meta, dict) and isinstance(body.get(meta.get("key")), list):
        for n, record in enumerate(body[meta["key"]]):
            found.extend(record_problems(record, mode, "%s %s[%d]" % (where, meta["key"], n)))
    else:
        found.extend(enum_problems(schema, example, body, mode, where))
    return found
