# SPDX-License-Identifier: GPL-3.0-or-later
"""The multipart encoder: raw bytes survive exactly, a fixed content-type table."""

import json
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.twilio_community.serverless.plugins.module_utils._http.multipart import content_type, encode

from twilio_sim import multipart  # the simulator's strict parser (tests/unit/conftest puts it on the path)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..")
GOLDEN = os.path.join(ROOT, "tests", "toolkit", "golden", "multipart_layout.json")
EXAMPLE = os.path.join(ROOT, "docs", "examples", "project")

BINARY = b"\x00\x01line\r\nnext\nlast\r\x00\xff\xfe--boundary\r\n\r\n"


def parse_multipart(body, header):
    """``body`` read by the parser of the simulator's upload routes: {name: (headers by lower-case name, bytes)}.

    The encoder's own form is held tighter than any sender's: exactly ``multipart/form-data; boundary=B``
    (unquoted), the closing boundary followed by CRLF, each part once.
    """
    match = re.match(r"multipart/form-data; boundary=(\S+)\Z", header)
    assert match, header
    assert body.endswith(b"\r\n--" + match.group(1).encode("ascii") + b"--\r\n")
    parts = multipart.parse(body, header)
    assert len(set(p.name for p in parts)) == len(parts)
    return dict((p.name, (dict((n.lower(), v) for n, v in p.headers), p.data)) for p in parts)


def test_binary_bytes_survive_exactly():
    body, header = encode([("Path", "/logo.png"), ("Visibility", "public")], "Content", "logo.png", BINARY,
                          "image/png")
    parts = parse_multipart(body, header)
    assert parts["Content"][1] == BINARY
    assert parts["Path"][1] == b"/logo.png" and parts["Visibility"][1] == b"public"
    assert parts["Content"][0]["content-disposition"] == 'form-data; name="Content"; filename="logo.png"'
    assert parts["Content"][0]["content-type"] == "image/png"
    assert "content-transfer-encoding" not in parts["Content"][0]
    assert BINARY in body  # not base64, not re-encoded


def test_exact_layout():
    body, header = encode([("Path", "/a")], "Content", "a.js", b"x\n", "application/javascript", boundary="B")
    assert header == "multipart/form-data; boundary=B"
    assert body == (b'--B\r\nContent-Disposition: form-data; name="Path"\r\n\r\n/a\r\n'
                    b'--B\r\nContent-Disposition: form-data; name="Content"; filename="a.js"\r\n'
                    b'Content-Type: application/javascript\r\n\r\nx\n\r\n--B--\r\n')


def test_boundary_never_in_content():
    body, header = encode([], "Content", "f", b"--ansible-twilio-x", "text/plain", boundary="ansible-twilio-x")
    boundary = header.split("boundary=")[1]
    assert boundary != "ansible-twilio-x" and parse_multipart(body, header)["Content"][1] == b"--ansible-twilio-x"


def test_filename_cannot_break_the_header():
    body, header = encode([], "Content", 'a"b\r\nc.txt', b"", "text/plain")
    assert b'filename="a%22b%0D%0Ac.txt"' in body


def test_content_must_be_bytes():
    with pytest.raises(TypeError):
        encode([], "Content", "a", u"text", "text/plain")


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=2048), path=st.text(min_size=1, max_size=50).filter(lambda t: "\r" not in t))
def test_any_bytes_round_trip(content, path):
    body, header = encode([("Path", path), ("Visibility", "private")], "Content", "f.bin", content,
                          "application/octet-stream")
    parts = parse_multipart(body, header)
    assert parts["Content"][1] == content and parts["Path"][1].decode("utf-8") == path


@pytest.mark.parametrize("path, kind, expected", [
    ("/a", "function", "application/javascript"),
    ("/index.html", "asset", "text/html"),
    ("/LOGO.PNG", "asset", "image/png"),
    ("/x.woff2", "asset", "font/woff2"),
    ("/a.js", "asset", "application/javascript"),
    ("/data.unknownext", "asset", "application/octet-stream"),
    ("/README", "asset", "application/octet-stream"),
])
def test_content_types(path, kind, expected):
    assert content_type(path, kind) == expected


def test_table_ignores_the_hosts_mimetypes(monkeypatch):
    import mimetypes
    monkeypatch.setattr(mimetypes, "guess_type", lambda *a, **k: ("text/x-wrong", None))
    assert content_type("/site.css", "asset") == "text/css"
    assert os.path.splitext("/x.tar.gz")[1] == ".gz" and content_type("/x.tar.gz", "asset") == "application/gzip"


def test_same_layout_as_the_toolkit():
    """Each upload of the example project, byte for byte in its framing, as the Twilio toolkit sent it to the
    simulator (tests/toolkit/golden, captured from the pinned @twilio-labs/serverless-api)."""
    if not os.path.isfile(GOLDEN) or not os.path.isdir(EXAMPLE):
        pytest.skip("the golden file or the example project is not in this checkout")
    from ansible_collections.twilio_community.serverless.plugins.module_utils._project.folder import scan_project

    with open(GOLDEN) as handle:
        golden = json.load(handle)["uploads"]
    project = scan_project(EXAMPLE)
    assert sorted(f.path for f in project.files) == sorted(golden)
    for source in project.files:
        with open(source.local_path, "rb") as handle:
            content = handle.read()
        body, header = encode([("Path", source.path), ("Visibility", source.visibility)], "Content",
                              source.path.rpartition("/")[2], content, content_type(source.path, source.kind))
        parts = multipart.parse(body, header)
        expected = golden[source.path]
        layouts = [p.layout() for p in parts]
        assert layouts[2]["size"] == len(content)
        # The golden file leaves sizes out (the toolkit test compares them with the files itself).
        assert [dict((k, v) for k, v in p.items() if k != "size") for p in layouts] == expected["parts"], source.path
        assert multipart.template(body, header, parts) == expected["template"], source.path
