#!/usr/bin/env bash
# End-to-end benchmark of the whole suite on this machine, through the gateway (not a test; prints figures).
# Starts the suite if it is not running (scripts/suite.sh up), then runs benchmarks/SuiteBench.java against it.
#
#   benchmarks/run.sh [key=value ...]    keys: captures leads interactions batch concurrency rate samples gateway
#
# Record what it prints in benchmarks/RESULTS.md with the date, the commit and what else ran on the machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/suite.sh status 2>/dev/null | grep -q 'gateway: running' || bash scripts/suite.sh up
TOKEN="$(bash scripts/suite.sh token marketing)"
export TOKEN
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
exec java -Xmx512m "$ROOT/benchmarks/SuiteBench.java" "$@"
