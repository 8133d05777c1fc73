#!/bin/bash
# The whole test suite in one command, for a fresh Debian 12 machine with Swift 6.3 installed:
# system packages, source checks, build, unit + end-to-end tests, then the interop matrix.
#
#   Tools/test.sh            # everything
#   SKIP_INTEROP=1 Tools/test.sh
#   SKIP_PYTHON_CLIENT=1 Tools/test.sh
#   SKIP_FUZZ=1 Tools/test.sh        # skip the 20-second fuzz runs (Fuzz/, a sanitizer build)
#   SKIP_ATTACK=1 Tools/test.sh      # skip the attack tests (Tests/AttackTests, a release build)
#   SCRATCH=.build-x Tools/test.sh   # another SwiftPM scratch path (default .build)
#
# Exit status: non-zero as soon as any step fails; the failing step is named on stderr.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}

step() { echo; echo "==> $*"; }
fail() { echo "test.sh: FAILED at: $*" >&2; exit 1; }

# 1. System packages: our C libraries, the tools the checks use, and the interop peers' toolchain
#    (Tools/install-system-packages.sh installs only what is missing).
step "Tools/install-system-packages.sh --test"
Tools/install-system-packages.sh --test || fail "Tools/install-system-packages.sh --test"

# 2. Source checks (generated code is current, C imports stay in the wrapper modules, blocking
#    permits are issued only where blocking is allowed).
for check in Tools/check-generated.sh Tools/check-imports.sh Tools/check-blocking.sh; do
  if [ -x "$check" ]; then
    step "$check"
    "$check" || fail "$check"
  fi
done

# 3. Build and run every test target (unit tests and Tests/EndToEndTests over loopback sockets).
step "swift build"
swift build --scratch-path "$scratch" || fail "swift build"
# One test at a time: the suites over real sockets and timers (keepalive, stalls, request timeouts)
# must not be starved by CPU-heavy suites sharing Swift's two-thread pool on this 2-core machine
# (in parallel the run is only ~30 s shorter, and flaky).
step "swift test --no-parallel"
swift test --scratch-path "$scratch" --no-parallel || fail "swift test"

# 3b. The fuzz targets, briefly: a build of Fuzz/ (its own scratch path, .build-fuzz), every kept
#     regression input, then 20 s of fuzzing per target, two at a time (Tools/fuzz.sh).
if [ -z "${SKIP_FUZZ:-}" ]; then
  step "Tools/fuzz.sh 20"
  FUZZ_JOBS=2 Tools/fuzz.sh 20 || fail "Tools/fuzz.sh 20"
fi

# 4. Model checks: the model helpers add their commands here (e.g. Tools/check-model.sh).
for check in Tools/check-model*.sh; do
  [ -x "$check" ] || continue
  step "$check"
  "$check" || fail "$check"
done

# 5. Interoperability with C++ gRPC and Python grpcio, plaintext and TLS.
if [ -z "${SKIP_INTEROP:-}" ]; then
  step "Tools/run-interop.sh"
  SCRATCH="$scratch" Tools/run-interop.sh || fail "Tools/run-interop.sh"
fi

# 6. The ReplyIntent RPCs end to end through a Python grpcio client generated from Protos/ (h2c and TLS).
if [ -z "${SKIP_PYTHON_CLIENT:-}" ]; then
  step "Tools/run-python-client-tests.sh"
  SCRATCH="$scratch" Tools/run-python-client-tests.sh || fail "Tools/run-python-client-tests.sh"
fi

# 7. Hostile clients against a release intentd: each bound of issue #9 holds (Tests/AttackTests).
if [ -z "${SKIP_ATTACK:-}" ]; then
  step "Tools/run-attack-tests.sh"
  SCRATCH="$scratch" Tools/run-attack-tests.sh || fail "Tools/run-attack-tests.sh"
fi

echo
echo "test.sh: all steps passed"
