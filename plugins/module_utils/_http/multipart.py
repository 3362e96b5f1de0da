# -*- coding: utf-8 -*-
# Copyright (c) twilio_community.serverless contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""multipart/form-data for Twilio's upload endpoint: the file's bytes exactly as they are on disk.

Not ``ansible.module_utils.urls.prepare_multipart``: it goes through the email package, which
base64-encodes non-text parts and rewrites line endings, and Twilio stores what it receives, so a PNG
or a CRLF script would be served changed. Content types come from a fixed table, not the host's
``mimetypes`` (which reads /etc/mime.types and differs per machine): Twilio serves an asset with the
type it was uploaded with, so the same project must upload the same way everywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import uuid

FUNCTION_CONTENT_TYPE = "application/javascript"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# The types the serverless toolkit's mime-types package gives these extensions.
CONTENT_TYPES = {
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".css": "text/css",
    ".csv": "text/csv",
    ".eot": "application/vnd.ms-fontobject",
    ".gif": "image/gif",
    ".gz": "application/gzip",
    ".htm": "text/html",
    ".html": "text/html",
    ".ico": "image/vnd.microsoft.icon",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".js": "application/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".md": "text/markdown",
    ".mjs": "application/javascript",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".mpeg": "video/mpeg",
    ".oga": "audio/ogg",
    ".ogg": "audio/ogg",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".tar": "application/x-tar",
    ".ttf": "font/ttf",
    ".txt": "text/plain",
    ".wasm": "application/wasm",
    ".wav": "audio/wav",
    ".webm": "video/webm",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".xml": "application/xml",
    ".yaml": "text/yaml",
    ".yml": "text/yaml",
    ".zip": "application/zip",
}


def content_type(path, kind):
    """The Content-Type a file is uploaded with: functions are JavaScript, assets by extension."""
    if kind == "function":
        return FUNCTION_CONTENT_TYPE
    return CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), DEFAULT_CONTENT_TYPE)


def _quoted(value):
    # As browsers do (WHATWG HTML, multipart/form-data encoding): a quote or line break cannot end the header.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode(fields, file_field, filename, content, file_type, boundary=None):
    """Return ``(body, content_type_header)``: ``fields`` (name, text) pairs, then one file part.

    ``content`` is bytes and goes into the body unchanged (no transfer encoding). A boundary is chosen
    that does not occur in the content.
    """
    if not isinstance(content, bytes):
        raise TypeError("content must be bytes")
    boundary = boundary or "ansible-twilio-%s" % uuid.uuid4().hex
    while boundary.encode("ascii") in content:
        boundary = "ansible-twilio-%s" % uuid.uuid4().hex
    dash = b"--" + boundary.encode("ascii")
    parts = []
    for name, value in fields:
        parts.append(dash + b"\r\n" + ('Content-Disposition: form-data; name="%s"\r\n\r\n' % _quoted(name))
                     .encode("utf-8") + value.encode("utf-8") + b"\r\n")
    parts.append(dash + b"\r\n" + ('Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s'
                                   '\r\n\r\n' % (_quoted(file_field), _quoted(filename), file_type)).encode("utf-8")
                 + content + b"\r\n")
    parts.append(dash + b"--\r\n")
    return b"".join(parts), "multipart/form-data; boundary=%s" % boundary
