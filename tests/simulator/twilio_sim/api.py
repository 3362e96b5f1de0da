# SPDX-License-Identifier: GPL-3.0-or-later
"""What every resource's handlers share: the request they read, Twilio's error bodies, form checks, paging."""

import re
from urllib.parse import urlencode

ERRORS = {
    400: (20001, "Invalid parameter"),
    409: (20409, "Environment already has requested deployment"),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource %s was not found"),
    405: (20004, "Method not allowed"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    502: (20502, "Bad Gateway"),
    503: (20503, "Service Unavailable"),
    504: (20504, "Gateway Timeout"),
}


def pattern(template):
    """``/v1/Services/{service}`` -> a regex with one named group per ``{name}``."""
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")


def error_body(status, resource=""):
    code, message = ERRORS.get(status, (20500, "Error"))
    if "%s" in message:
        message = message % resource
    return {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
            "status": status}


def invalid(message, status=400, code=None):
    """A 400 (or ``status``) answer with Twilio's error shape and this message."""
    body = error_body(status)
    body["message"] = message
    if code is not None:
        body["code"] = code
        body["more_info"] = "https://www.twilio.com/docs/errors/%d" % code
    return status, body


def boolean_fields(req, names):
    """Twilio's form booleans (true/false); return ({name: bool}, None) or (None, a 400 answer)."""
    values = {}
    for name in names:
        value = req.field(name)
        if value is None:
            continue
        if value.lower() not in ("true", "false"):
            return None, invalid("%s must be true or false, not %r" % (name, value))
        values[name] = value.lower() == "true"
    return values, None


class Request:
    """What a route handler reads: the simulator, the match, the query and form, the raw body and its
    Content-Type, who asked, the fault taken for it, its log entry, and when."""

    def __init__(self, sim, method, match, query, form, raw, content_type, account, fault, entry, now):
        self.sim = sim
        self.method = method
        self.match = match
        self.query = query
        self.form = form
        self.raw = raw
        self.content_type = content_type
        self.account = account
        self.fault = fault
        self.entry = entry
        self.now = now
        self.service = None

    @property
    def store(self):
        return self.sim.store

    @property
    def base(self):
        return self.sim.base_url

    def field(self, name):
        values = self.form.get(name)
        return values[-1] if values else None


def list_page(req, key, items, path, render, index, faults=True):
    """One page of a listing, as Twilio pages it; ``faults`` lets a ``next_page_url`` fault act."""
    query, fault = req.query, (req.fault if faults else None)

    def one(name, default):
        values = query.get(name)
        return values[-1] if values else default

    try:
        page_size = int(one("PageSize", "50"))
        page = int(one("Page", "0"))
        if not 1 <= page_size <= 1000 or page < 0:
            raise ValueError
    except ValueError:
        return invalid("Invalid paging parameters: PageSize must be 1 to 1000 and Page 0 or more")
    token = one("PageToken", None)
    start = page * page_size
    if token and index is not None:
        # Twilio's tokens name the last (PA) or first (PB) record of the
        # neighbouring page, so pages stay stable while new builds arrive.
        anchor = index.get(token[2:])
        if token[:2] not in ("PA", "PB") or anchor is None:
            return invalid("Invalid PageToken")
        start = anchor + 1 if token[:2] == "PA" else max(0, anchor - page_size)
    chunk = items[start:start + page_size]
    base = req.base + path

    def url(p, tok=None):
        params = [("PageSize", page_size), ("Page", p)]
        if tok:
            params.append(("PageToken", tok))
        return base + "?" + urlencode(params)

    has_next = start + page_size < len(items)
    next_url = None
    if has_next:
        next_url = url(page + 1, "PA" + chunk[-1].sid if index is not None else None)
    if fault and fault.get("next_page_url"):
        next_url = fault["next_page_url"]
    prev_url = None
    if page > 0:
        prev_url = url(page - 1, ("PB" + chunk[0].sid) if (index is not None and chunk) else None)
    body = {
        key: [render(item) for item in chunk],
        "meta": {
            "first_page_url": url(0),
            "key": key,
            "next_page_url": next_url,
            "page": page,
            "page_size": page_size,
            "previous_page_url": prev_url,
            "url": url(page, token),
        },
    }
    return 200, body
