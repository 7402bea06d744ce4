#!/usr/bin/env bash
# Benchmark (not a test): what tracing costs on the hot path. Runs the four services' packaged jars against the TEST
# infrastructure (scripts/infra.sh start test; ports from LEADSUITE_TEST_PG_PORT / LEADSUITE_TEST_AMQP_PORT, HTTP
# ports from LEADSUITE_E2E_PORT_BASE, 18080 by default), twice: tracing off (the default) and on (exporting to a
# throwaway OTLP/HTTP receiver that only answers 200). Each time: a warm-up of captures, then wrk for DURATION on
# POST /api/captures (the whole pipeline: gateway, lead-service, contact-service, outboxes, relays, scoring-service's
# and lead-service's consumers) and on GET /api/leads/{id}; prints requests per second and the CPU time the four
# processes spent per request (utime + stime from /proc), which a shared machine's rates do not show.
#
#   benchmarks/tracing.sh [DURATION=20s] [CONNECTIONS=4]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-20s}"
CONNECTIONS="${2:-4}"
BASE="${LEADSUITE_E2E_PORT_BASE:-18080}"
OUT="$ROOT/.run/bench-tracing"
mkdir -p "$OUT"
[ -f .run/test/env ] || { echo "start the test infrastructure first (scripts/infra.sh start test)" >&2; exit 1; }
# shellcheck disable=SC1091
source .run/test/env
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
TOKEN="$(java scripts/tools/Keys.java token .run/test/keys marketing)"
TICKS="$(getconf CLK_TCK)"
PIDS=()

cpu() { local t=0; for p in "${PIDS[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
stop() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap 'stop; [ -n "${RECEIVER:-}" ] && kill "$RECEIVER" 2>/dev/null || true' EXIT

start() { # $1: extra environment (KEY=VALUE ...)
  local i=0
  for svc in gateway contact-service lead-service scoring-service; do
    env "$@" LEADSUITE_CONTACT_SERVICE_URL="http://localhost:$((BASE + 1))" \
      LEADSUITE_GATEWAY_UPSTREAMS_CONTACT_SERVICE="http://localhost:$((BASE + 1))" \
      LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE="http://localhost:$((BASE + 2))" \
      LEADSUITE_GATEWAY_UPSTREAMS_SCORING_SERVICE="http://localhost:$((BASE + 3))" \
      LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE=100000000 QUARKUS_HTTP_PORT=$((BASE + i)) \
      java -XX:+UseSerialGC -Xmx192m -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$OUT/$svc.log" 2>&1 &
    PIDS+=($!)
    i=$((i + 1))
  done
  for port in $BASE $((BASE + 1)) $((BASE + 2)) $((BASE + 3)); do
    until curl -sf "http://localhost:$port/q/health/ready" >/dev/null; do sleep 1; done
  done
}

cat >"$OUT/capture.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"email":"bench.' .. math.random(1, 1000000000) .. '.' .. counter .. '@example.com","firstName":"B","lastName":"T","company":"Acme","topic":"solar-panels","source":"MARKETING_FORM","sourceRef":"form-42","consent":true}'
  return wrk.format(nil, "/api/captures", nil, body)
end
EOF

measure() { # $1 label, $2.. wrk arguments
  local label="$1"; shift
  local before after
  before="$(cpu)"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$OUT/wrk.txt"
  # the pipeline's consumers finish what the captures started before the CPU is read
  sleep 5
  after="$(cpu)"
  local requests rate non2xx
  requests="$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")"
  rate="$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")"
  non2xx="$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")"
  printf '%-8s %-22s %8s req/s  %6.2f ms CPU per request (4 processes)  p99 %s  non-2xx %s\n' "$MODE" "$label" \
    "$rate" "$(echo "($after - $before) * 1000 / $TICKS / $requests" | bc -l)" \
    "$(awk '/ 99%/ {print $2}' "$OUT/wrk.txt")" "${non2xx:-0}"
}

for MODE in off on; do
  if [ "$MODE" = on ]; then
    python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' $((BASE + 6)) &
    RECEIVER=$!
    start QUARKUS_OTEL_SDK_DISABLED=false QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:$((BASE + 6))"
  else
    start QUARKUS_OTEL_SDK_DISABLED=true
  fi
  LEAD="$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"email":"bench.read@example.com","firstName":"B","lastName":"T","company":"Acme","topic":"solar-panels","source":"MARKETING_FORM","sourceRef":"form-42","consent":true}' \
    "http://localhost:$BASE/api/captures" | sed 's/.*"leadId":"\([^"]*\)".*/\1/')"
  wrk -t2 -c"$CONNECTIONS" -d15s -s "$OUT/capture.lua" "http://localhost:$BASE" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $TOKEN" "http://localhost:$BASE/api/leads/$LEAD" >/dev/null
  sleep 5
  measure "POST /api/captures" -s "$OUT/capture.lua" "http://localhost:$BASE"
  measure "GET /api/leads/{id}" -H "Authorization: Bearer $TOKEN" "http://localhost:$BASE/api/leads/$LEAD"
  stop
  if [ "$MODE" = on ]; then kill "$RECEIVER"; RECEIVER=""; fi
done
