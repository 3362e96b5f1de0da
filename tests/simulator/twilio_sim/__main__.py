# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator standalone.

    python tests/simulator/run_simulator.py --port 0 --seed tests/simulator/seeds/demo.json

prints the base URL (one line on stdout) once it accepts connections, and
serves until SIGINT or SIGTERM.
"""

import argparse
import os
import signal
import sys

from .server import SimulatorServer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="twilio-sim", description="Local Twilio Serverless v1 simulator")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument("--seed", required=True, help="seed file (JSON): accounts, services, builds")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument("--url-file", help="also write the base URL to this file, once serving")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    try:
        sim = SimulatorServer(seed=args.seed, host=args.host, port=args.port, latency=args.latency,
                              verbose=args.verbose)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))

    def stop(signum, frame):  # pylint: disable=unused-argument
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(sim.base_url, flush=True)
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(sim.base_url + "\n")
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
