# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options of every module that waits for Builds. Their argument spec and checks are WAIT_ARGUMENT_SPEC
    # and wait_options_from_params in plugins/module_utils/_wait_options.py; the numbers are from `make bench`
    # (docs/performance.md, sections 3 and 3c).
    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - Seconds to wait in all, for every Build together, measured on a monotonic clock.
      - The last poll starts exactly at this deadline (and may take up to 5 seconds), so a Build that finishes
        in the last interval is not reported as timed out; no wait runs past it. The task then fails, naming
        the Builds still building with their last status and poll count.
      - Retries of a poll (see O(retries)) count toward it.
      - For waits longer than the job's connection allows, run the task with C(async) and C(poll).
    type: float
    default: 600
  poll_interval:
    description:
      - Seconds between the first and the second poll of a Build. The first poll is immediate.
      - With O(prediction=false) each later gap is twice the one before, with 10% random jitter, up to
        O(max_poll_interval); with the defaults a Build is polled at about 0, 1, 3, 7, 15, 23, ... seconds.
      - With a prediction, the gap between polls around the expected finish. Without history to predict from,
        the gap between polls while the Build is younger than 5 seconds, and the shortest gap after that (see
        O(prediction)).
    type: float
    default: 1
  max_poll_interval:
    description:
      - The longest gap between two polls of a Build, in seconds; at least O(poll_interval).
      - It bounds how late a finished Build is noticed, with or without a prediction, a right one or a wrong
        one; a Build that completes or fails at any moment is seen within O(max_poll_interval) plus one request.
        A prediction only ever shortens gaps.
      - The default of 8 is a trade measured by C(make bench) (section 3c of its report, the module's own schedule on
        a simulated clock) for Builds of 60 and 120 seconds whose durations vary by 15%. With a prediction, 8 costs
        0.26 and 0.24 of the requests of polling every second, notices an on-time Build 0.6 to 0.7 seconds after it
        ended (median), and a Build that fails before the expected finish 3.2 to 3.6 seconds after (median; 7.8 at
        worst). With V(5), 0.33 and 0.31 of the requests, a failure noticed after 2.6 to 2.8 seconds (4.9 at worst).
        With V(10), 0.25 and 0.22, after 5.0 seconds (9.8 at worst). Above 8 the requests saved no longer make up
        for the later notice.
    type: float
    default: 8
  prediction:
    description:
      - Whether to time the polls by the Service's history. Builds of one Service take about as long as each
        other, so the module reads how long its recent completed Builds took (from Twilio's own timestamps, one
        small listing, the same that finds the newest Build when that is the one awaited) and the awaited Build's
        age (from Twilio's clock, the HTTP C(Date) header, so this machine's clock does not matter).
      - It then polls at once, every O(max_poll_interval) (evenly spread) until shortly before the expected
        finish, every O(poll_interval) within 10% of the expected duration around it (at least two
        O(poll_interval) either side), and after that with gaps doubling from O(poll_interval) up to
        O(max_poll_interval).
      - The 10% window is measured the same way. Where Builds vary by 15%, two thirds of them end inside it and are
        noticed within one O(poll_interval) (median 0.6 to 0.7 seconds). A 5% window saves about one request in
        eight, but the median delay passes a second; 15% costs one request in six to one in five more.
      - With fewer than 3 completed Builds in the history (a new Service), the module uses what is typical of
        Twilio Builds instead, by the awaited Build's age (taken as 0 when the wait starts without a C(Date)
        header or when the listing does not show the Build). A project without npm dependencies builds in a
        few seconds; one with dependencies in tens of seconds to minutes. So the Build is polled every
        O(poll_interval) until it is 5 seconds old, as the Twilio toolkit polls (a 3 second Build is noticed
        within a second), then every 2.9 seconds, and from a 58 second age with gaps of 5% of its age, at least
        O(poll_interval) and at most O(max_poll_interval). With the defaults a Build of 3 to 60 seconds is
        noticed 1.4 seconds after it ended at the median (2.9 at worst), and from 30 seconds with at most half
        the polls of polling every second. One of 10 seconds takes 8 polls (11 every second), one of 30 seconds
        15 (31), one of 60 seconds 25 (61) and one of 120 seconds 40 (121, noticed 4.9 seconds late at worst
        as 5% of its age). Measured by C(make bench), section 3d of its report.
      - With V(false), the doubling schedule O(poll_interval) describes.
    type: bool
    default: true
  fail_on_failed:
    description:
      - Whether a Build that failed fails the task.
      - With V(false) the task succeeds with a warning and reports the status V(failed), so a playbook can branch
        on it.
    type: bool
    default: true
"""
