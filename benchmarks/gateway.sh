#!/usr/bin/env bash
# Benchmark (not a test): GET /leads/{id} on lead-service directly, through nginx as a plain keep-alive reverse proxy
# (the yardstick: the gateway should add no more p99 than nginx does) and GET /api/leads/{id} through the gateway, in
# one go on this machine, with wrk. Records the figures in benchmarks/RESULTS.md.
#
#   benchmarks/gateway.sh [DURATION=10s] [CONNECTIONS=16] [THREADS=2] [ROUNDS=3]
#
# LEADSUITE_BENCH_WARMUP (60s): length of each warm-up run (C2 needs a while on a busy 2-core machine: after 20 s the
#   gateway's CPU per request still fell round by round, 258, 118, 97 us; benchmarks/RESULTS.md, 2026-12-07).
# - Runs on the local suite (scripts/suite.sh: ports 8080-8083, PostgreSQL 25432, Artemis 25672), restarted with the
#   gateway's per-caller rate limit lifted (LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE), so that the limit is not what is
#   measured; nginx listens on LEADSUITE_BENCH_NGINX_PORT (8084). Never the test infrastructure.
# - Installs wrk and nginx (apt-get install wrk nginx-light) when they are missing.
# - One warm-up round of all three (JIT, pools; LEADSUITE_BENCH_WARMUP each; discarded), then ROUNDS rounds, each running the three one after the
#   other in a rotating order (so that none is always first or last).
# - Fails (exit 1) if any answer in any round, warm-up included, was not 2xx or a socket error occurred; only 2xx
#   answers are counted in the rates.
# - Measures, per run, the CPU time each process spent per answered request (utime + stime from /proc/<pid>/stat:
#   the gateway, nginx's master and workers, lead-service): what a proxy costs per request whatever else shares the
#   cores, which rates and latencies on a shared 2-core machine do not show.
# - Prints each round and the medians, the ratios to direct and the p99 each proxy adds; then, 30 s after the load,
#   the resident memory (ps RSS) of the four services. Appends all of it to benchmarks/RESULTS.md with the date, the
#   commit, the load average and what else used the CPU (LEADSUITE_BENCH_NO_RECORD=1: print only).
# - Stops nginx at the end; the suite keeps running (scripts/suite.sh down).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-10s}"
CONNECTIONS="${2:-16}"
THREADS="${3:-2}"
ROUNDS="${4:-3}"
GATEWAY="${LEADSUITE_GATEWAY_PORT:-8080}"
LEAD="${LEADSUITE_LEAD_PORT:-8082}"
NGINX_PORT="${LEADSUITE_BENCH_NGINX_PORT:-8084}"
OUT="$ROOT/.run/bench"
mkdir -p "$OUT"
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
NGINX="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
[ -n "$NGINX" ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y "${missing[@]}" >"$OUT/apt.log" 2>&1 \
    || { $SUDO apt-get update >>"$OUT/apt.log" 2>&1 && $SUDO apt-get install -y "${missing[@]}" >>"$OUT/apt.log" 2>&1; } \
    || die "cannot install ${missing[*]} (log: $OUT/apt.log)"
  # the package may start a system nginx on port 80; this benchmark runs its own
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
fi

log "restarting the suite with the rate limit lifted"
bash scripts/suite.sh down >/dev/null 2>&1 || true
LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE=100000000 bash scripts/suite.sh up >"$OUT/suite-up.log" 2>&1 \
  || { tail -20 "$OUT/suite-up.log" >&2; die "the suite did not start"; }
grep -h 'ready in' "$OUT/suite-up.log" >&2 || true

cleanup() { [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p "$OUT/nginx/logs"
# a plain keep-alive reverse proxy, configured as one would in front of a service: /api/x -> lead-service /x
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

TOKEN="$(bash scripts/suite.sh token admin)"
LEAD_ID="$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-$(date +%s%N)@example.com\",\"topic\":\"bench\",\"source\":\"MARKETING_FORM\",\"consent\":true}" \
  "http://localhost:$LEAD/captures" | sed -E 's/.*"leadId" *: *"([^"]+)".*/\1/')"
[ -n "$LEAD_ID" ] || die "could not create a lead"
for url in "http://localhost:$LEAD/leads/$LEAD_ID" "http://localhost:$NGINX_PORT/api/leads/$LEAD_ID" \
  "http://localhost:$GATEWAY/api/leads/$LEAD_ID"; do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$url" || die "$url does not answer 2xx"
done

NAMES=(direct nginx gateway)
declare -A URLS=([direct]="http://localhost:$LEAD/leads/$LEAD_ID" [nginx]="http://localhost:$NGINX_PORT/api/leads/$LEAD_ID"
  [gateway]="http://localhost:$GATEWAY/api/leads/$LEAD_ID")
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
BAD=0
GATEWAY_PID="$(cat .run/suite/pids/gateway.pid)"
LEAD_PID="$(cat .run/suite/pids/lead-service.pid)"
NGINX_PIDS="$(cat "$OUT/nginx/nginx.pid") $(pgrep -P "$(cat "$OUT/nginx/nginx.pid")" | tr '\n' ' ')"
# CPU clock ticks (user + system) the processes have used so far
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# one wrk run; appends "round name rps2xx p50ms p99ms non2xx errors gateway-us nginx-us lead-us" to $RESULTS (the
# last three: CPU microseconds per answered request of the gateway, of nginx and of lead-service during the run)
measure() {
  local round="$1" name="$2" file="$OUT/$2-$1.txt" duration="$DURATION" g0 n0 l0
  [ "$1" != warmup ] || duration="${LEADSUITE_BENCH_WARMUP:-60s}"
  # shellcheck disable=SC2086
  g0="$(ticks "$GATEWAY_PID")" n0="$(ticks $NGINX_PIDS)" l0="$(ticks "$LEAD_PID")"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "Authorization: Bearer $TOKEN" "${URLS[$name]}" >"$file"
  # shellcheck disable=SC2086
  awk -v round="$round" -v name="$name" -v hz="$(getconf CLK_TCK)" -v g="$(($(ticks "$GATEWAY_PID") - g0))" \
    -v n="$(($(ticks $NGINX_PIDS) - n0))" -v l="$(($(ticks "$LEAD_PID") - l0))" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    function us(t) { return requests > 0 ? t * 1e6 / hz / requests : 0 }
    # wrk writes the duration as "10.02s" or, from a minute on, "1.00m"
    / requests in / { requests = $1; secs = $4; sub(/,$/, "", secs); secs = secs ~ /m$/ ? secs * 60 : secs + 0 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { non2xx = $NF }
    /Socket errors/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END { printf "%s\t%s\t%.1f\t%.3f\t%.3f\t%d\t%d\t%.0f\t%.0f\t%.0f\n", round, name, (requests - non2xx) / secs, p50, p99,
      non2xx, errors, us(g), us(n), us(l) }
  ' "$file" >>"$RESULTS"
  local line; line="$(tail -1 "$RESULTS")"
  printf '%-7s %-8s %10s req/s (2xx)  p50 %7s ms  p99 %7s ms  non-2xx %s  socket errors %s  CPU us/request: gateway %s nginx %s lead %s\n' $line >&2
  if [ "$(cut -f6 <<<"$line")" != 0 ] || [ "$(cut -f7 <<<"$line")" != 0 ]; then BAD=1; fi
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# what else uses the CPU (besides the suite, the database and the broker): a snapshot at the start
# (this checkout's suite only: another checkout's services, builds and tests count as "else")
others() {
  ps -eo pid=,pcpu=,args= --sort=-pcpu | grep -v -e "$ROOT/[a-z-]*/target/quarkus-app" -e "$ROOT/.run" -e 'ps -eo' -e wrk -e nginx \
    | awk '$2 >= 5 { printf "%s%% %s\n", $2, substr($0, index($0, $3), 110) }' | head -6
}
OTHERS="$(others)"
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) CPUs, load average $LOAD_BEFORE"
log "warm-up round (discarded)"
for name in "${NAMES[@]}"; do measure warmup "$name"; done
for round in $(seq 1 "$ROUNDS"); do
  log "round $round"
  for i in 0 1 2; do measure "$round" "${NAMES[$(((i + round) % 3))]}"; done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
OTHERS_AFTER="$(others)"
SERVER_TIMING="$(curl -fsi -H "Authorization: Bearer $TOKEN" "http://localhost:$GATEWAY/api/leads/$LEAD_ID" | tr -d '\r' | grep -i '^server-timing' || true)"

SUMMARY="$(awk -F'\t' '
  function median(arr, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  $1 != "warmup" { k = $2; n[k]++; rps[k, n[k]] = $3; p50[k, n[k]] = $4; p99[k, n[k]] = $5; r99[$1, k] = $5; rr[$1, k] = $3; rounds[$1] = 1
    # CPU per request of the proxy itself (the gateway in gateway runs, nginx in nginx runs) and of lead-service
    cpu[k, n[k]] = k == "gateway" ? $8 : (k == "nginx" ? $9 : 0); lcpu[k, n[k]] = $10 }
  END {
    split("direct nginx gateway", names, " ")
    for (x = 1; x <= 3; x++) { k = names[x]; for (i = 1; i <= n[k]; i++) { a[i] = rps[k, i]; b[i] = p50[k, i]; c[i] = p99[k, i] }
      mr[k] = median(a, n[k]); m50[k] = median(b, n[k]); m99[k] = median(c, n[k])
      for (i = 1; i <= n[k]; i++) { a[i] = cpu[k, i]; b[i] = lcpu[k, i] }
      mcpu[k] = median(a, n[k]); mlcpu[k] = median(b, n[k]) }
    # per round: ratio to direct and p99 added over direct, then the median and range of those
    for (x = 2; x <= 3; x++) { k = names[x]; m = 0
      for (r in rounds) { m++; ratio[m] = rr[r, k] / rr[r, "direct"]; added[m] = r99[r, k] - r99[r, "direct"]
        if (m == 1 || ratio[m] < lo[k]) lo[k] = ratio[m]; if (m == 1 || ratio[m] > hi[k]) hi[k] = ratio[m]
        if (m == 1 || added[m] < alo[k]) alo[k] = added[m]; if (m == 1 || added[m] > ahi[k]) ahi[k] = added[m] }
      mratio[k] = median(ratio, m); madded[k] = median(added, m) }
    printf "| | req/s (2xx, median) | p50 | p99 | vs direct (per round: median, range) | p99 added over direct (median, range) | proxy CPU per request | lead-service CPU per request |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    printf "| lead-service direct | %.0f | %.2f ms | %.2f ms | 1 | - | - | %.0f us |\n", mr["direct"], m50["direct"], m99["direct"], mlcpu["direct"]
    printf "| through nginx | %.0f | %.2f ms | %.2f ms | %.2fx (%.2f-%.2f) | %+.2f ms (%+.2f to %+.2f) | %.0f us | %.0f us |\n", mr["nginx"], m50["nginx"], m99["nginx"], mratio["nginx"], lo["nginx"], hi["nginx"], madded["nginx"], alo["nginx"], ahi["nginx"], mcpu["nginx"], mlcpu["nginx"]
    printf "| through the gateway | %.0f | %.2f ms | %.2f ms | %.2fx (%.2f-%.2f) | %+.2f ms (%+.2f to %+.2f) | %.0f us | %.0f us |\n", mr["gateway"], m50["gateway"], m99["gateway"], mratio["gateway"], lo["gateway"], hi["gateway"], madded["gateway"], alo["gateway"], ahi["gateway"], mcpu["gateway"], mlcpu["gateway"]
  }' "$RESULTS")"
printf '\n%s\n\n' "$SUMMARY"

log "resident memory 30 s after the load"
sleep 30
RSS=""
for svc in contact-service lead-service scoring-service gateway; do
  pid="$(cat ".run/suite/pids/$svc.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && RSS+="$svc $(( $(ps -o rss= -p "$pid") / 1024 )) MB, "
done
RSS="${RSS%, }"
echo "RSS: $RSS"

if [ "$BAD" != 0 ]; then
  die "some answers were not 2xx (or sockets failed): see $OUT/*.txt; nothing recorded"
fi
if [ "${LEADSUITE_BENCH_NO_RECORD:-}" != 1 ]; then
  COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- gateway scripts benchmarks 2>/dev/null || echo ' + uncommitted changes')"
  {
    printf '\n## %s, `benchmarks/gateway.sh %s %s %s %s` (commit %s)\n\n' "$(date -u +%Y-%m-%d)" "$DURATION" "$CONNECTIONS" "$THREADS" "$ROUNDS" "$COMMIT"
    printf 'GET /api/leads/{id}, %s CPUs, rate limit lifted, one warm-up round discarded, %s rounds interleaved (order\n' "$(nproc)" "$ROUNDS"
    printf 'rotated), every answer 2xx. Load average %s before, %s after. Also using the CPU at the start (ps, %%CPU\n' "$LOAD_BEFORE" "$LOAD_AFTER"
    printf 'over each process'"'"'s lifetime):\n'
    printf '%s\n\n' "$( [ -n "$OTHERS" ] && sed 's/^/- /' <<<"$OTHERS" || echo '- nothing above 5 %')"
    printf 'And at the end:\n'
    printf '%s\n\n' "$( [ -n "$OTHERS_AFTER" ] && sed 's/^/- /' <<<"$OTHERS_AFTER" || echo '- nothing above 5 %')"
    printf '%s\n\n' "$SUMMARY"
    printf 'Rounds (round, target, 2xx req/s, p50 ms, p99 ms, non-2xx, socket errors, CPU us per request of the gateway, nginx, lead-service):\n\n```\n%s\n```\n\n' "$(cat "$RESULTS")"
    printf '%s; resident memory 30 s after the load: %s.\n' "${SERVER_TIMING:-no Server-Timing}" "$RSS"
  } >>benchmarks/RESULTS.md
  log "recorded in benchmarks/RESULTS.md"
fi
