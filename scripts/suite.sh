#!/usr/bin/env bash
# Runs the whole suite on this machine: PostgreSQL and Artemis (scripts/infra.sh), then the four services from their
# fast-jars (built first when the sources changed), waits until every one is ready and prints where the gateway is
# and a token to call it with.
#
#   scripts/suite.sh up                  start everything (idempotent)
#   scripts/suite.sh down                stop the services, the broker and the database
#   scripts/suite.sh status              what runs
#   scripts/suite.sh token ROLE...       print a bearer token with those roles (marketing telesales sales admin crm)
#   scripts/suite.sh restart SERVICE     restart one service (contact-service, lead-service, scoring-service, gateway)
#
# Logs: .run/suite/logs/<service>.log. Ports: gateway 8080, contact 8081, lead 8082, scoring 8083 (LEADSUITE_*_PORT).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.run/suite"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
SERVICES=(contact-service lead-service scoring-service gateway)

GATEWAY_PORT="${LEADSUITE_GATEWAY_PORT:-8080}"
CONTACT_PORT="${LEADSUITE_CONTACT_PORT:-8081}"
LEAD_PORT="${LEADSUITE_LEAD_PORT:-8082}"
SCORING_PORT="${LEADSUITE_SCORING_PORT:-8083}"
# JVM options and pool sizes come from deploy/base/runtime.env, the one place they are set (the cluster reads the same
# file as the ConfigMap leadsuite-runtime): GC_CONTAINER_OPTIONS, then JVM_OPTIONS for every service, then
# JVM_OPTIONS_<SERVICE>; every other key is exported as it is. LEADSUITE_JVM_OPTS in the environment replaces the
# file's JVM_OPTIONS (for experiments, e.g. adding -XX:NativeMemoryTracking=summary).
RUNTIME_ENV="$ROOT/deploy/base/runtime.env"
declare -A RUNTIME_JVM_OPTS=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  key="${line%%=*}" value="${line#*=}"
  case "$key" in
    JVM_OPTIONS*|GC_CONTAINER_OPTIONS) RUNTIME_JVM_OPTS[$key]="$value" ;;
    *) [ -n "${!key:-}" ] || export "$key=$value" ;;
  esac
done <"$RUNTIME_ENV"
JVM_OPTS="${RUNTIME_JVM_OPTS[GC_CONTAINER_OPTIONS]:-} ${LEADSUITE_JVM_OPTS:-${RUNTIME_JVM_OPTS[JVM_OPTIONS]:-}}"
jvm_opts() {
  local key="JVM_OPTIONS_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"
  printf '%s %s' "$JVM_OPTS" "${RUNTIME_JVM_OPTS[$key]:-}"
}

log() { printf '[suite] %s\n' "$*" >&2; }
die() { printf '[suite] ERROR: %s\n' "$*" >&2; exit 1; }

port_of() {
  case "$1" in
    contact-service) echo "$CONTACT_PORT" ;;
    lead-service) echo "$LEAD_PORT" ;;
    scoring-service) echo "$SCORING_PORT" ;;
    gateway) echo "$GATEWAY_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}

running() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

build_if_needed() {
  local stale=false svc jar
  for svc in "${SERVICES[@]}"; do
    jar="$svc/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ] || [ -n "$(find pom.xml "$svc/pom.xml" "$svc/src/main" service-kit/src/main message-contracts/src/main -newer "$jar" -print -quit 2>/dev/null)" ]; then
      stale=true
    fi
  done
  if [ "$stale" = true ]; then
    log "building the services (the first build downloads dependencies and takes a few minutes)"
    ./mvnw -B -q -ntp -DskipTests package -pl contact-service,lead-service,scoring-service,gateway -am \
      >"$STATE/build.log" 2>&1 || { tail -40 "$STATE/build.log" >&2; die "build failed (full log: $STATE/build.log)"; }
  fi
}

