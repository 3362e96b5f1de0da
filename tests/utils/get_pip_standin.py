# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for the get-pip.py that ansible-test downloads to bootstrap its venvs.

ansible-test fetches get-pip from a host these machines cannot reach. The
Makefile places this file in ansible-test's cache instead: it installs pip with
the standard library's ensurepip, then lets that pip install what ansible-test
asked for from the configured package index.
"""

import subprocess
import sys

# get-pip's own switches; pip install does not know them.
OWN = {"--no-setuptools", "--no-wheel"}

args = [arg for arg in sys.argv[1:] if arg not in OWN]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q"] + args)
