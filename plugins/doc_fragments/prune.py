# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The pruning options of serverless_build (state=absent); checked by check_prune_params in
    # plugins/module_utils/_release/prune.py.
    DOCUMENTATION = r"""
options:
  build:
    description:
      - With O(state=absent), the SID of the one Build to delete. The task fails, deleting nothing, when an
        Environment runs it, when a roll back needs it (see O(keep_rollbacks)) or when it has not finished.
        Mutually exclusive with O(keep).
    type: str
  keep:
    description:
      - With O(state=absent), how many of the newest completed Builds to keep (a live one among them counts);
        every other Build is deleted, failed ones included, except the Builds Environments run, those their roll
        backs need (see O(keep_rollbacks)) and those not finished. V(0) keeps only those. Mutually exclusive with
        O(build).
    type: int
  keep_rollbacks:
    description:
      - With O(state=absent), how many Builds to keep per Environment for its roll backs, whatever O(keep)
        says. V(1) (the default when not set) keeps the Build that
        M(twilio_community.serverless.serverless_deployment) with
        O(twilio_community.serverless.serverless_deployment#module:rollback=true) would make live now (its
        RV(twilio_community.serverless.serverless_deployment#module:rollback_build_sid)); V(N) also keeps the
        Builds the Environment ran before its live one, newest first, up to N in all, so that an older Build can
        still be deployed again with O(twilio_community.serverless.serverless_deployment#module:build).
      - At least V(1), since pruning never takes the roll back target away. Reading them costs one request per
        Environment that runs a Build (its deployments, 1000 a page).
    type: int
"""
