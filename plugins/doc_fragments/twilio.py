# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and authentication options shared by every module. The
    # argument spec they document is in plugins/module_utils/_options.py.
    DOCUMENTATION = r"""
options:
  account_sid:
    description:
      - The SID of the Twilio Account (V(AC) followed by 32 hexadecimal digits).
      - Always required, also with API key authentication, because Twilio scopes a key to one account.
      - With O(subaccount_sid), the main account that owns the subaccount.
      - If not set, the value of the E(TWILIO_ACCOUNT_SID) environment variable is used.
        An empty variable counts as unset (AWX sets credential fields left blank to empty strings).
    type: str
  auth_token:
    description:
      - The Auth Token of the account, used with O(account_sid) for HTTP Basic authentication.
      - Ignored when O(api_key) and O(api_secret) are given; an API key can be revoked on its own,
        so prefer one for automation.
      - If not set, the value of the E(TWILIO_AUTH_TOKEN) environment variable is used.
      - Never shown in results, warnings or logs.
    type: str
  api_key:
    description:
      - The SID of a Twilio API Key (V(SK) followed by 32 hexadecimal digits), used with O(api_secret).
      - Wins over O(auth_token) when both are given, as in twilio-cli.
      - If not set, the value of the E(TWILIO_API_KEY) environment variable is used.
      - An identifier, not a secret, so it may appear in results; the O(api_secret) never does.
    type: str
  api_secret:
    description:
      - The secret of the API Key named by O(api_key).
      - If not set, the value of the E(TWILIO_API_SECRET) environment variable is used.
    type: str
  region:
    description:
      - The Twilio Region to send requests to, such as V(ie1) or V(au1).
      - With O(edge), requests go to C(serverless.{edge}.{region}.twilio.com); alone, to
        C(serverless.{region}.twilio.com), as the official twilio-python library does.
      - Ignored when O(base_url) is set.
      - If not set, the value of the E(TWILIO_REGION) environment variable is used.
    type: str
  edge:
    description:
      - The Twilio Edge location to connect through, such as V(dublin) or V(sydney).
      - Without O(region), the region V(us1) is used, as in twilio-python.
      - Ignored when O(base_url) is set.
      - If not set, the value of the E(TWILIO_EDGE) environment variable is used.
    type: str
  base_url:
    description:
      - Scheme, host and optional port of the API, such as V(https://serverless.twilio.com).
        Overrides O(region) and O(edge); meant for an API proxy or a local simulator.
      - Must not contain a path, query or credentials. Plain V(http) is accepted only for a loopback
        host, so credentials are never sent unencrypted over a network.
      - Credentials are sent to this host only; next-page links and redirects to any other host are refused.
      - If not set, the value of the E(TWILIO_SERVERLESS_BASE_URL) environment variable is used,
        and if that is unset too, the host follows from O(region) and O(edge), by default
        V(https://serverless.twilio.com).
    type: str
  subaccount_sid:
    description:
      - The SID of a subaccount of O(account_sid) (V(AC) followed by 32 hexadecimal digits) to work on.
        Twilio serves a subaccount's Services only to the subaccount's own credentials (a main account's
        API key is denied), so O(account_sid) with O(auth_token) (or O(api_key) and O(api_secret)) are then
        the main account's credentials.
      - Before any request to O(base_url), the module reads the subaccount from the Accounts API at
        O(accounts_base_url) with the main credentials (one GET, also in check mode, counted in C(stats)),
        and fails, naming O(subaccount_sid) and its status, unless it is an active subaccount of O(account_sid).
        The main credentials go to O(accounts_base_url) only; the subaccount's auth token, which Twilio returns
        to its owner, then goes to O(base_url) (and the upload host) only. It is held in memory for the task's
        run, masked in its output, and never returned.
      - An API key needs to be a Main key to read Accounts; a Standard key is refused (HTTP 401 or 403).
      - The main account's own SID means the main account itself, with no lookup (the accounts inventory may list
        it beside its subaccounts).
      - If not set, the value of the E(TWILIO_SUBACCOUNT_SID) environment variable is used; an empty variable
        counts as unset.
    type: str
  accounts_base_url:
    description:
      - Scheme, host and optional port of Twilio's Accounts API (v2010), which O(subaccount_sid) is read from;
        meant for an API proxy or a local simulator. Checked like O(base_url) (no path, query or credentials;
        plain V(http) only for a loopback host), before any request.
      - If not set, the value of the E(TWILIO_ACCOUNTS_BASE_URL) environment variable is used, and if that is
        unset too, the host follows from O(region) and O(edge) as for O(base_url), by default
        V(https://api.twilio.com), else C(api.{edge}.{region}.twilio.com).
      - Used only with O(subaccount_sid).
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API host.
      - Set to V(false) only for testing; the module then warns once.
    type: bool
    default: true
  ca_path:
    description:
      - A file of PEM-encoded CA certificates to verify the API host's certificate with, instead of the bundle
        that comes with C(requests), for a corporate proxy or TLS inspection.
      - Checked before any request; a missing or unreadable file, or one without a PEM certificate, fails the task.
      - If not set, the value of the E(TWILIO_SERVERLESS_CA_PATH) environment variable is used. Otherwise, as
        with C(requests), E(REQUESTS_CA_BUNDLE) (or E(CURL_CA_BUNDLE)) names the bundle if set; O(ca_path) wins
        over both. E(HTTPS_PROXY) and E(NO_PROXY) are honoured as C(requests) honours them.
      - Ignored when O(validate_certs=false).
    type: path
  request_timeout:
    description:
      - Seconds to wait for each HTTP request (connecting, and then for each read), from 0 exclusive to 3600.
      - A request that times out is retried like a connection error.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry a request that failed in a way worth retrying, from 0 to 20.
      - Retried are HTTP 429 (Twilio's rate limit, error 20429, which Twilio asks clients to retry with
        backoff), 500, 502, 503 and 504 (transient faults of Twilio or a proxy in front of it), connection
        errors and timeouts of reads. A request that changes something (a deployment) is retried only after a
        429, which Twilio did not process; after other failures the module re-reads the state instead.
      - Not retried are other 4xx answers (bad credentials, unknown service or build), which a retry cannot fix.
      - Waits grow exponentially from 0.25-0.5 seconds to at most 4-8 seconds, with random jitter so parallel
        jobs do not retry in step; a C(Retry-After) header from Twilio is honoured instead, up to 60 seconds.
    type: int
    default: 5
  max_concurrent_requests:
    description:
      - At most this many requests to the account are in flight at once from this machine, counted across every
        task, fork and upload thread of this user, from 0 to 10000. A request waits for a free slot (up to 5
        minutes, then the task fails saying so).
      - Twilio serves about 100 requests of one account at once and answers more with HTTP 429 (error 20429).
        A run at C(forks=20), each task uploading with 10 threads, could send 200; the default of 50 keeps one
        machine at half the account's limit, leaving the rest to the account's other users (the Console,
        Studio, the application itself, another controller or AWX job slice). Size it so the controllers that
        release to one account together stay under its limit; the user guide's "Sizing a fleet run" says how.
      - The account counted is the one the credentials act in. The slots are locks on empty files named after
        the account SID, in a directory only this user may use under the temporary directory (E(TMPDIR)); a
        process that ends, however it ends, frees its slots. No credential is written.
      - V(0) sets no limit on this machine. Either way, a task that meets a 429 halves how many requests it sends
        at once (and waits out a C(Retry-After)), then raises it again as requests succeed.
      - If not set, the value of the E(TWILIO_MAX_CONCURRENT_REQUESTS) environment variable is used.
    type: int
    default: 50
requirements:
  - python >= 3.8
  - requests >= 2.25.0
notes:
  - Credentials may come from module options, from C(module_defaults) for the action group
    C(group/twilio_community.serverless.twilio), or from the E(TWILIO_*) environment variables
    that Twilio's own tools read; an option wins over its environment variable.
"""

    # The same options for lookup plugins, which run on the controller and
    # take them from keyword arguments, variables or the environment
    # (module_defaults do not reach lookups). plugins/plugin_utils/_connection.py
    # feeds them to the same validation as the modules.
    PLUGIN_OPTIONS = r"""
options:
  account_sid:
    description:
      - The SID of the Twilio Account (V(AC) followed by 32 hexadecimal digits). Always required.
      - An empty environment variable counts as unset.
    type: str
    env:
      - name: TWILIO_ACCOUNT_SID
    vars:
      - name: twilio_account_sid
  auth_token:
    description:
      - The Auth Token of the account. Ignored when O(api_key) and O(api_secret) are given.
      - Never shown in errors.
    type: str
    env:
      - name: TWILIO_AUTH_TOKEN
    vars:
      - name: twilio_auth_token
  api_key:
    description: The SID of a Twilio API Key (V(SK)...), used with O(api_secret); wins over O(auth_token).
    type: str
    env:
      - name: TWILIO_API_KEY
    vars:
      - name: twilio_api_key
  api_secret:
    description: The secret of the API Key named by O(api_key). Never shown in errors.
    type: str
    env:
      - name: TWILIO_API_SECRET
    vars:
      - name: twilio_api_secret
  region:
    description: The Twilio Region, such as V(ie1). Ignored when O(base_url) is set.
    type: str
    env:
      - name: TWILIO_REGION
    vars:
      - name: twilio_region
  edge:
    description: The Twilio Edge location, such as V(dublin). Ignored when O(base_url) is set.
    type: str
    env:
      - name: TWILIO_EDGE
    vars:
      - name: twilio_edge
  base_url:
    description:
      - Scheme, host and optional port of the API, such as V(https://serverless.twilio.com); for an API proxy or
        a local simulator. Plain V(http) only for a loopback host. Credentials go to this host only.
    type: str
    env:
      - name: TWILIO_SERVERLESS_BASE_URL
    vars:
      - name: twilio_serverless_base_url
  subaccount_sid:
    description:
      - The SID of a subaccount of O(account_sid) to work on (V(AC)...). O(account_sid) with O(auth_token) (or
        O(api_key) and O(api_secret)) are then the main account's, which read the subaccount's auth token from
        O(accounts_base_url), and only that token is sent to O(base_url). It must be an active subaccount of
        O(account_sid), else the lookup fails naming it and its status.
      - The token is held in memory only, never returned. An empty environment variable counts as unset.
    type: str
    env:
      - name: TWILIO_SUBACCOUNT_SID
    vars:
      - name: twilio_subaccount_sid
  accounts_base_url:
    description:
      - Scheme, host and optional port of Twilio's Accounts API, by default V(https://api.twilio.com) (with
        O(region) and O(edge), C(api.{edge}.{region}.twilio.com)). Checked like O(base_url). Used only with
        O(subaccount_sid).
    type: str
    env:
      - name: TWILIO_ACCOUNTS_BASE_URL
    vars:
      - name: twilio_accounts_base_url
  validate_certs:
    description: Whether to verify the TLS certificate of the API host. V(false) only for testing.
    type: bool
    default: true
    vars:
      - name: twilio_validate_certs
  ca_path:
    description:
      - A file of PEM-encoded CA certificates to verify the API host with; wins over E(REQUESTS_CA_BUNDLE).
    type: path
    env:
      - name: TWILIO_SERVERLESS_CA_PATH
    vars:
      - name: twilio_ca_path
  request_timeout:
    description: Seconds to wait for each HTTP request, from 0 exclusive to 3600.
    type: float
    default: 30
    vars:
      - name: twilio_request_timeout
  retries:
    description: How many times to retry a request that failed in a way worth retrying (429, 5xx, network), 0 to 20.
    type: int
    default: 5
    vars:
      - name: twilio_retries
  max_concurrent_requests:
    description:
      - At most this many requests to the account in flight at once from this machine, across every process of this
        user, 0 (no limit) to 10000. Counted with the modules' requests.
    type: int
    default: 50
    env:
      - name: TWILIO_MAX_CONCURRENT_REQUESTS
    vars:
      - name: twilio_max_concurrent_requests
notes:
  - Lookups run on the controller, not on the managed host, and each call makes its own connection.
  - C(module_defaults) do not reach lookups; set the options as keyword arguments, as variables (such as
    C(twilio_account_sid)) or in the E(TWILIO_*) environment variables.
"""
