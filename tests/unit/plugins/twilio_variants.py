# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator answering with every variant Twilio's documented sources show at once
(tests/fixtures/twilio/SOURCES.md), for one test: ``PUBLIC`` (or another case) visibility inside a Build's
versions and in the Versions, statuses in upper case, paths without their leading slash (2019 bodies),
``date_updated`` null as on a fresh resource, ``custom_domain_name: null`` and fields nobody documents at every
level.

The simulator's own variants mode (tests/simulator/twilio_sim/variants.py), every choice pinned: the store and
its checks stay as they are and only the bodies on the wire change.
"""

from twilio_sim.variants import EVERY

CASES = ("upper", "title", "lower")


def serve_variants(sim, case="upper"):
    """From now on ``sim`` (a ``Sim`` of tests/unit/conftest.py) answers in every variant, visibility in ``case``
    (upper, title or lower). The ``sim`` fixture answers as the spec's examples again after the test; a
    ``fresh_sim`` ends with it."""
    return sim.variants("variants", pin=dict(EVERY, build_visibility=case, version_visibility=case))
