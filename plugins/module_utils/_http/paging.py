# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read a Twilio list endpoint page by page, one record at a time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core import readers
from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError


def _page_parts(records, next_link, what, where, link_name):
    """A page's records and next link, checked: a listing is whole or an error, never silently partial."""
    if not isinstance(records, list):
        raise TwilioError("Twilio answered %s with a page that has no list of records (%s)" % (what, where))
    if not all(isinstance(record, dict) for record in records):
        raise TwilioError("Twilio answered %s with a record that is not an object" % what)
    if next_link is not None and not isinstance(next_link, str):
        raise TwilioError("Twilio answered %s with a %s" % (what, link_name))
    return records, next_link or None


def read_page(page, what):
    """A page of a list endpoint: (its records, the next page's URL or None).

    The records are under the name ``meta.key`` gives; a page without that list, or with an item that is not
    an object, raises TwilioError (a listing is whole or an error). ``what`` names the listing in messages.
    """
    meta = readers.value(page, "meta")
    key = readers.text(meta, "key")
    return _page_parts(readers.value(page, key) if key else None, readers.value(meta, "next_page_url"), what,
                       "meta.key %r" % key, "meta.next_page_url that is not a URL")


def read_v2010_page(page, key, what):
    """A page of a v2010 list endpoint (api.twilio.com): (its records under ``key``, the next page or None).

    v2010 pages have no ``meta``: the records are under the resource's own name and the next page is
    ``next_page_uri``, a path on the API's origin (the client resolves it there and refuses any other host).
    As read_page, a page without the list or with an item that is not an object raises TwilioError.
    """
    return _page_parts(readers.value(page, key), readers.value(page, "next_page_uri"), what, key,
                       "next_page_uri that is not a path")


def iter_records(client, path, what, params=None, on_page=None, deadline=None, reader=read_page):
    """Yield the records of a list endpoint, following ``meta.next_page_url``.

    Lazy: a caller that stops iterating stops the paging, so "the newest 5"
    costs one request. The client refuses a next page off its own origin, so
    credentials never travel to a host the API names; a failing page raises,
    so a listing is whole or an error, never silently partial. ``on_page`` is
    called with each decoded page; ``deadline`` is passed to the client; ``reader`` reads a page (read_page,
    or a v2010 page's reader: ``lambda page, what: read_v2010_page(page, key, what)``).
    """
    url, seen = path, set()
    while url:
        page = client.get(url, what, params=params, deadline=deadline)
        if on_page is not None:
            on_page(page)
        records, next_url = reader(page, what)
        yield from records
        if not next_url:
            return
        if next_url in seen:
            raise TwilioError("Twilio answered %s with a next page already read (%s); stopped to avoid a loop"
                              % (what, next_url))
        seen.add(next_url)
        url, params = next_url, None
