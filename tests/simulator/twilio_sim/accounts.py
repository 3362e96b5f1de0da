# SPDX-License-Identifier: GPL-3.0-or-later
"""The v2010 Accounts API (api.twilio.com), served on the simulator's second listener (``accounts_url``).

Twilio serves it on another host than Serverless, so it is not in ``resources/`` (the Serverless listener's
registry) but declares its routes in the same shape for its own listener: a list and a fetch, authenticated by
a main account (itself and its subaccounts) or a subaccount (itself only). Its pages are v2010 pages: the
records under ``accounts`` and relative ``*_page_uri`` keys, not Serverless's ``meta``.
"""

from urllib.parse import urlencode

from .api import error_body, invalid

PATHS = (
    ("accounts", "/2010-04-01/Accounts.json"),
    ("account", "/2010-04-01/Accounts/{account}.json"),
)
LIST_PATH = "/2010-04-01/Accounts.json"


def _one(query, name, default=None):
    values = query.get(name)
    return values[-1] if values else default


def get_accounts(req):
    store, query = req.store, req.query
    accounts = store.visible_accounts(req.account)
    friendly_name, status = _one(query, "FriendlyName"), _one(query, "Status")
    if status is not None and status not in ("active", "suspended", "closed"):
        return invalid("Status must be one of active, suspended, closed")
    filters = [(name, value) for name, value in (("FriendlyName", friendly_name), ("Status", status)) if value]
    accounts = [a for a in accounts if (friendly_name is None or a.friendly_name == friendly_name)
                and (status is None or a.status == status)]
    try:
        page_size = int(_one(query, "PageSize", "50"))
        page = int(_one(query, "Page", "0"))
        if not 1 <= page_size <= 1000 or page < 0:
            raise ValueError
    except ValueError:
        return invalid("Invalid paging parameters: PageSize must be 1 to 1000 and Page 0 or more")
    token = _one(query, "PageToken")
    start = page * page_size
    if token:
        # As Twilio's: the token names the last record of the page before.
        sids = [a.sid for a in accounts]
        if not token.startswith("PA") or token[2:] not in sids:
            return invalid("Invalid PageToken")
        start = sids.index(token[2:]) + 1
    chunk = accounts[start:start + page_size]

    def uri(number, page_token=None):
        params = filters + [("PageSize", page_size), ("Page", number)]
        if page_token:
            params.append(("PageToken", page_token))
        return LIST_PATH + "?" + urlencode(params)

    has_next = start + page_size < len(accounts)
    body = {
        "accounts": [store.account_json(a) for a in chunk],
        "end": start + len(chunk) - 1 if chunk else 0,
        "first_page_uri": uri(0),
        "next_page_uri": uri(page + 1, "PA" + chunk[-1].sid) if has_next and chunk else None,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": uri(page - 1) if page > 0 else None,
        "start": start,
        "uri": uri(page, token),
    }
    if req.fault and req.fault.get("next_page_url"):
        body["next_page_uri"] = req.fault["next_page_url"]
    return 200, body


def get_account(req):
    sid = req.match.group("account")
    for account in req.store.visible_accounts(req.account):
        if account.sid == sid:
            return 200, req.store.account_json(account)
    return 404, error_body(404, "/Accounts/%s.json" % sid)


ROUTES = {
    ("GET", "accounts"): ("accounts", get_accounts),
    ("GET", "account"): ("account", get_account),
}
