# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Split so that each module declares the truth: every module is in the
    # action group; a read-only module and a module that writes differ in
    # what check and diff mode mean. Use the base plus one of the others:
    #   - twilio_community.serverless.attributes
    #   - twilio_community.serverless.attributes.read_only
    # or
    #   - twilio_community.serverless.attributes.writes
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/twilio_community.serverless.twilio) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - twilio_community.serverless.twilio
"""

    READ_ONLY = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - The module only reads from Twilio, so it does the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details:
      - The module changes nothing, so there is no difference to show.
"""

    WRITES = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode the module reads the current state, reports whether it would change it, and sends no write.
      - In check mode a Service or Environment named by unique name that does not exist yet (as when an earlier
        task of the same run would create it) is taken as empty, not as an error. The module reports what it
        would make (V(changed=true)), with a warning that starts with C(check mode:), and skips what needs the
        SIDs that do not exist yet.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
"""
