# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts of Twilio's v2010 API, and a subaccount's own credentials read with the main account's.

Twilio serves a subaccount's Services only to the subaccount's own credentials (a main account's API key is
denied), so a task given ``subaccount_sid`` first reads that subaccount's record with the main credentials,
from the Accounts API's host (``accounts_base_url``, api.twilio.com), and uses the auth token Twilio returns in
it. The main credentials go to accounts_base_url only, the subaccount's to the Serverless hosts only; the
subaccount's token is held in memory, in the Connection, and nowhere else.

A listing of the accounts (the inventory plugin's) reads each record with list_accounts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.text import shown
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import (
    iter_records,
    read_v2010_page,
)
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paths import account_path

# Twilio's enums of an Account's status and type, in lower case.
ACCOUNT_STATUSES = ("active", "suspended", "closed")
ACCOUNT_TYPES = ("trial", "full")
# What to do about a subaccount that is not active, by its status.
_NOT_ACTIVE = {
    "suspended": "Twilio refuses a suspended account's credentials; reactivate it (Twilio Console, or the Accounts "
                 "API with Status=active) or leave it out of the run (the accounts inventory lists only active "
                 "subaccounts unless told otherwise)",
    "closed": "a closed account cannot be used again; leave it out of the run (the accounts inventory lists only "
              "active subaccounts unless told otherwise)",
}


def read_account(record):
    """What the collection decides on in an Account record: ``sid`` and ``owner_account_sid`` (Account SIDs or
    None), ``status`` (one of ACCOUNT_STATUSES, in any case, else None), ``type`` (``trial``, ``full`` or None)
    and ``friendly_name``. Never the auth token: see account_auth_token."""
    return dict(sid=readers.sid(record, "sid", "AC"), owner_account_sid=readers.sid(record, "owner_account_sid", "AC"),
                status=readers.token(record, "status", ACCOUNT_STATUSES),
                type=readers.token(record, "type", ACCOUNT_TYPES), friendly_name=readers.text(record, "friendly_name"))


def account_auth_token(record):
    """The auth token Twilio returns in an Account record to its owner's credentials; None when absent or blank.
    Kept apart from read_account, whose values may be shown."""
    token = readers.text(record, "auth_token")
    return token if token and token.strip() else None


def fetch_account(client, account_sid):
    """An Account's record (``client`` bound to accounts_base_url)."""
    return client.get(account_path(account_sid), "subaccount_sid %s" % account_sid)


def _lookup_error(err, connection):
    """A refusal of the Accounts API, said in terms of the options: the main credentials, subaccount_sid."""
    sub, main = connection.subaccount_sid, connection.account_sid
    code = ", code %s" % err.code if err.code else ""
    if err.http_status == 401:
        msg = ("The Accounts API (%s) rejected the main account's credentials (HTTP 401%s) while reading subaccount_sid "
               "%s: check account_sid and auth_token, or api_key and api_secret (a Main API key: a Standard one "
               "cannot read Accounts), or the TWILIO_* environment variables; they must be those of the account "
               "that owns the subaccount" % (connection.accounts_base_url, code, sub))
    elif err.http_status == 403:
        msg = ("The Accounts API (%s) refused the main account's credentials access to subaccount_sid %s (HTTP 403%s): "
               "use account_sid %s with its auth token, or a Main API key (a Standard API key cannot read Accounts)"
               % (connection.accounts_base_url, sub, code, main))
    elif err.http_status == 404:
        msg = ("subaccount_sid %s was not found with the credentials of account_sid %s (HTTP 404%s): check the SID; "
               "it must be a subaccount of account_sid" % (sub, main, code))
    else:
        return err
    return TwilioError(msg, http_status=err.http_status, code=err.code, more_info=err.more_info,
                       request_id=err.request_id)


def subaccount_token(record, connection):
    """The subaccount's auth token from its record, once the record shows it is ``connection.subaccount_sid``, a
    subaccount of ``connection.account_sid``, and active; else TwilioError naming subaccount_sid (never a token)."""
    sub, main = connection.subaccount_sid, connection.account_sid
    read = read_account(record)
    if read["sid"] != sub:
        raise TwilioError("The Accounts API answered subaccount_sid %s with the record of %s; it was not used"
                          % (sub, shown(readers.value(record, "sid"))))
    if read["owner_account_sid"] != main:
        raise TwilioError("subaccount_sid %s is not a subaccount of account_sid %s (Twilio names its owner %s): give "
                          "the SID of one of account_sid's subaccounts, or the credentials of the account that owns it"
                          % (sub, main, shown(readers.value(record, "owner_account_sid"))))
    status = read["status"]
    if status != "active":
        said = readers.text(record, "status")
        raise TwilioError("subaccount_sid %s is %s, not active: %s" % (
            sub, status or "of status %s" % shown(said if said is not None else readers.value(record, "status")),
            _NOT_ACTIVE.get(status, "nothing was requested from it; check its status in the Twilio Console")))
    token = account_auth_token(record)
    if token is None:
        raise TwilioError("The Accounts API answered subaccount_sid %s without its auth_token, so it cannot be used: "
                          "read it with account_sid %s's auth token or a Main API key" % (sub, main))
    return token


def subaccount_connection(connection, make_client, clients=None):
    """``connection`` as it must reach the Serverless API: unchanged without a subaccount; with one, its
    username and password (and account_sid) those of the subaccount, read with the main credentials from
    accounts_base_url by one GET before any Serverless request.

    ``make_client`` makes a TwilioClient for a Connection (the caller's, so a test can stand in for it); the
    one made here is bound to accounts_base_url, the only host the main credentials are sent to, appended to
    ``clients`` (for its stats) and closed. Raises TwilioError naming subaccount_sid when it cannot be used.
    """
    if connection.subaccount_sid is None:
        return connection
    accounts = make_client(connection._replace(base_url=connection.accounts_base_url, subaccount_sid=None))
    if clients is not None:
        clients.append(accounts)
    try:
        record = fetch_account(accounts, connection.subaccount_sid)
    except TwilioError as err:
        raise _lookup_error(err, connection)
    finally:
        accounts.close()
    token = subaccount_token(record, connection)
    return connection._replace(username=connection.subaccount_sid, password=token,
                               account_sid=connection.subaccount_sid)


ACCOUNTS_PATH = "/2010-04-01/Accounts.json"
# Twilio's largest v2010 page: the fewest requests for a big fleet.
PAGE_SIZE = 1000


def read_listed_account(record):
    """An Account record of the accounts list: read_account's ``sid``, ``friendly_name``, ``status`` and
    ``owner_account_sid``, ``type`` as Twilio writes it, and ``auth_token`` (a string or None: a secret, for
    the caller to hold in memory only)."""
    return dict(sid=readers.sid(record, "sid", "AC"), friendly_name=readers.text(record, "friendly_name"),
                status=readers.token(record, "status", ACCOUNT_STATUSES),
                owner_account_sid=readers.sid(record, "owner_account_sid", "AC"),
                type=readers.text(record, "type"), auth_token=readers.text(record, "auth_token"))


def _page(page, what):
    return read_v2010_page(page, "accounts", what)


def list_accounts(client, status=None, friendly_name=None):
    """Yield each Account the client's credentials see (a main account: itself and its subaccounts), read by
    read_listed_account, in Twilio's order; ``status`` and ``friendly_name`` (exact) filter on Twilio's side."""
    params = {"PageSize": PAGE_SIZE}
    if status:
        params["Status"] = status
    if friendly_name:
        params["FriendlyName"] = friendly_name
    for record in iter_records(client, ACCOUNTS_PATH, "the accounts list", params=params, reader=_page):
        yield read_listed_account(record)
