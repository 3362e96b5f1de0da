# SPDX-License-Identifier: GPL-3.0-or-later
"""Functions and Assets (list, create, fetch), their Versions (list, fetch), Function Version Content, and the
uploads ``POST .../Functions/{ZH}/Versions`` and ``.../Assets/{ZH}/Versions``.

The uploads: at serverless-upload.twilio.com in Twilio (not in the OpenAPI description), here on the
simulator's one origin.
"""

import hashlib

from .. import multipart
from ..api import error_body, invalid, list_page

PATHS = (
    ("functions", "/v1/Services/{service}/Functions"),
    ("function", "/v1/Services/{service}/Functions/{function}"),
    ("function_versions", "/v1/Services/{service}/Functions/{function}/Versions"),
    ("function_version", "/v1/Services/{service}/Functions/{function}/Versions/{version}"),
    ("function_version_content", "/v1/Services/{service}/Functions/{function}/Versions/{version}/Content"),
    ("assets", "/v1/Services/{service}/Assets"),
    ("asset", "/v1/Services/{service}/Assets/{asset}"),
    ("asset_versions", "/v1/Services/{service}/Assets/{asset}/Versions"),
    ("asset_version", "/v1/Services/{service}/Assets/{asset}/Versions/{version}"),
)
VISIBILITIES = ("public", "protected", "private")
# Twilio's upload host refuses bigger assets with a bare 413 (no JSON body).
ASSET_LIMITS = {"public": 25 * 1024 * 1024, "protected": 25 * 1024 * 1024, "private": 10 * 1024 * 1024}
TOO_LARGE_PAGE = ("<html><head><title>413 Request Entity Too Large</title></head><body><center>"
                  "<h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>\n")


def find_resource(req, kind):
    """The Function or Asset (``kind``) the path names, or (None, a 404 answer)."""
    sid = req.match.group(kind)
    resource = req.service.resources.get(sid)
    if resource is None or resource.kind != kind:
        return None, (404, error_body(404, "/Services/%s/%ss/%s" % (req.service.sid, kind.capitalize(), sid)))
    return resource, None


def find_version(req, kind):
    resource, missing = find_resource(req, kind)
    if missing:
        return None, missing
    version = req.service.versions.get(req.match.group("version"))
    if version is None or version.resource_sid != resource.sid:
        return None, (404, error_body(404, "/Services/%s/%ss/%s/Versions/%s" % (
            req.service.sid, kind.capitalize(), resource.sid, req.match.group("version"))))
    return version, None


def get_resources(req, kind):
    store, service = req.store, req.service
    with store.lock:
        items = [r for r in service.resources.values() if r.kind == kind]
    return list_page(req, kind + "s", items, "/v1/Services/%s/%ss" % (service.sid, kind.capitalize()),
                     lambda r: store.resource_json(service, r, req.base), None)


def post_resource(req, kind):
    store = req.store
    name = req.field("FriendlyName")
    if not name:
        return invalid("Missing required parameter FriendlyName in the post body")
    if len(name) > 255:
        return invalid("FriendlyName must be at most 255 characters")
    resource = store.add_resource(req.service, kind, name, req.now)
    return 201, store.resource_json(req.service, resource, req.base)


def get_resource(req, kind):
    resource, missing = find_resource(req, kind)
    return missing or (200, req.store.resource_json(req.service, resource, req.base))


def get_versions(req, kind):
    store, service = req.store, req.service
    resource, missing = find_resource(req, kind)
    if missing:
        return missing
    with store.lock:
        items = [v for v in service.versions.values() if v.resource_sid == resource.sid]
    return list_page(req, kind + "_versions", items, "/v1/Services/%s/%ss/%s/Versions" % (
        service.sid, kind.capitalize(), resource.sid), lambda v: store.version_json(service, v, req.base), None)


def get_version(req, kind):
    version, missing = find_version(req, kind)
    return missing or (200, req.store.version_json(req.service, version, req.base))


