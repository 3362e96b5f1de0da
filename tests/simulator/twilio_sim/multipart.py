# SPDX-License-Identifier: GPL-3.0-or-later
"""A strict ``multipart/form-data`` parser (RFC 7578) for the upload routes.

Strict on purpose: the simulator is where an encoder's mistakes must show. It refuses what Twilio's upload
host would mangle or refuse (a ``Content-Transfer-Encoding``, a part without a name, part headers that are
not UTF-8 (RFC 7578 4.2, 5.1), a body that does not end with the closing boundary) and keeps every byte of a
part's body as sent: no newline rewriting, no decoding, the CRLF before the next boundary being the only
bytes that belong to the framing.
"""

import re

_PARAM = re.compile(r';\s*([A-Za-z0-9_*-]+)="([^"]*)"|;\s*([A-Za-z0-9_*-]+)=([^;\s"]+)')


class MultipartError(ValueError):
    """The body is not a form this parser accepts; the message says why."""


class Part:
    __slots__ = ("name", "filename", "headers", "content_type", "data")

    def __init__(self, name, filename, headers, content_type, data):
        self.name = name
        self.filename = filename
        self.headers = headers  # [(name as sent, value)], in order
        self.content_type = content_type
        self.data = data

    def layout(self):
        """What a golden file compares: the part's headers in order, as sent, and the size of its body
        (a file's bytes are not copied; a text field's value is)."""
        layout = {"name": self.name, "filename": self.filename, "headers": [list(h) for h in self.headers],
                  "size": len(self.data)}
        if self.filename is None:  # a text field (Path, Visibility): its value too
            layout["value"] = self.data.decode("utf-8", "replace")
        return layout


def boundary_of(content_type):
    """The boundary of a ``multipart/form-data`` Content-Type header, or MultipartError."""
    kind, dummy, params = (content_type or "").partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise MultipartError("Content-Type must be multipart/form-data, not %r" % (content_type,))
    values = _params(";" + params)
    boundary = values.get("boundary")
    if not boundary or len(boundary) > 70:
        raise MultipartError("multipart/form-data without a valid boundary parameter")
    return boundary


def _params(text):
    values = {}
    for match in _PARAM.finditer(text):
        if match.group(1):
            values[match.group(1).lower()] = match.group(2)
        else:
            values[match.group(3).lower()] = match.group(4)
    return values


def parse(body, content_type):
    """Parse ``body`` (bytes); return its parts in order, or raise MultipartError."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    if not body.startswith(delimiter + b"\r\n"):
        raise MultipartError("the body does not start with the boundary")
    parts = []
    position = len(delimiter) + 2
    separator = b"\r\n" + delimiter
    while True:
        end = body.find(separator, position)
        if end < 0:
            raise MultipartError("the body does not end with the closing boundary")
        parts.append(_part(body[position:end]))
        after = end + len(separator)
        if body[after:after + 2] == b"--":
            if body[after + 2:] not in (b"", b"\r\n"):
                raise MultipartError("bytes after the closing boundary")
            return parts
        if body[after:after + 2] != b"\r\n":
            raise MultipartError("a boundary line followed by something other than CRLF")
        position = after + 2


def _part(raw):
    head, found, data = raw.partition(b"\r\n\r\n")
    if not found:
        if raw.startswith(b"\r\n"):  # a part with no headers at all
            head, data = b"", raw[2:]
        else:
            raise MultipartError("a part without the blank line that ends its headers")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MultipartError("part headers that are not UTF-8: %r" % (head[:80],)) from exc
    headers = []  # kept as latin-1 text, so template() gives back the exact bytes
    for line in head.split(b"\r\n") if head else []:
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise MultipartError("a malformed part header line %r" % (line[:80],))
        headers.append((name, value.strip()))
    by_name = {}
    for name, value in headers:
        if name.lower() in by_name:
            raise MultipartError("a part repeats its %s header" % name)
        by_name[name.lower()] = value
    if "content-transfer-encoding" in by_name:
        # RFC 7578 4.7: senders must not use it; a base64 part would be stored as its base64 text.
        raise MultipartError("Content-Transfer-Encoding is not accepted (part bytes must be sent raw), got %r"
                             % by_name["content-transfer-encoding"])
    disposition = by_name.get("content-disposition", "")
    kind, dummy, params = disposition.partition(";")
    if kind.strip().lower() != "form-data":
        raise MultipartError("a part without Content-Disposition: form-data")
    values = _params(";" + params)
    if not values.get("name"):
        raise MultipartError("a part without a name")
    if "filename*" in values:
        raise MultipartError("filename* is not accepted (RFC 7578 4.2)")
    return Part(values["name"], values.get("filename"), headers, by_name.get("content-type"), data)


def template(body, content_type, parts):
    """The body with its boundary written ``{boundary}`` and each part's data ``{Name}``: the byte-exact
    framing a golden file can hold. Rebuilt from the parts, so it is only returned when it gives back the
    body exactly (else None)."""
    boundary = boundary_of(content_type).encode("latin-1")
    rebuilt, text = b"", ""
    for part in parts:
        head = "".join("%s: %s\r\n" % header for header in part.headers)
        rebuilt += b"--" + boundary + b"\r\n" + head.encode("latin-1") + b"\r\n" + part.data + b"\r\n"
        text += "--{boundary}\r\n" + head + "\r\n{%s}\r\n" % part.name
    closing = b"--" + boundary + b"--"
    for ending in (b"\r\n", b""):
        if rebuilt + closing + ending == body:
            return text + "--{boundary}--" + ending.decode("latin-1")
    return None
