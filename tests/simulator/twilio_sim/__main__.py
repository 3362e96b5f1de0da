# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator standalone, or run a command with it up.

    python tests/simulator/run_simulator.py --port 0 --seed tests/simulator/seeds/demo.json

prints the base URL (one line on stdout) once it accepts connections, and
serves until SIGINT or SIGTERM. The v2010 Accounts API is served on a second port: ``--url-file`` writes the
base URL on line 1 and the Accounts API's on line 2.

    python tests/simulator/run_simulator.py --seed FILE [--url-env NAME] -- COMMAND...

starts it (see launcher.py), runs COMMAND with the URL in $SIM_URL (or NAME), the Accounts API's in
$SIM_ACCOUNTS_URL (and $TWILIO_ACCOUNTS_BASE_URL)
and the seed's path in $SIM_SEED, stops it when COMMAND ends, whatever its
outcome, and exits with COMMAND's exit code.

    python tests/simulator/run_simulator.py --variants variants:7 ...

answers in the variants of Twilio's documented sources, drawn from seed 7 (variants.py: spec, the default,
variants or canonical); without the option, from $SIM_VARIANTS, else from the seed's "variants". The command
run under it gets the mode in $SIM_VARIANTS.

    python tests/simulator/run_simulator.py --account-concurrency 20 ...

answers HTTP 429 (Twilio error 20429, not processed) to an API request of an account that already has 20 in
flight, as Twilio does (concurrency.py); every API answer says how many were in flight in
Twilio-Concurrent-Requests.

    python tests/simulator/run_simulator.py --routes

lists the route names faults can be set on, from the registry (resources/), the route of what environments
serve (``domain``, domains.py), and the control API's rows (``control``).
"""

import argparse
import os
import signal
import sys

from . import domains
from .control_routes import CONTROL_TABLE
from .launcher import run_command
from .resources import FAULT_GROUPS, ROUTE_TABLE
from .server import ACCOUNTS_ROUTES, SimulatorServer
from .variants import parse as parse_variants


def main(argv=None):
    parser = argparse.ArgumentParser(prog="twilio-sim", description="Local Twilio Serverless v1 simulator")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--seed", help="seed file (JSON): accounts, services, builds (required to serve)")
    parser.add_argument("--routes", action="store_true", help="list the route names faults can be set on, and exit")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument("--account-concurrency", type=int, default=None, metavar="N",
                        help="answer 429 (20429) to a request of an account with N in flight (default: the seed's, "
                             "else no limit)")
    parser.add_argument("--url-file", help="also write the base URL (line 1) and the Accounts API's (line 2) to this "
                        "file, once serving")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--variants", default=os.environ.get("SIM_VARIANTS") or None, metavar="MODE[:SEED]",
                        help="how answers look: spec (the default), variants or canonical (default $SIM_VARIANTS, "
                             "else the seed's)")
    parser.add_argument("--url-env", default="SIM_URL", help="with a COMMAND: the variable to pass the URL in")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND...: run it with the simulator up")
    args = parser.parse_args(argv)
    if args.routes:
        for method, resource, route in sorted((m, r, name) for (m, r), (name, dummy) in ROUTE_TABLE.items()):
            print("%-24s %-6s %s" % (route, method, resource))
        for group in sorted(set(g for groups in FAULT_GROUPS.values() for g in groups)):
            print("%-24s (group of %s)" % (group, ", ".join(sorted(r for r, gs in FAULT_GROUPS.items() if group in gs))))
        print("%-24s %-6s %s{domain_name}/{path}" % (domains.ROUTE, "*", domains.PREFIX))
        for (method, resource), (route, dummy) in sorted(ACCOUNTS_ROUTES.items()):
            print("%-24s %-6s %s (the Accounts API's listener)" % (route, method, resource))
        for method, path in sorted(CONTROL_TABLE, key=lambda row: (row[1], row[0])):
            print("%-24s %-6s %s" % ("control", method, path))
        return 0
    if not args.seed:
        parser.error("--seed is required")
    if args.variants:
        try:
            parse_variants(args.variants)
        except ValueError as exc:
            parser.error(str(exc))
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if command:
        return run_command(command, os.path.abspath(args.seed), args.latency, args.url_env, args.variants,
                           args.account_concurrency)

    try:
        sim = SimulatorServer(seed=args.seed, host=args.host, port=args.port, latency=args.latency,
                              verbose=args.verbose, variants=args.variants,
                              account_concurrency=args.account_concurrency)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    if sim.variants.mode != "spec":
        print("twilio-sim: answering in mode %(mode)s, seed %(seed)d" % sim.variants.describe(), file=sys.stderr)

    def stop(signum, frame):  # pylint: disable=unused-argument
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(sim.base_url, flush=True)
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(sim.base_url + "\n" + sim.accounts_url + "\n")
        os.replace(tmp, args.url_file)  # readers never see half a URL
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