def post_version(req, kind):
    """The upload: a strict multipart form of Path, Visibility and Content, its bytes kept exactly."""
    store, service = req.store, req.service
    resource, missing = find_resource(req, kind)
    if missing:
        return missing
    content_type = req.content_type
    try:
        parts = multipart.parse(req.raw, content_type)
    except multipart.MultipartError as exc:
        req.entry["multipart"] = {"error": str(exc)}
        return invalid("Invalid multipart/form-data body: %s" % exc)
    # The log keeps the form's layout (what the golden test compares) and a digest of the content.
    req.entry["multipart"] = {"content_type": content_type, "parts": [p.layout() for p in parts],
                              "template": multipart.template(req.raw, content_type, parts)}
    by_name = {}
    for part in parts:
        if part.name in by_name:
            return invalid("The part %s is sent more than once" % part.name)
        by_name[part.name] = part
    absent = [name for name in ("Path", "Visibility", "Content") if name not in by_name]
    if absent:
        return invalid("Missing required part%s %s" % ("s" if len(absent) > 1 else "", ", ".join(absent)))
    unknown = sorted(set(by_name) - {"Path", "Visibility", "Content"})
    if unknown:
        return invalid("Unknown part%s %s" % ("s" if len(unknown) > 1 else "", ", ".join(unknown)))
    content = by_name["Content"]
    if content.filename is None or not content.content_type:
        return invalid("The Content part needs a filename and a Content-Type")
    try:
        path = by_name["Path"].data.decode("utf-8")
        visibility = by_name["Visibility"].data.decode("utf-8")
    except UnicodeDecodeError:
        return invalid("Path and Visibility must be UTF-8 text")
    if visibility not in VISIBILITIES:
        return invalid("Visibility must be one of %s, not %r" % (", ".join(VISIBILITIES), visibility))
    path = path if path.startswith("/") else "/" + path  # as the spec says Twilio does
    if len(path) > 255:
        return invalid("Path must be at most 255 characters")
    if kind == "asset" and len(content.data) > ASSET_LIMITS[visibility]:
        req.entry["multipart"]["too_large"] = len(content.data)
        return 413, TOO_LARGE_PAGE, {"Content-Type": "text/html"}
    req.entry["multipart"]["sha256"] = hashlib.sha256(content.data).hexdigest()
    version = store.add_version(service, resource, path, visibility, content.data, content.content_type,
                                content.filename, req.now)
    return 201, store.version_json(service, version, req.base)


def get_function_version_content(req):
    version, missing = find_version(req, "function")
    return missing or (200, req.store.version_content_json(req.service, version, req.base))


def _of(kind, handler):
    """``handler(req, kind)`` as the route handler of one kind (``function`` or ``asset``)."""
    def handle(req):
        return handler(req, kind)
    handle.__name__ = "%s_%s" % (handler.__name__, kind)
    return handle


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "functions"): ("functions", _of("function", get_resources)),
    ("POST", "functions"): ("create_function", _of("function", post_resource)),
    ("GET", "function"): ("function", _of("function", get_resource)),
    ("GET", "function_versions"): ("function_versions", _of("function", get_versions)),
    ("POST", "function_versions"): ("create_function_version", _of("function", post_version)),  # the upload
    ("GET", "function_version"): ("function_version", _of("function", get_version)),
    ("GET", "function_version_content"): ("function_version_content", get_function_version_content),
    ("GET", "assets"): ("assets", _of("asset", get_resources)),
    ("POST", "assets"): ("create_asset", _of("asset", post_resource)),
    ("GET", "asset"): ("asset", _of("asset", get_resource)),
    ("GET", "asset_versions"): ("asset_versions", _of("asset", get_versions)),
    ("POST", "asset_versions"): ("create_asset_version", _of("asset", post_version)),  # the upload
    ("GET", "asset_version"): ("asset_version", _of("asset", get_version)),
}
# Route groups faults can be set on (see faults.py): either upload.
FAULT_GROUPS = {"uploads": ("create_function_version", "create_asset_version")}


def sample(store, service):
    """A Function and an Asset with one version each, for tests that walk every route (the conformance crawl)."""
    samples = (("function", "/sample", "application/javascript",
                b"exports.handler = (context, event, callback) => callback(null, 'ok');"),
               ("asset", "/sample.css", "text/css", b"body { color: red; }"))
    for kind, path, content_type, content in samples:
        resource = store.add_resource(service, kind, path)
        store.add_version(service, resource, path, "public", content, content_type, path.rsplit("/", 1)[-1])
