#!/bin/bash
# The attack tests of issue #9 (Tests/AttackTests): hostile clients against real intentd processes
# (release build, tokens mode, temporary deployments), each asserting that a bound holds: the process
# lives, its RSS stays under a limit, another tenant's ClassifyIntent latency stays within 2x.
#
#   Tools/run-attack-tests.sh                      # builds intentd (release), runs every test
#   Tools/run-attack-tests.sh -k slowloris -x      # extra arguments go to pytest
#
# Environment:
#   SCRATCH=.build-x   SwiftPM scratch path for the release build (default: .build)
#   INTENTD=path       use this intentd binary instead of building one
#   ATTACK_REPORT=file also write the measured numbers there (default: .build/attack-report.txt)
#
# Tools/attack-env.sh makes (or reuses) a venv at .build/attack-venv from Tests/AttackTests/requirements.txt
# (PyPI) and generates the Python stubs into .build/attack-gen (never committed).
# Exit status: non-zero when any step or test fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "== $*" >&2; }
die() { echo "run-attack-tests: $*" >&2; exit 1; }

# The venv, the stubs and a release intentd ($venv, $gen, $intentd).
source "$root/Tools/attack-env.sh"

# The tests.
say "pytest Tests/AttackTests"
PYTHONDONTWRITEBYTECODE=1 INTENTD=$intentd \
REPLYINTENT_PY_GEN=$gen REPLYINTENT_ROOT=$root ATTACK_REPORT=${ATTACK_REPORT:-$root/.build/attack-report.txt} \
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -rA "$root/Tests/AttackTests" "$@"
