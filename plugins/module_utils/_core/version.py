# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's version, sent in the User-Agent (a test keeps it equal to galaxy.yml)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLLECTION_NAME = "twilio_community.serverless"
COLLECTION_VERSION = "0.3.0"
