# SPDX-License-Identifier: GPL-3.0-or-later
"""Services: list, create, fetch, update, delete."""

from ..api import boolean_fields, invalid, list_page

PATHS = (
    ("services", "/v1/Services"),
    ("service", "/v1/Services/{service}"),
)


def get_services(req):
    store = req.store
    return list_page(req, "services", sorted(
        (s for s in store.services.values() if s.account_sid == req.account), key=lambda s: s.created),
        "/v1/Services", lambda s: store.service_json(s, req.base), None, faults=False)


def get_service(req):
    return 200, req.store.service_json(req.service, req.base)


def post_service(req):
    store = req.store
    name, friendly = req.field("UniqueName"), req.field("FriendlyName")
    for option, value in (("UniqueName", name), ("FriendlyName", friendly)):
        if not value:
            return invalid("Missing required parameter %s in the post body" % option)
    if len(name) > 50 or len(friendly) > 255:
        return invalid("UniqueName is at most 50 characters and FriendlyName at most 255")
    if any(s.unique_name == name and s.account_sid == req.account for s in list(store.services.values())):
        return invalid("Service with UniqueName %s already exists" % name)
    flags, problem = boolean_fields(req, ("IncludeCredentials", "UiEditable"))
    if problem:
        return problem
    service = store.add_service(req.account, name, friendly, created=req.now, placeholders=False)
    service.include_credentials = flags.get("IncludeCredentials", True)
    service.ui_editable = flags.get("UiEditable", False)
    return 201, store.service_json(service, req.base)


def update_service(req):
    service = req.service
    flags, problem = boolean_fields(req, ("IncludeCredentials", "UiEditable"))
    if problem:
        return problem
    friendly = req.field("FriendlyName")
    if friendly is not None:
        if not friendly or len(friendly) > 255:
            return invalid("FriendlyName must be 1 to 255 characters")
        service.friendly_name = friendly
    service.include_credentials = flags.get("IncludeCredentials", service.include_credentials)
    service.ui_editable = flags.get("UiEditable", service.ui_editable)
    service.updated = req.now
    return 200, req.store.service_json(service, req.base)


def delete_service(req):
    req.store.delete_service(req.service)
    return 204, b""


# (method, resource) -> (route name: what faults are set on and the log shows, handler)
ROUTES = {
    ("GET", "services"): ("services", get_services),
    ("POST", "services"): ("create_service", post_service),
    ("GET", "service"): ("service", get_service),
    ("POST", "service"): ("update_service", update_service),
    ("DELETE", "service"): ("delete_service", delete_service),
}
