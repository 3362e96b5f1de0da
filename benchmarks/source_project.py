# SPDX-License-Identifier: GPL-3.0-or-later
"""The project section 7 of `make bench` builds: 20 functions and 100 assets, some of them binary, about 5 MB,
laid out as the Twilio toolkit lays it out. Generated at bench time into a temporary folder (5 MB does not
belong in git) from a fixed seed, so every run builds the same bytes. Standard library only."""

import collections
import json
import os
import random

FUNCTIONS = 20
ASSETS = 100
BINARY_ASSETS = 20  # of ASSETS
TOTAL_BYTES = 5 * 1024 * 1024  # functions, assets and package.json together, about
SEED = 20261201

PACKAGE_JSON = {
    "name": "bench-source-project",
    "version": "1.0.0",
    "private": True,
    "dependencies": {"@twilio/runtime-handler": "2.1.0", "lodash.escape": "^4.0.1"},
}
# The project's size: section 7's by default; the fleet's (section 10) is smaller, as 200 first releases of it
# are only the setup of what that section measures.
Shape = collections.namedtuple("Shape", "functions assets binary_assets total_bytes",
                               defaults=(FUNCTIONS, ASSETS, BINARY_ASSETS, TOTAL_BYTES))
TEXT_KINDS = ("css", "js", "html", "json", "txt")
BINARY_KINDS = ("png", "jpg", "woff2", "bin")
WORDS = ("twilio", "serverless", "function", "asset", "build", "deploy", "voice", "message", "reply", "menu",
         "caller", "queue", "token", "event", "context", "callback", "response", "status", "route", "press")


def function_relpaths(functions=FUNCTIONS):
    """Paths of the functions, relative to the project: a few nested, a few protected or private."""
    paths = []
    for n in range(functions):
        folder = "functions/api/" if n % 4 == 3 else "functions/"
        suffix = ".protected.js" if n % 5 == 1 else ".private.js" if n % 7 == 2 else ".js"
        paths.append("%sfn-%02d%s" % (folder, n, suffix))
    return paths


def asset_relpaths(assets=ASSETS, binary_assets=BINARY_ASSETS):
    """Paths of the assets: the first ``binary_assets`` binary, the rest text; a few nested or private."""
    paths = []
    for n in range(assets):
        binary = n < binary_assets
        ext = BINARY_KINDS[n % len(BINARY_KINDS)] if binary else TEXT_KINDS[n % len(TEXT_KINDS)]
        folder = "assets/media/" if binary else "assets/static/" if n % 3 == 0 else "assets/"
        private = ".private" if n % 11 == 5 else ""
        paths.append("%sasset-%03d%s.%s" % (folder, n, private, ext))
    return paths


def function_text(rng, n, size):
    lines = ["// Generated for `make bench` (function %d): not a real handler's logic." % n,
             "exports.handler = function (context, event, callback) {",
             "  const twiml = new Twilio.twiml.MessagingResponse();"]
    body = 0
    while body < size:
        line = "  twiml.message('%s');" % " ".join(rng.choice(WORDS) for dummy in range(8))
        lines.append(line)
        body += len(line) + 1
    lines += ["  return callback(null, twiml);", "};", ""]
    return "\n".join(lines).encode("utf-8")


def text_bytes(rng, size):
    words = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return (" ".join(words)[:size - 1] + "\n").encode("utf-8")


def binary_bytes(rng, size):
    # Random bytes hold every value, \r\n, lone \n and NUL among them: what an exact upload must keep.
    return bytes(rng.getrandbits(8) for dummy in range(size))


def sizes(shape=None):
    """Bytes of each function and each asset; together with package.json about the shape's total bytes."""
    shape = shape or Shape()
    functions = [1000 + 150 * n for n in range(shape.functions)]
    text = [2000 + 20 * n for n in range(shape.assets - shape.binary_assets)]
    rest = shape.total_bytes - sum(functions) - sum(text) - len(json.dumps(PACKAGE_JSON, indent=2)) - 1
    if rest < shape.binary_assets:
        raise ValueError("%d bytes in all leave too little for %d binary assets" % (
            shape.total_bytes, shape.binary_assets))
    # The binary assets share the rest, unequally (the larger ones as images are).
    weights = [1 + (n % 5) for n in range(shape.binary_assets)]
    binary = [rest * w // sum(weights) for w in weights]
    binary[-1] += rest - sum(binary)
    return functions, binary + text


def generate(folder, seed=SEED, shape=None):
    """Write the project into ``folder`` (created); return {relative path: size in bytes} of what it wrote.
    ``shape``: how many files of each kind and how many bytes in all; by default section 7's."""
    shape = shape or Shape()
    rng = random.Random(seed)
    written = {}
    function_sizes, asset_sizes = sizes(shape)
    files = [(p, function_text(rng, n, s))
             for n, (p, s) in enumerate(zip(function_relpaths(shape.functions), function_sizes))]
    for n, (path, size) in enumerate(zip(asset_relpaths(shape.assets, shape.binary_assets), asset_sizes)):
        files.append((path, binary_bytes(rng, size) if n < shape.binary_assets else text_bytes(rng, size)))
    files.append(("package.json", (json.dumps(PACKAGE_JSON, indent=2) + "\n").encode("utf-8")))
    for path, data in files:
        full = os.path.join(folder, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(data)
        written[path] = len(data)
    return written


def change_function(folder, n=0, token="1"):
    """Change one function's content (a line appended); return its path relative to the project."""
    path = function_relpaths()[n]
    with open(os.path.join(folder, *path.split("/")), "ab") as handle:
        handle.write(b"// changed by the benchmark: %s\n" % token.encode("ascii"))
    return path


def change_asset(folder, n=BINARY_ASSETS, token="1"):
    """Change one asset's content (a line appended; by default the first text asset); return its path."""
    path = asset_relpaths()[n]
    with open(os.path.join(folder, *path.split("/")), "ab") as handle:
        handle.write(b"changed by the benchmark: %s\n" % token.encode("ascii"))
    return path
