# SPDX-License-Identifier: GPL-3.0-or-later
"""A service of its own on a simulator, for the tests of building from source (uploads, CreateBuild,
serverless_build): set up in-process, so the request log holds only what the code under test sent, and read
back from the simulator's state and log, so counts are the server's, not the client's."""

import os
import time

from ..conftest import ACCOUNT, TOKEN


def write_file(root, relative, content):
    """A file of a test's project folder, its folders made as needed."""
    full = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as handle:
        handle.write(content)


CONTENT_TYPES = {"function": "application/javascript", "asset": "application/octet-stream"}


class SourceService:
    """``name`` made on ``sim`` (a ``Sim`` of tests/unit/conftest.py) with no Functions, Assets or builds, and
    builds made through CreateBuild ending at once, completed (``sim.new_build`` changes that)."""

    def __init__(self, sim, name="demo"):
        self.sim = sim
        self.store = sim.server.store
        self.service = self.store.add_service(ACCOUNT, name, created=time.time(), placeholders=False)
        self.sid = self.service.sid
        self.name = name
        self.service.new_build.update(ready_in=0)

    def connection_params(self, **more):
        found = {"account_sid": ACCOUNT, "auth_token": TOKEN, "base_url": self.sim.url, "retries": 3,
                 "request_timeout": 5.0}
        found.update(more)
        return found

    # -- set-up, in-process ----------------------------------------------------
    def add_resource(self, kind, path):
        """The Function or Asset named ``path`` (as serverless_build names them), made if there is none."""
        for resource in self.service.resources.values():
            if resource.kind == kind and resource.friendly_name == path:
                return resource
        return self.store.add_resource(self.service, kind, path)

    def add_version(self, kind, path, content, visibility="public"):
        """A version of the Function or Asset ``path``, as another client (the toolkit) would leave one; its SID."""
        resource = self.add_resource(kind, path)
        return self.store.add_version(self.service, resource, path, visibility, content, CONTENT_TYPES[kind],
                                      path.rpartition("/")[2]).sid

    def add_build(self, function_versions, asset_versions, dependencies=(), runtime="node22"):
        """A completed build of these versions, the newest; its SID."""
        return self.store.create_posted_build(self.service, runtime, time.time(), function_versions, asset_versions,
                                              [dict(d) for d in dependencies]).sid

    def deploy(self, environment, build_sid):
        """Make ``build_sid`` live in ``environment`` (made if there is none)."""
        env = next((e for e in self.service.environments if e.unique_name == environment), None)
        if env is None:
            env = self.store.add_environment(self.service, environment, environment)
        self.store.deploy(self.service, env, build_sid)

    # -- what the simulator holds ------------------------------------------------
    @property
    def builds(self):
        """The service's builds, newest first."""
        return list(self.service.builds)

    def version(self, sid):
        return self.service.versions[sid]

    def build_versions(self, build):
        """A build's versions: {path: Version}."""
        return dict((self.version(s).path, self.version(s)) for s in build.function_versions + build.asset_versions)

    def friendly_names(self, kind):
        return sorted(r.friendly_name for r in self.service.resources.values() if r.kind == kind)

    # -- what reached it -------------------------------------------------------
    def log(self):
        return self.sim.log()

    def clear_log(self):
        self.sim.server.clear_log()

    def requests_to(self, *routes):
        return [e for e in self.sim.log() if e["route"] in routes]

    def uploads(self):
        return self.requests_to("create_function_version", "create_asset_version")

    def writes(self):
        return [e for e in self.sim.log() if e["method"] != "GET"]
