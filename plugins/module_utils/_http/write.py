# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One write, never sent again on faith: the house rule for every create, update and delete.

The client retries a write only after a 429 (Twilio did not process it; Retry-After is honoured there). After
a 5xx, a timeout or a dropped connection the write may have taken effect: the caller's ``settled`` re-reads the
state and says whether it did; only when it did not is the write sent again, after a backoff, within the
client's retry bound. Every POST and DELETE of the collection whose outcome can be ambiguous goes through
``reconciled_write`` (CreateBuild, CreateDeployment, Functions and Assets, Variables, Environments, Services,
DeleteBuild); tests/unit/plugins/module_utils/_http/test_write.py drives each of them through its faults.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.retries import backoff_delay


def reconciled_write(client, send, settled, what, warnings, gone_is_done=False, also_ambiguous=(),
                     adopted=None, not_done=None, label=None):
    """``send()`` once; after an ambiguous failure, ``settled()`` -> (done, answer) decides.

    Returns ``send()``'s answer, or ``settled()``'s when the write is found to have taken effect (with a
    warning saying so). ``what`` names the write in messages ("deleting variable API_KEY"); it must hold no
    secret. The rest tunes the words, never the rule:

    - ``gone_is_done``: a delete, for which a 404 is success (the thing is gone);
    - ``also_ambiguous``: statuses that may hide a write that took effect, besides 5xx and network errors
      (a 409 on CreateDeployment: a concurrent deployment may have made the build live);
    - ``adopted(err, answer)``: the warning when the re-read shows the write took effect;
    - ``not_done``: what the re-read found when it had not, for the final error;
    - ``label``: the write as the retry summary counts it ("a build"), by default ``what``.
    """
    attempt = 0
    while True:
        try:
            return send()
        except TwilioError as err:
            if gone_is_done and err.http_status == 404:
                return {}
            if not (err.maybe_committed or err.http_status in also_ambiguous):
                raise
            done, answer = settled()
            if done:
                warnings.append(adopted(err, answer) if adopted else
                                "%s; the state was re-read and %s had taken effect, so it was not sent again"
                                % (err.msg, what))
                return answer
            if attempt >= client.connection.retries:
                raise err.amend("%s; gave up after %d attempts"
                                % (not_done or "re-read: %s had not taken effect" % what, attempt + 1))
            client.sleep(backoff_delay(attempt, client.rand))
            attempt += 1
            client.count_retry("%s on %s" % (err.http_status or err.reason or "network error", label or what))
