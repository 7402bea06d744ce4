#!/usr/bin/env bash
# Runs every test of the suite: the offline checks of the Kubernetes manifests in deploy/, formatting check, unit
# tests, @QuarkusTests of each service against a real PostgreSQL and Artemis, and the end-to-end tests that start the
# whole suite as separate processes (the console's among them, in a headless Chromium).
# Starts (and afterwards stops) the test infrastructure itself, on ports of its own, from empty data.
#
#   scripts/test.sh [extra maven arguments]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# deploy/: every overlay rendered with kubectl kustomize, validated against the Kubernetes schemas and the policy
# (installs its pinned tools itself: deploy/check/run.sh).
bash deploy/check/run.sh

# The console's browser tests (e2e-tests ConsoleIT) drive Debian's headless Chromium through Debian's chromedriver
# (the same version, so no driver or browser is downloaded at test time): installed here when missing.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "[test] installing chromium and chromium-driver (apt) for the console's browser tests"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    fonts-dejavu-core >/dev/null
fi

keep="${LEADSUITE_KEEP_TEST_INFRA:-false}"
bash scripts/infra.sh wipe test >/dev/null 2>&1 || true
bash scripts/infra.sh start test
cleanup() { [ "$keep" = true ] || bash scripts/infra.sh stop test; }
trap cleanup EXIT

# shellcheck disable=SC1091
source .run/test/env
# the broker: every service account confined to its own addresses, and dead letters replayable (scripts/infra.sh)
bash scripts/infra.sh broker-accounts-check test
bash scripts/infra.sh dlq-check test
./mvnw -B -ntp verify "$@"
