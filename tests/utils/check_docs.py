# SPDX-License-Identifier: GPL-3.0-or-later
"""`make docs-check`: every module's (and inventory plugin's) docs render completely and lint clean; README.md is
the index.

docs/reference holds one page per plugin and role, with no index of its own (antsibull-docs --no-indexes):
README.md's tables and role list are the index, and must link every page there, and only pages that exist.

Usage: python tests/utils/check_docs.py COLLECTIONS_PATH
(COLLECTIONS_PATH holds ansible_collections/twilio_community/serverless.)
"""

import glob
import json
import os
import filecmp
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SECTIONS = ("short_description", "description", "options", "attributes", "seealso", "author")


def main(collections_path):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, PATH=BIN + os.pathsep + os.environ["PATH"])
    problems = []
    modules = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
    for name in modules:
        fqcn = "twilio_community.serverless." + name
        run = subprocess.run([os.path.join(BIN, "ansible-doc"), "--json", "-t", "module", fqcn], env=env,
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            problems.append("%s: ansible-doc failed: %s" % (fqcn, run.stderr.strip()[:500]))
            continue
        doc = json.loads(run.stdout)[fqcn]
        for section in SECTIONS:
            if not doc["doc"].get(section):
                problems.append("%s: DOCUMENTATION has no %s" % (fqcn, section))
        if not (doc.get("examples") or "").strip():
            problems.append("%s: no EXAMPLES" % fqcn)
        if not doc.get("return"):
            problems.append("%s: no RETURN" % fqcn)
        for option, spec in doc["doc"]["options"].items():
            if not spec.get("description"):
                problems.append("%s: option %s has no description" % (fqcn, option))
        text = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", "module", fqcn], env=env,
                              capture_output=True, text=True, check=False)
        if text.returncode != 0 or "ERROR" in text.stderr:
            problems.append("%s: ansible-doc text rendering failed: %s" % (fqcn, text.stderr.strip()[:500]))
        print("ansible-doc %s: %d options, %d return values, rendered"
              % (fqcn, len(doc["doc"]["options"]), len(doc["return"])))
    problems.extend(check_inventory_plugins(env))
    returncode, findings = lint_collection_docs(env)
    if returncode != 0 or findings:
        problems.append("antsibull-docs lint-collection-docs:\n  " + "\n  ".join(findings))
    else:
        print("antsibull-docs lint-collection-docs: clean")
    problems.extend(check_reference(env))
    problems.extend(check_index())
    for problem in problems:
        print("FAILED: " + problem, file=sys.stderr)
    return 1 if problems else 0


def check_inventory_plugins(env):
    """Each inventory plugin's docs render in full (an inventory plugin has no attributes and no RETURN)."""
    problems = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "inventory", "*.py"))):
        fqcn = "twilio_community.serverless." + os.path.basename(path)[:-3]
        run = subprocess.run([os.path.join(BIN, "ansible-doc"), "--json", "-t", "inventory", fqcn], env=env,
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            problems.append("%s: ansible-doc failed: %s" % (fqcn, run.stderr.strip()[:500]))
            continue
        doc = json.loads(run.stdout)[fqcn]
        problems += ["%s: DOCUMENTATION has no %s" % (fqcn, section) for section in SECTIONS
                     if section != "attributes" and not doc["doc"].get(section)]
        if not (doc.get("examples") or "").strip():
            problems.append("%s: no EXAMPLES" % fqcn)
        problems += ["%s: option %s has no description" % (fqcn, option)
                     for option, spec in doc["doc"]["options"].items() if not spec.get("description")]
        text = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", "inventory", fqcn], env=env,
                              capture_output=True, text=True, check=False)
        if text.returncode != 0 or "ERROR" in text.stderr:
            problems.append("%s: ansible-doc text rendering failed: %s" % (fqcn, text.stderr.strip()[:500]))
        print("ansible-doc -t inventory %s: %d options, rendered" % (fqcn, len(doc["doc"]["options"])))
    return problems


# antsibull-docs renders each plugin's docs from a copy in a temporary folder whose path reaches the RST it
# lints; when mkdtemp's random suffix ends in "_", RST reads "antsibull-docs-XXXXXXX_/" as a link to an unknown
# target (about 1 run in 37; forced with TMPDIR=/tmp/x_, which gives 'Unknown target name: "x"').
# Such a finding is about the folder's name, not our docs: the lint is run again, in a new folder.
TEMP_NAME_ARTIFACT = re.compile(r'\(ERROR/3\) Unknown target name: "antsibull-docs-[a-z0-9_]+"\.$')


def lint_collection_docs(env, attempts=3):
    for dummy in range(attempts):
        lint = subprocess.run([os.path.join(BIN, "antsibull-docs"), "lint-collection-docs", "--plugin-docs",
                               "--validate-collection-refs", "all", "--disallow-unknown-collection-refs", ROOT],
                              env=env, capture_output=True, text=True, check=False)
        findings = [line for line in (lint.stdout + lint.stderr).splitlines() if line.strip()]
        if not findings or not all(TEMP_NAME_ARTIFACT.search(line) for line in findings):
            break
        print("antsibull-docs lint-collection-docs: its temporary folder's name ended in '_'; linting again")
    return lint.returncode, findings


def check_reference(env):
    """docs/reference must be what antsibull-docs makes of the code now."""
    committed = os.path.join(ROOT, "docs", "reference")
    fresh = tempfile.mkdtemp(prefix="reference-")
    run = subprocess.run([os.path.join(BIN, "antsibull-docs"), "collection", "--use-current", "--squash-hierarchy",
                          "--output-format", "simplified-rst", "--no-indexes", "--dest-dir", fresh,
                          "twilio_community.serverless"],
                         env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return ["antsibull-docs collection failed: %s" % (run.stdout + run.stderr)[-1000:]]
    # As make docs does: README.md is the index, not the collection page antsibull-docs still writes.
    os.remove(os.path.join(fresh, "index.rst"))
    compared = filecmp.dircmp(committed, fresh) if os.path.isdir(committed) else None
    if compared is None:
        return ["docs/reference is missing; run make docs"]
    stale = compared.left_only + compared.right_only + compared.diff_files
    if stale:
        return ["docs/reference is stale (%s); run make docs and commit the result" % ", ".join(sorted(stale))]
    print("docs/reference: current (%d files)" % len(compared.same_files))
    return []


README_LINK = re.compile(r"\[`twilio_community\.serverless\.(\w+)`\]\(docs/reference/(\w+)\.rst\)")


def check_index():
    """README.md links each page of docs/reference under its own name, and no page that is not there."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        links = README_LINK.findall(handle.read())
    pages = set(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, "docs", "reference", "*.rst")))
    linked = set(page for _name, page in links)
    problems = ["README.md links %s to docs/reference/%s.rst, another plugin's page" % (name, page)
                for name, page in links if not page.startswith(name + "_")]
    problems += ["README.md links docs/reference/%s.rst, which does not exist" % page
                 for page in sorted(linked - pages)]
    problems += ["README.md does not link docs/reference/%s.rst (a row in its modules or lookups table, or the "
                 "roles list)" % page for page in sorted(pages - linked)]
    if not problems:
        print("README.md: links all %d reference pages" % len(pages))
    return problems


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
