# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One write, never sent again on faith: the house rule for creates, updates and deletes.

The client retries a write only after a 429 (Twilio did not process it). After a 5xx, a timeout or a
dropped connection the write may have taken effect: the caller's ``settled`` re-reads the state and says
whether it did; only when it did not is the write sent again, within the client's retry bound.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.retries import backoff_delay


def reconciled_write(client, send, settled, what, warnings, gone_is_done=False):
    """``send()`` once; after an ambiguous failure, ``settled()`` -> (done, answer) decides.

    Returns ``send()``'s answer, or ``settled()``'s when the write is found to have taken effect (with a
    warning saying so). With ``gone_is_done`` (a delete), a 404 is success: the thing is gone.
    ``what`` names the write in messages ("deleting variable API_KEY"); it must hold no secret.
    """
    attempt = 0
    while True:
        try:
            return send()
        except TwilioError as err:
            if gone_is_done and err.http_status == 404:
                return {}
            if not err.maybe_committed:
                raise
            done, answer = settled()
            if done:
                warnings.append("%s; the state was re-read and %s had taken effect, so it was not sent again"
                                % (err.msg, what))
                return answer
            if attempt >= client.connection.retries:
                raise err.amend("re-read: %s had not taken effect; gave up after %d attempts" % (what, attempt + 1))
            client.sleep(backoff_delay(attempt, client.rand))
            attempt += 1
            client.count_retry("%s on %s" % (err.http_status or err.reason or "network error", what))
