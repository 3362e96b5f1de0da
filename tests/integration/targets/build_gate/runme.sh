#!/usr/bin/env bash
# The build_gate role against the simulator, for the outcomes a pipeline must survive.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

ansible-playbook -i localhost, -c local main.yml "$@"
