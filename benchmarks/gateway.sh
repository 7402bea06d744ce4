#!/usr/bin/env bash
# Benchmark (not a test): requests/s and latency percentiles of GET /api/leads/{id} through the gateway against
# GET /leads/{id} on lead-service directly and through nginx as a plain reverse proxy (the yardstick: the gateway
# should add no more p99 than nginx does), in one run on this machine, with wrk (apt-get install wrk nginx-light).
#
#   benchmarks/gateway.sh [DURATION=20s] [CONNECTIONS=32] [THREADS=2]
#
# nginx is optional: without it on PATH (or /usr/sbin) that row is left out.
#
# Uses the test infrastructure (scripts/infra.sh start test; LEADSUITE_TEST_PG_PORT / LEADSUITE_TEST_AMQP_PORT move
# it) and the packaged fast-jars of contact-service, lead-service and gateway (built when missing). Starts the three
# services on LEADSUITE_BENCH_PORT_BASE (default 18900: gateway +0, contact +1, lead +2, scoring +3, not started),
# nginx on +4, creates one lead with a capture, runs wrk against lead-service, nginx and the gateway, prints all three
# and stops them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-20s}"
CONNECTIONS="${2:-32}"
THREADS="${3:-2}"
BASE="${LEADSUITE_BENCH_PORT_BASE:-18900}"
GATEWAY=$BASE CONTACT=$((BASE + 1)) LEAD=$((BASE + 2)) SCORING=$((BASE + 3)) NGINX_PORT=$((BASE + 4))
OUT="$ROOT/.run/bench"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

bash scripts/infra.sh start test >/dev/null
# shellcheck disable=SC1091
source .run/test/env
for svc in contact-service lead-service gateway; do
  if [ ! -f "$svc/target/quarkus-app/quarkus-run.jar" ]; then
    ./mvnw -B -q -ntp -DskipTests package -pl contact-service,lead-service,gateway -am
    break
  fi
done

PIDS=()
NGINX="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
start() {
  local svc="$1" port="$2"
  QUARKUS_HTTP_PORT="$port" \
  LEADSUITE_CONTACT_SERVICE_URL="http://localhost:$CONTACT" \
  LEADSUITE_GATEWAY_UPSTREAMS_CONTACT_SERVICE="http://localhost:$CONTACT" \
  LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE="http://localhost:$LEAD" \
  LEADSUITE_GATEWAY_UPSTREAMS_SCORING_SERVICE="http://localhost:$SCORING" \
  LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE=100000000 \
  QUARKUS_LOG_LEVEL=WARN \
    java -Xmx256m -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$OUT/$svc.log" 2>&1 &
  PIDS+=($!)
}
ready() {
  local port="$1"
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://localhost:$port/q/health/ready" && return 0; sleep 0.5; done
  echo "port $port not ready; logs in $OUT" >&2; exit 1
}
start contact-service "$CONTACT"; start lead-service "$LEAD"; start gateway "$GATEWAY"
ready "$CONTACT"; ready "$LEAD"; ready "$GATEWAY"

if [ -n "$NGINX" ]; then
  # a plain keep-alive reverse proxy, configured as one would in front of a service: /api/x -> lead-service /x
  mkdir -p "$OUT/nginx/logs"
  cat >"$OUT/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/body;
  proxy_temp_path $OUT/nginx/proxy;
  upstream lead { server 127.0.0.1:$LEAD; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /api/ { proxy_pass http://lead/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  "$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf"
fi

TOKEN="$(java scripts/tools/Keys.java token .run/test/keys --sub bench --ttl 3600 admin)"
EMAIL="bench-$(date +%s%N)@example.com"
LEAD_ID="$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"topic\":\"bench\",\"source\":\"MARKETING_FORM\",\"consent\":true}" \
  "http://localhost:$LEAD/captures" | sed -E 's/.*"leadId" *: *"([^"]+)".*/\1/')"
echo "lead $LEAD_ID"
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://localhost:$GATEWAY/api/leads/$LEAD_ID"

run() {
  local name="$1" url="$2"
  # warm-up (JIT, pools), then the measured run
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $TOKEN" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$url" >"$OUT/$name.txt"
  local rps p50 p99 non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")"
  p50="$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")"
  p99="$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' "$OUT/$name.txt")"
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# two rounds: the first warms the JIT of lead-service and the gateway on these very paths (the order of a single round
# favoured whichever ran last); the second is the one to record
for round in 1 2; do
  echo "round $round"
  run "lead-service direct" "http://localhost:$LEAD/leads/$LEAD_ID"
  [ -n "$NGINX" ] && run "through nginx" "http://localhost:$NGINX_PORT/api/leads/$LEAD_ID"
  run "through the gateway" "http://localhost:$GATEWAY/api/leads/$LEAD_ID"
done
curl -fsi -H "Authorization: Bearer $TOKEN" "http://localhost:$GATEWAY/api/leads/$LEAD_ID" | grep -i '^server-timing'
# the gateway's own view of its overhead during the runs (Server-Timing's "gateway" part, averaged)
curl -fs "http://localhost:$GATEWAY/q/metrics" | awk '
  /^leadsuite_gateway_overhead_seconds_sum\{route="\/api\/leads\/\{id\}"/ {s=$2}
  /^leadsuite_gateway_overhead_seconds_count\{route="\/api\/leads\/\{id\}"/ {c=$2}
  /^leadsuite_gateway_upstream_requests_seconds_sum\{method="GET",route="\/api\/leads\/\{id\}",status="200"/ {us=$2}
  /^leadsuite_gateway_upstream_requests_seconds_count\{method="GET",route="\/api\/leads\/\{id\}",status="200"/ {uc=$2}
  END { if (c > 0) printf "gateway overhead (metrics): mean %.2f ms over %d calls; lead-service time as the gateway saw it: mean %.2f ms\n", 1000*s/c, c, (uc > 0 ? 1000*us/uc : 0) }'
