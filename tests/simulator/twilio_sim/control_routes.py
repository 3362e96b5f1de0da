# SPDX-License-Identifier: GPL-3.0-or-later
"""The control API under ``/__sim/`` (the client is ``control.py``): one table, ``CONTROL_TABLE``,
``(method, path) -> handler``. A handler takes the simulator and the JSON body (``{}`` but for a POST) and
returns ``(status, body)``; a KeyError, ValueError or TypeError it raises is a 400, a path and method not in
the table a 404. The generic controls are here; a resource module adds its own through ``CONTROL``, and so does
domains.py (``POST /__sim/deploy``). ``/__sim/domains/`` is not the control API: it is what environments serve."""

from .concurrency import CONTROL as CONCURRENCY_CONTROL
from .domains import CONTROL as DOMAIN_CONTROL
from .resources import CONTROL as RESOURCE_CONTROL
from .resources import SAMPLES


def get_log(sim, body):  # pylint: disable=unused-argument
    return 200, {"requests": sim.log_snapshot()}


def clear_log(sim, body):  # pylint: disable=unused-argument
    sim.clear_log()
    return 200, {"ok": True}


def add_faults(sim, body):
    sim.faults.add(body.get("route", "*"), body["faults"])
    return 200, {"ok": True}


def clear_faults(sim, body):  # pylint: disable=unused-argument
    sim.faults.clear()
    return 200, {"ok": True}


def set_variants(sim, body):
    """How answers look on the wire from now on (variants.py): ``mode``, ``seed``, ``pin``."""
    return 200, sim.set_variants(body.get("mode", "spec"), body.get("seed", 0), body.get("pin")).describe()


def get_variants(sim, body):  # pylint: disable=unused-argument
    return 200, sim.variants.describe()


def samples(sim, body):
    """Example records of every resource that has some to make, in the service the body names."""
    service = sim.find_service_any(body["service"])
    if service is None:
        return 404, {"error": "no service %r" % body["service"]}
    for sample in SAMPLES:
        sample(sim.store, service)
    return 200, {"service_sid": service.sid, "samples": len(SAMPLES)}


CONTROL_TABLE = {
    ("POST", "/__sim/samples"): samples,
    ("GET", "/__sim/log"): get_log,
    ("DELETE", "/__sim/log"): clear_log,
    ("POST", "/__sim/faults"): add_faults,
    ("DELETE", "/__sim/faults"): clear_faults,
    ("POST", "/__sim/variants"): set_variants,
    ("GET", "/__sim/variants"): get_variants,
}
# A resource's own controls (seeding its records, scripting its outcomes) live in its module (``CONTROL``).
for _row, _handler in list(RESOURCE_CONTROL.items()) + list(DOMAIN_CONTROL.items()) + list(CONCURRENCY_CONTROL.items()):
    if _row in CONTROL_TABLE:
        raise ValueError("control route %s %s is declared twice" % _row)
    CONTROL_TABLE[_row] = _handler
