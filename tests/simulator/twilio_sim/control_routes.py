# SPDX-License-Identifier: GPL-3.0-or-later
"""The control API under ``/__sim/`` (the client is ``control.py``): one table, ``CONTROL_TABLE``,
``(method, path) -> handler``. A handler takes the simulator and the JSON body (``{}`` but for a POST) and
returns ``(status, body)``; a KeyError, ValueError or TypeError it raises is a 400, a path and method not in
the table a 404."""


def _service(sim, body):
    """The service the body names (SID or unique name, any account), or (None, a 404 answer)."""
    service = sim.find_service_any(body["service"])
    if service is None:
        return None, (404, {"error": "no service %r" % body["service"]})
    return service, None


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


def create_builds(sim, body):
    service, missing = _service(sim, body)
    if missing:
        return missing
    builds = sim.store.create_builds(service, body["builds"])
    # ready_at (epoch seconds, the log's clock) lets a test time its polls against the build's end.
    return 200, {"sids": [b.sid for b in builds], "ready_at": [b.ready_at for b in builds],
                 "service_sid": service.sid}


def new_build(sim, body):
    """The outcome of the builds CreateBuild makes from now on: a test scripts a failed build here."""
    service, missing = _service(sim, body)
    if missing:
        return missing
    if body.get("final_status", "completed") not in ("completed", "failed"):
        raise ValueError("final_status must be completed or failed")
    service.new_build.update((k, body[k]) for k in ("ready_in", "final_status", "fail_dependencies") if k in body)
    return 200, {"new_build": dict(service.new_build), "service_sid": service.sid}


CONTROL_TABLE = {
    ("GET", "/__sim/log"): get_log,
    ("DELETE", "/__sim/log"): clear_log,
    ("POST", "/__sim/faults"): add_faults,
    ("DELETE", "/__sim/faults"): clear_faults,
    ("POST", "/__sim/builds"): create_builds,
    ("POST", "/__sim/new_build"): new_build,
}
