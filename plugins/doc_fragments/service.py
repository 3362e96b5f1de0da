# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The Service option of every module; its argument spec is SERVICE_OPTION
    # in plugins/module_utils/_options.py.
    DOCUMENTATION = r"""
options:
  service:
    description:
      - The Service, by SID (V(ZS) followed by 32 hexadecimal digits) or by unique name.
      - A unique name may hold letters, digits, V(-), V(_) and V(.), up to 50 characters, starting with a letter
        or digit. Anything that could change the URL path, such as V(/), V(?), V(#), V(..) or spaces, is refused
        before any request.
      - A unique name costs one request to resolve to the SID, which the module returns as RV(service_sid).
    type: str
    required: true
    aliases:
      - service_sid
"""
