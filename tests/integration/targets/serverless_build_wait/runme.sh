#!/usr/bin/env bash
# Runs the module through ansible-playbook against the simulator, with real
# time: the simulator's builds finish a set number of seconds after creation.
set -eu
source ../setup_simulator/simulator.sh
with_simulator "$0" "$@"

ansible-playbook -i localhost, -c local main.yml "$@"
