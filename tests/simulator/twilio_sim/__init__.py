# SPDX-License-Identifier: GPL-3.0-or-later
"""A local stand-in for the Twilio Serverless v1 API, for tests and the demo.

It follows Twilio's OpenAPI description (``tests/simulator/spec``) field for
field for the routes the collection calls, and adds a control API under
``/__sim/`` for fault injection, a request log, builds created at run time and
how new builds end. Its answers look as the description's examples show them (``"visibility": "PUBLIC"`` inside
a Build), or, in its variants mode, as any of Twilio's documented sources may (variants.py).

The uploads (``POST .../Functions/{ZH}/Versions`` and ``.../Assets/{ZH}/Versions``)
are served on the same origin; in Twilio they go to ``serverless-upload.twilio.com``,
which the OpenAPI description does not cover, so they are checked by their own
tests and by the Twilio toolkit (``tests/toolkit``), not against the spec.
"""

from .server import SimulatorServer  # noqa: F401
from .store import Store, load_seed  # noqa: F401
