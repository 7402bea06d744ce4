#!/usr/bin/env bash
# End-to-end benchmark of the whole suite on this machine, through the gateway (not a test; prints figures).
# Restarts the suite (scripts/suite.sh down, up), then runs benchmarks/SuiteBench.java against it (through the gateway
# on LEADSUITE_GATEWAY_PORT, 8080 by default), then prints each service's resident memory 30 s after the load (ps RSS;
# LEADSUITE_BENCH_IDLE=0 skips the wait) and, with LEADSUITE_BENCH_NMT=1, the JVM's own account of it (jcmd
# VM.native_memory: the suite must have been started with -XX:NativeMemoryTracking=summary in LEADSUITE_JVM_OPTS).
#
#   benchmarks/run.sh [key=value ...]    keys: captures leads interactions batch concurrency rate samples gateway
#                                        hold capture-rate interaction-rate open-batch (open loop; hold=0 skips it)
#                                        fresh-batch (request sizes of the freshness phase, e.g. 1,50)
#                                        warmup (seconds of load before measuring, at least; 90 by default)
#                                        warmup-max (more 30 s rounds until the capture rate stops climbing: two
#                                        rounds in a row at most 5 % above the best before them; up to this many
#                                        seconds in all; 600 by default)
#
# Record what it prints in benchmarks/RESULTS.md with the date, the commit and what else ran on the machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The benchmark measures capacity, not policy: one caller sends thousands of requests per second, so the gateway's
# per-caller rate limit (600 per minute by default) is lifted for this run; the suite is (re)started for that.
bash scripts/suite.sh down >/dev/null 2>&1 || true
LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE="${LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE:-100000000}" bash scripts/suite.sh up
TOKEN="$(bash scripts/suite.sh token marketing)"
export TOKEN
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
# The ceilings in the same run, before the load: the database's one-row insert per transaction (pgbench, 10 s with 1
# and 16 clients, on a throwaway database of the suite's cluster) and the broker's durable send/receive (Artemis perf
# client over AMQP, 10 s with 1 and 100 unconfirmed sends).
pgbench1=0
while read -r clients tps; do
  echo "ceiling: pgbench one-row insert, $clients client(s): $tps tps"
  [ "$clients" = 1 ] && pgbench1="$tps"
done < <(bash scripts/infra.sh pgbench suite 10)
while read -r pending rate; do
  echo "ceiling: broker durable AMQP send+receive, 1 KiB, $pending unconfirmed: $rate msgs/s"
done < <(bash scripts/infra.sh amqp-ceiling suite 10)
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m "$ROOT/benchmarks/SuiteBench.java" "gateway=http://localhost:${LEADSUITE_GATEWAY_PORT:-8080}" "pgbench1=$pgbench1" "$@"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
idle="${LEADSUITE_BENCH_IDLE:-30}"
[ "$idle" = 0 ] || sleep "$idle"
rss=""
for svc in contact-service lead-service scoring-service gateway; do
  pid="$(cat ".run/suite/pids/$svc.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && rss+="$svc $(($(ps -o rss= -p "$pid") / 1024)) MB, "
  if [ -n "$pid" ] && [ "${LEADSUITE_BENCH_NMT:-}" = 1 ]; then
    jcmd "$pid" VM.native_memory summary | grep -E '^(Total|-)' | sed "s/^/[$svc] /" | sed -E 's/ +\(/ (/'
  fi
done
echo "resident memory ${idle} s after the load: ${rss%, }"