start_service() {
  local svc="$1" port
  port="$(port_of "$svc")"
  if running "$svc"; then
    log "$svc already running (pid $(cat "$PIDS/$svc.pid"))"
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port for $svc is taken by another process"
  # shellcheck disable=SC1091
  (
    source "$STATE/env"
    # the service's own broker account (scripts/infra.sh generated it); the others' passwords stay out of its env
    account="$(printf '%s' "$svc" | tr 'a-z-' 'A-Z_')"
    user_var="BROKER_USER_$account"; password_var="BROKER_PASSWORD_$account"
    export LEADSUITE_AMQP_USERNAME="${!user_var}" LEADSUITE_AMQP_PASSWORD="${!password_var}"
    # the database role's password: the local cluster's roles have their names as passwords (scripts/infra.sh)
    export LEADSUITE_DB_PASSWORD="${svc//-/_}"
    for v in $(compgen -v BROKER_); do unset "$v"; done
    export QUARKUS_HTTP_PORT="$port"
    export LEADSUITE_CONTACT_SERVICE_URL="http://localhost:$CONTACT_PORT"
    export LEADSUITE_GATEWAY_UPSTREAMS_CONTACT_SERVICE="http://localhost:$CONTACT_PORT"
    export LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE="http://localhost:$LEAD_PORT"
    export LEADSUITE_GATEWAY_UPSTREAMS_SCORING_SERVICE="http://localhost:$SCORING_PORT"
    # webhooks: a local run may subscribe plain-http webhook receivers on this machine (refused in production)
    export LEADSUITE_WEBHOOKS_ALLOW_PRIVATE_TARGETS="${LEADSUITE_WEBHOOKS_ALLOW_PRIVATE_TARGETS:-true}"
    # no service gets the token issuer's private key (it mints staff tokens: scripts/suite.sh token only); the gateway
    # signs web forms' tokens with the forms' own key (LEADSUITE_GATEWAY_FORMS_SIGNING_KEY)
    unset JWT_PRIVATE_KEY_FILE
    export LEADSUITE_WEBHOOKS_REQUIRE_HTTPS="${LEADSUITE_WEBHOOKS_REQUIRE_HTTPS:-false}"
    # shellcheck disable=SC2086
    exec nohup java $(jvm_opts "$svc") -jar "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" >"$LOGS/$svc.log" 2>&1
  ) &
  echo $! >"$PIDS/$svc.pid"
}

wait_ready() {
  local svc="$1" port deadline
  port="$(port_of "$svc")"
  deadline=$((SECONDS + 120))
  until curl -fs -o /dev/null "http://localhost:$port/q/health/ready"; do
    running "$svc" || { tail -30 "$LOGS/$svc.log" >&2; die "$svc exited during start-up (log: $LOGS/$svc.log)"; }
    [ $SECONDS -lt $deadline ] || die "$svc not ready after 120 s (log: $LOGS/$svc.log)"
    sleep 0.3
  done
}

stop_service() {
  local svc="$1" pid
  running "$svc" || { rm -f "$PIDS/$svc.pid"; return 0; }
  pid="$(cat "$PIDS/$svc.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDS/$svc.pid"
  log "$svc stopped"
}

token() { java "$ROOT/scripts/tools/Keys.java" token "$STATE/keys" "$@"; }

cmd="${1:-up}"
mkdir -p "$LOGS" "$PIDS"
case "$cmd" in
  up)
    started=$SECONDS
    bash scripts/infra.sh start suite
    build_if_needed
    t0=$SECONDS
    for svc in "${SERVICES[@]}"; do start_service "$svc"; done
    for svc in "${SERVICES[@]}"; do wait_ready "$svc"; done
    log "all four services ready in $((SECONDS - t0)) s (total $((SECONDS - started)) s)"
    cat <<EOF

  Console:   http://localhost:$GATEWAY_PORT/   (sign in with the token below)
  Gateway:   http://localhost:$GATEWAY_PORT/api   (OpenAPI of each service: http://localhost:{$CONTACT_PORT,$LEAD_PORT,$SCORING_PORT}/q/openapi)
  Token:     export TOKEN=$(token admin)
             (any roles: scripts/suite.sh token marketing telesales sales admin crm)
  Try:       curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
               -d '{"email":"ana@example.com","topic":"solar-panels","source":"MARKETING_FORM"}' \\
               http://localhost:$GATEWAY_PORT/api/captures
  Logs:      $LOGS
  Stop:      scripts/suite.sh down

EOF
    ;;
  down)
    for svc in gateway lead-service scoring-service contact-service; do stop_service "$svc"; done
    bash scripts/infra.sh stop suite
    ;;
  restart)
    [ $# -ge 2 ] || die "usage: $0 restart SERVICE"
    stop_service "$2"
    start_service "$2"
    wait_ready "$2"
    log "$2 ready"
    ;;
  status)
    bash scripts/infra.sh status suite
    for svc in "${SERVICES[@]}"; do
      if running "$svc"; then echo "$svc: running on $(port_of "$svc") (pid $(cat "$PIDS/$svc.pid"))"; else echo "$svc: stopped"; fi
    done
    ;;
  token)
    shift
    [ -f "$STATE/keys/private.pem" ] || java "$ROOT/scripts/tools/Keys.java" generate "$STATE/keys"
    token "$@"
    ;;
  *) die "unknown command $cmd (up, down, status, token, restart)" ;;
esac
