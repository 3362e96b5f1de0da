# SPDX-License-Identifier: GPL-3.0-or-later
"""Start the Twilio Serverless simulator: see twilio_sim/__main__.py for options."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from twilio_sim.__main__ import main  # noqa: E402  pylint: disable=wrong-import-position

if __name__ == "__main__":
    sys.exit(main())
