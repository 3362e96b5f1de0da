# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accounts of the v2010 API (api.twilio.com, another origin than Serverless's): a main account's subaccounts.

A client for these reads is bound to the Accounts API's origin (``accounts_base_url``) with the main
account's credentials. An Account record holds the account's ``auth_token``: it is read into memory for the
caller to use as a credential and never returned by the readers' callers (see the inventory plugin).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.paging import (
    iter_records,
    read_v2010_page,
)

ACCOUNTS_PATH = "/2010-04-01/Accounts.json"
ACCOUNT_STATUSES = ("active", "suspended", "closed")
# Twilio's largest v2010 page: the fewest requests for a big fleet.
PAGE_SIZE = 1000


def read_account(record):
    """What the collection decides on in an Account record: ``sid`` (an Account SID or None), ``friendly_name``,
    ``status`` (active, suspended, closed in lower case, or None), ``owner_account_sid``, ``type`` and
    ``auth_token`` (a string or None: a secret, for the caller to hold in memory only)."""
    return dict(sid=readers.sid(record, "sid", "AC"), friendly_name=readers.text(record, "friendly_name"),
                status=readers.token(record, "status", ACCOUNT_STATUSES),
                owner_account_sid=readers.sid(record, "owner_account_sid", "AC"),
                type=readers.text(record, "type"), auth_token=readers.text(record, "auth_token"))


def _page(page, what):
    return read_v2010_page(page, "accounts", what)


def list_accounts(client, status=None, friendly_name=None):
    """Yield each Account the client's credentials see (a main account: itself and its subaccounts), read by
    read_account, in Twilio's order; ``status`` and ``friendly_name`` (exact) filter on Twilio's side."""
    params = {"PageSize": PAGE_SIZE}
    if status:
        params["Status"] = status
    if friendly_name:
        params["FriendlyName"] = friendly_name
    for record in iter_records(client, ACCOUNTS_PATH, "the accounts list", params=params, reader=_page):
        yield read_account(record)
