# SPDX-License-Identifier: GPL-3.0-or-later
"""A client for the simulator's control API (/__sim/), for tests and benchmarks."""

import json
import urllib.request


class Control:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode())

    def fault(self, route, *faults):
        self.call("POST", "/__sim/faults", {"route": route, "faults": list(faults)})

    def create_builds(self, service, specs):
        """Create builds now; return the simulator's answer: their ``sids`` and when each ends, ``ready_at``."""
        return self.call("POST", "/__sim/builds", {"service": service, "builds": list(specs)})

    def builds(self, service, specs):
        """Create builds now; return their SIDs."""
        return self.create_builds(service, specs)["sids"]

    def new_build(self, service, **outcome):
        """Set how builds made through CreateBuild end from now on: ``ready_in`` (seconds), ``final_status``
        (completed or failed), ``fail_dependencies`` (names that fail a build that depends on one)."""
        return self.call("POST", "/__sim/new_build", dict(outcome, service=service))["new_build"]

    def variants(self, mode="spec", seed=0, pin=None):
        """Answer from now on in ``mode`` (spec, variants or canonical; see variants.py), the variants drawn
        from ``seed``, with the choices in ``pin`` fixed; return the simulator's description of it."""
        return self.call("POST", "/__sim/variants", {"mode": mode, "seed": seed, "pin": dict(pin or {})})

    def deploy(self, service, environment, functions=(), assets=()):
        """Make these Functions and Assets (``{path, content, visibility, content_type}``), a completed build of
        them, and deploy it to ``environment``; return ``build_sid``, ``deployment_sid`` and ``domain_name``
        (domains.py: a Function's ``// sim:`` lines script how it answers and logs)."""
        body = {"service": service, "environment": environment, "functions": list(functions), "assets": list(assets)}
        return self.call("POST", "/__sim/deploy", body)

    def domain_url(self, domain_name, path=""):
        """The URL of ``path`` in the environment whose ``domain_name`` this is, as the simulator serves it."""
        return "%s/__sim/domains/%s%s" % (self.url, domain_name, path)

    def account_concurrency(self, limit):
        """Serve at most ``limit`` requests of one account at once from now on (0: any; concurrency.py), the
        peaks and refusals counted from now; return the simulator's description: ``limit``, ``in_flight``,
        ``peak`` and ``refused`` by account SID."""
        return self.call("POST", "/__sim/account_concurrency", {"limit": limit})

    def concurrency(self):
        """The account concurrency as the server saw it: ``limit``, ``in_flight``, ``peak``, ``refused``."""
        return self.call("GET", "/__sim/account_concurrency")

    def log(self):
        return self.call("GET", "/__sim/log")["requests"]

    def clear(self):
        self.call("DELETE", "/__sim/log")
