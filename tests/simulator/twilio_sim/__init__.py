# SPDX-License-Identifier: GPL-3.0-or-later
"""A local stand-in for the Twilio Serverless v1 API, for tests and the demo.

It follows Twilio's OpenAPI description (``tests/simulator/spec``) field for
field for the routes the collection reads, and adds a control API under
``/__sim/`` for fault injection, a request log and builds created at run time.
"""

from .server import SimulatorServer  # noqa: F401
from .store import Store, load_seed  # noqa: F401
