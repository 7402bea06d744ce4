#!/usr/bin/env bash
# Provisions and runs the infrastructure the suite needs on this machine: a private PostgreSQL (one database and
# one owner role per service) and a real ActiveMQ Artemis broker configured from deploy/broker/broker.xml, plus a
# local JWT key pair. Nothing is installed system-wide except PostgreSQL (apt), when it is missing.
#
#   scripts/infra.sh start suite|test     start (provisioning on first use), wait until ready, write .run/<p>/env
#   scripts/infra.sh stop  suite|test     stop both
#   scripts/infra.sh status suite|test
#   scripts/infra.sh wipe  suite|test     stop and delete all data of that profile
#   scripts/infra.sh broker-kill suite|test    kill -9 the broker only (a crash, for fault tests); broker-start starts it
#   scripts/infra.sh db-crash suite|test       PostgreSQL's immediate shutdown (pg_ctl -m immediate: a crash, recovery
#                                         from the WAL at the next start, for fault tests); db-start starts it again
#   scripts/infra.sh pgbench suite|test [seconds]   the database's ceiling for benchmarks: a one-row insert per
#                                         transaction with 1 and with 16 clients, in a throwaway database of the same
#                                         server (same settings as the services'); prints "clients tps" lines
#   scripts/infra.sh db-work suite|test   transactions and rows written so far per service database (for work per unit)
#   scripts/infra.sh db-check suite|test  after a benchmark: outbox rows left per database, inbox rows, and the scores
#                                         in scoring-service that differ from the sum of their rule hits
#   scripts/infra.sh dlq suite|test       the dead letters: how many, per queue they came from
#   scripts/infra.sh dlq-replay suite|test [queue]   sends the dead letters (all, or those of one queue, e.g.
#                                         score-updates.lead-service) back to the queue each came from, once the cause
#                                         is fixed (the consumers' inbox makes a message that was applied already harmless)
#   scripts/infra.sh dlq-check suite|test  proves dlq-replay on a scratch queue: a message dead-lettered, replayed, back
#   scripts/infra.sh broker-accounts-check suite|test   proves each service's broker account is confined to its own
#                                         addresses (sending or subscribing elsewhere, management and deletes refused)
#
# Broker accounts: one per service (contact-service, lead-service, scoring-service, gateway), "operator" (dead letters,
# management), "interactions-sender" (for e-mail and web-tracking systems) and, locally only, "leadsuite-tests" (the
# tests' own account). Their passwords are generated on first use into .run/<profile>/broker-accounts (never
# committed) and written to the broker's users and roles files at every start; the roles' rights are broker.xml's.
#
# Profiles do not share ports or data: "suite" is what scripts/suite.sh runs against, "test" is what the tests use.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTEMIS_VERSION="${ARTEMIS_VERSION:-2.40.0}"
ARTEMIS_SHA1_URL="https://repo.maven.apache.org/maven2/org/apache/activemq/apache-artemis/${ARTEMIS_VERSION}/apache-artemis-${ARTEMIS_VERSION}-bin.tar.gz"
CACHE="${LEADSUITE_CACHE:-$HOME/.cache/leadsuite}"
SERVICES=(contact lead scoring)

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

profile_settings() {
  case "$1" in
    suite) PG_PORT="${LEADSUITE_PG_PORT:-25432}"; AMQP_PORT="${LEADSUITE_AMQP_PORT:-25672}" ;;
    test)  PG_PORT="${LEADSUITE_TEST_PG_PORT:-${LEADSUITE_PG_PORT:-26432}}"; AMQP_PORT="${LEADSUITE_TEST_AMQP_PORT:-${LEADSUITE_AMQP_PORT:-26672}}" ;;
    *) die "unknown profile '$1' (suite or test)" ;;
  esac
  PROFILE="$1"
  STATE="$ROOT/.run/$PROFILE"
  # PostgreSQL runs as the postgres user when we are root; its data lives where that user can reach it.
  PG_STATE="${LEADSUITE_PG_STATE:-/tmp/leadsuite-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}/$PROFILE"
  PG_DATA="$PG_STATE/data"
  PG_SOCK="$PG_STATE/sock"
  BROKER="$STATE/broker"
  KEYS="$STATE/keys"
}

# ---------------------------------------------------------------------------------------------------- PostgreSQL
find_pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_postgres_installed() {
  PG_BIN="$(find_pg_bin || true)"
  if [ -z "$PG_BIN" ]; then
    log "PostgreSQL server not found; installing it with apt"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # The package starts a cluster on the default port; ours is private and does not need it.
    PG_BIN="$(find_pg_bin)" || die "PostgreSQL installation failed"
  fi
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

psql_admin() { as_pg "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

start_postgres() {
  ensure_postgres_installed
  mkdir -p "$PG_STATE"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PG_STATE"
    chmod 700 "$PG_STATE"
    # the postgres user must be able to reach PG_STATE
    chmod o+x "$(dirname "$PG_STATE")"
  fi
  as_pg mkdir -p "$PG_SOCK"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 || as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null
  fi
  if pg_running; then
    log "PostgreSQL already running on port $PG_PORT"
  else
    local extra=""
    # Test data is disposable: trade durability for speed there only. Not synchronous_commit=off: a commit must have
    # reached the kernel when the client hears of it, or an immediate shutdown (db-crash, e2e FaultsIT) loses
    # transactions already acknowledged; without fsync that costs a write, not a flush.
    [ "$PROFILE" = test ] && extra="-c fsync=off -c full_page_writes=off"
    # The suite counts its statements (db-work: round trips per capture and per interaction in the benchmark).
    [ "$PROFILE" = suite ] && extra="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=10000"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_STATE/postgres.log" -w -t 180 \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=300 $extra" start >/dev/null \
      || { tail -20 "$PG_STATE/postgres.log" >&2; die "PostgreSQL did not start"; }
    log "PostgreSQL started on 127.0.0.1:$PG_PORT"
  fi
  local svc role
  for svc in "${SERVICES[@]}"; do
    role="${svc}_service"
    if [ -z "$(psql_admin -c "select 1 from pg_roles where rolname = '$role'")" ]; then
      psql_admin -c "create role $role login password '$role'"
    fi
    # A session left idle inside a transaction (a client that lost track of its connection) is closed by the database
    # after 30 s, so it cannot hold locks and a connection slot for good. The services' transactions are short; the
    # longest, the outbox relay's, waits at most 10 s for the broker. Set at every start: existing clusters get it too.
    psql_admin -c "alter role $role set idle_in_transaction_session_timeout = '30s'" >/dev/null
    if [ -z "$(psql_admin -c "select 1 from pg_database where datname = '$svc'")" ]; then
      psql_admin -c "create database $svc owner $role"
    fi
  done
}

stop_postgres() {
  PG_BIN="$(find_pg_bin || true)"
  [ -n "$PG_BIN" ] && [ -f "$PG_DATA/PG_VERSION" ] && pg_running \
    && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && log "PostgreSQL stopped" || true
}

# ---------------------------------------------------------------------------------------------------- Artemis
ensure_artemis_distribution() {
  ARTEMIS_HOME="$CACHE/apache-artemis-$ARTEMIS_VERSION"
  [ -x "$ARTEMIS_HOME/bin/artemis" ] && return 0
  mkdir -p "$CACHE"
  local tgz="$CACHE/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz"
  if [ ! -f "$tgz" ]; then
    log "downloading Apache Artemis $ARTEMIS_VERSION from Maven Central"
    curl -fsSL --retry 3 -o "$tgz.part" "$ARTEMIS_SHA1_URL"
    local expected actual
    expected="$(curl -fsSL --retry 3 "$ARTEMIS_SHA1_URL.sha1" | cut -c1-40)"
    actual="$(sha1sum "$tgz.part" | cut -c1-40)"
    [ "$expected" = "$actual" ] || { rm -f "$tgz.part"; die "Artemis checksum mismatch ($actual != $expected)"; }
    mv "$tgz.part" "$tgz"
  fi
  tar xzf "$tgz" -C "$CACHE"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_artemis() {
  ensure_artemis_distribution
  if [ -f "$BROKER/broker.pid" ] && kill -0 "$(cat "$BROKER/broker.pid")" 2>/dev/null; then
    log "Artemis already running on port $AMQP_PORT"
    return 0
  fi
  if [ ! -x "$BROKER/bin/artemis" ]; then
    log "creating Artemis broker instance in $BROKER"
    # its user is replaced by the accounts below (write_broker_accounts) before the broker first starts
    "$ARTEMIS_HOME/bin/artemis" create --user operator --password "$(account_password operator)" --require-login --no-web --no-autotune \
      --silent --nio --no-hornetq-acceptor --no-mqtt-acceptor --no-stomp-acceptor "$BROKER" >"$STATE/artemis-create.log" 2>&1 \
      || { cat "$STATE/artemis-create.log" >&2; die "artemis create failed"; }
  fi
  # The broker configuration is the one in deploy/, refreshed on every start so changes apply; so are the accounts.
  cp "$ROOT/deploy/broker/broker.xml" "$BROKER/etc/broker.xml"
  if [ "$PROFILE" = test ]; then
    # The test command's broker dead-letters within about 90 s (10 deliveries, back-off 0.25 s doubling to 30 s)
    # instead of 18.5 minutes: tests poison messages on purpose, and one still being redelivered when a later suite
    # starts would land in the dead-letter queue in the middle of that suite's count.
    sed -i -e 's|<max-delivery-attempts>12</max-delivery-attempts>|<max-delivery-attempts>10</max-delivery-attempts>|' \
      -e 's|<redelivery-delay>1000</redelivery-delay>|<redelivery-delay>250</redelivery-delay>|' \
      -e 's|<max-redelivery-delay>300000</max-redelivery-delay>|<max-redelivery-delay>30000</max-redelivery-delay>|' \
      "$BROKER/etc/broker.xml"
  fi
  write_broker_accounts
  # A broker of an earlier run may still be letting go of the port: wait a little before calling it taken.
  for _ in $(seq 1 20); do port_open "$AMQP_PORT" || break; sleep 0.5; done
  port_open "$AMQP_PORT" && die "port $AMQP_PORT is taken by another process"
  JAVA_ARGS="-XX:+UseG1GC -Xms64m -Xmx512m -Damqp.port=$AMQP_PORT -Ddata.dir=$BROKER/data --add-opens java.base/jdk.internal.misc=ALL-UNNAMED" \
    nohup "$BROKER/bin/artemis" run >"$BROKER/log/console.log" 2>&1 &
  echo $! >"$BROKER/broker.pid"
  # Up to three minutes: after a crash the broker reloads its journal, and on a busy box (the fault runner's two
  # replicas of everything) its JVM alone has taken 26 s to log its first line and the port 60 s to open.
  local i
  for i in $(seq 1 360); do
    if port_open "$AMQP_PORT"; then
      log "Artemis started on 127.0.0.1:$AMQP_PORT (pid $(cat "$BROKER/broker.pid"))"
      return 0
    fi
    kill -0 "$(cat "$BROKER/broker.pid")" 2>/dev/null || { tail -30 "$BROKER/log/console.log" >&2; die "Artemis exited"; }
    sleep 0.5
  done
  tail -30 "$BROKER/log/console.log" >&2
  die "Artemis did not open port $AMQP_PORT"
}

stop_artemis() {
  if [ -f "$BROKER/broker.pid" ]; then
    local pid
    pid="$(cat "$BROKER/broker.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      # the launcher script execs java, so this is the broker's own pid
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      log "Artemis stopped"
    fi
    rm -f "$BROKER/broker.pid"
  fi
}

# ---------------------------------------------------------------------------------------------------- broker accounts
# account:role (the role's rights are deploy/broker/broker.xml's security settings)
BROKER_ACCOUNTS=(contact-service:contact-service lead-service:lead-service scoring-service:scoring-service
  gateway:gateway operator:operator interactions-sender:interactions-sender leadsuite-tests:tests)

# The password of a local broker account, generated on first use (random, kept in .run/<profile>/broker-accounts).
account_password() {
  local file="$STATE/broker-accounts" pw
  [ -f "$file" ] || { : >"$file"; chmod 600 "$file"; }
  pw="$(awk -v a="$1" '$1 == a { print $2 }' "$file")"
  if [ -z "$pw" ]; then
    pw="$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 24)"
    echo "$1 $pw" >>"$file"
  fi
  printf '%s' "$pw"
}

write_broker_accounts() {
  local users="$BROKER/etc/artemis-users.properties" roles="$BROKER/etc/artemis-roles.properties" entry account
  (
    umask 077
    for entry in "${BROKER_ACCOUNTS[@]}"; do
      account="${entry%%:*}"
      echo "$account = $(account_password "$account")"
    done >"$users.tmp"
    for entry in "${BROKER_ACCOUNTS[@]}"; do echo "${entry#*:} = ${entry%%:*}"; done >"$roles.tmp"
  )
  mv "$users.tmp" "$users"
  mv "$roles.tmp" "$roles"
}

# --url, --user and --password of the operator account, for the Artemis CLI
operator_args() { echo --url "tcp://127.0.0.1:$AMQP_PORT" --user operator --password "$(account_password operator)"; }

# ---------------------------------------------------------------------------------------------------- keys, env
ensure_keys() {
  if [ ! -f "$KEYS/private.pem" ]; then
    log "generating a local JWT key pair in $KEYS (never committed)"
    java "$ROOT/scripts/tools/Keys.java" generate "$KEYS"
  fi
  # the web forms' own key pair: the gateway signs form tokens with it, lead- and contact-service trust its public key
  # for captures only (the suite issuer's private key stays off the gateway)
  if [ ! -f "$KEYS/forms/private.pem" ]; then
    java "$ROOT/scripts/tools/Keys.java" generate "$KEYS/forms"
  fi
}

write_env() {
  cat >"$STATE/env" <<EOF
# written by scripts/infra.sh start $PROFILE
export LEADSUITE_DB_HOST=127.0.0.1
export LEADSUITE_DB_PORT=$PG_PORT
export LEADSUITE_AMQP_HOST=127.0.0.1
export LEADSUITE_AMQP_PORT=$AMQP_PORT
# the tests' own broker account (local only), what the @QuarkusTests connect with; scripts/suite.sh and the e2e suite
# give each service its own account instead (BROKER_USER_<SERVICE>, BROKER_PASSWORD_<SERVICE> below)
export LEADSUITE_AMQP_USERNAME=leadsuite-tests
export LEADSUITE_AMQP_PASSWORD=$(account_password leadsuite-tests)
export LEADSUITE_JWT_PUBLIC_KEY=file:$KEYS/public.pem
export JWT_PRIVATE_KEY_FILE=$KEYS/private.pem
export LEADSUITE_FORMS_PUBLIC_KEY=file:$KEYS/forms/public.pem
export LEADSUITE_GATEWAY_FORMS_SIGNING_KEY=file:$KEYS/forms/private.pem
EOF
  local entry account var
  for entry in "${BROKER_ACCOUNTS[@]}"; do
    account="${entry%%:*}"
    var="$(printf '%s' "$account" | tr 'a-z-' 'A-Z_')"
    printf 'export BROKER_USER_%s=%s\nexport BROKER_PASSWORD_%s=%s\n' "$var" "$account" "$var" \
      "$(account_password "$account")" >>"$STATE/env"
  done
  chmod 600 "$STATE/env"
}

cmd="${1:-}"; [ $# -ge 2 ] || die "usage: $0 start|stop|status|wipe|broker-kill|broker-start|db-crash|db-start|pgbench|amqp-ceiling|db-work|db-check|queue-stat|sql suite|test"
profile_settings "$2"
mkdir -p "$STATE"
case "$cmd" in
  start)
    ensure_keys
    start_postgres
    start_artemis
    write_env
    ;;
  stop)
    stop_artemis
    stop_postgres
    ;;
  status)
    PG_BIN="$(find_pg_bin || true)"
    if [ -n "$PG_BIN" ] && pg_running; then echo "postgres: running on $PG_PORT"; else echo "postgres: stopped"; fi
    if [ -f "$BROKER/broker.pid" ] && kill -0 "$(cat "$BROKER/broker.pid")" 2>/dev/null; then
      echo "artemis: running on $AMQP_PORT"; else echo "artemis: stopped"; fi
    ;;
  broker-kill)
    if [ -f "$BROKER/broker.pid" ]; then
      kill -9 "$(cat "$BROKER/broker.pid")" 2>/dev/null || true
      for _ in $(seq 1 40); do port_open "$AMQP_PORT" || break; sleep 0.25; done
      rm -f "$BROKER/broker.pid"
      log "Artemis killed"
    fi
    ;;
  broker-start)
    start_artemis
    ;;
  db-crash)
    PG_BIN="$(find_pg_bin)"
    pg_running && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null && log "PostgreSQL crashed (immediate shutdown)" || true
    ;;
  db-start)
    start_postgres
    ;;
  pgbench)
    PG_BIN="$(find_pg_bin)"
    pg_running || die "PostgreSQL ($PROFILE) is not running"
    secs="${3:-10}"
    psql_admin -c "drop database if exists ceiling" >/dev/null 2>&1
    psql_admin -c "create database ceiling" >/dev/null
    as_pg "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d ceiling -qtA \
      -c "create table one_row (id bigserial primary key, at timestamptz not null default now(), note text)"
    script="$(mktemp)"; chmod 644 "$script"
    echo "insert into one_row (note) values ('ceiling');" > "$script"
    for clients in 1 16; do
      tps="$(as_pg "$PG_BIN/pgbench" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -n -c "$clients" -j "$clients" \
        -T "$secs" -f "$script" ceiling 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"
      echo "$clients $tps"
    done
    rm -f "$script"
    psql_admin -c "drop database ceiling" >/dev/null
    ;;
  db-work)
    # per service database: transactions, rows inserted, updated, deleted, statements (round trips, BEGIN and COMMIT
    # included; -1 when the cluster was started without pg_stat_statements)
    PG_BIN="$(find_pg_bin)"
    statements="-1"
    if psql_admin -c "create extension if not exists pg_stat_statements" >/dev/null 2>&1 \
      && psql_admin -c "select 1 from pg_stat_statements limit 1" >/dev/null 2>&1; then
      statements="coalesce((select sum(s.calls) from pg_stat_statements s where s.dbid = d.datid), 0)"
    fi
    psql_admin -F ' ' -c "select d.datname, xact_commit + xact_rollback, tup_inserted, tup_updated, tup_deleted,
      $statements from pg_stat_database d where d.datname in ('contact', 'lead', 'scoring') order by d.datname"
    ;;
  amqp-ceiling)
    # The broker's ceiling: durable 1 KiB messages sent and received over AMQP through one queue by the Artemis CLI's
    # perf client, with 1 and with 100 sends awaiting the broker's confirmation; prints "pending msgs/s" per line
    # (received per second, averaged over the intervals after a 2 s warm-up).
    secs="${3:-10}"
    for pending in 1 100; do
      report="$(mktemp)"
      "$BROKER/bin/artemis" perf client --url "amqp://127.0.0.1:$AMQP_PORT" --protocol AMQP --user leadsuite-tests \
        --password "$(account_password leadsuite-tests)" --persistent --duration "$secs" --warmup 2 --max-pending "$pending" --message-size 1024 \
        --json "$report" queue://test.bench.ceiling >/dev/null 2>&1 || true
      rate="$(grep -o '"warmup":false,"time":[0-9]*,"sent":[0-9]*,"delayed":[0-9]*,"completed":[0-9]*,"received":[0-9]*' \
        "$report" | sed 's/.*"received"://' | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n; else print "-" }')"
      rm -f "$report"
      echo "$pending $rate"
    done
    # shellcheck disable=SC2046
    "$BROKER/bin/artemis" queue delete $(operator_args) --name test.bench.ceiling >/dev/null 2>&1 || true
    ;;
  sql)
    # a psql session on one service database, reading statements from stdin (benchmarks: completion checks with SQL)
    [ $# -ge 3 ] || die "usage: $0 sql suite|test DATABASE"
    PG_BIN="$(find_pg_bin)"
    exec 2>/dev/null
    if [ "$(id -u)" -eq 0 ]; then
      exec runuser -u postgres -- "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d "$3" -qtAX
    fi
    exec "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d "$3" -qtAX
    ;;
  queue-stat)
    # every queue: name, messages waiting, messages added since the broker started, consumers
    # shellcheck disable=SC2046
    "$BROKER/bin/artemis" queue stat $(operator_args) \
      --maxRows 500 --maxColumnSize -1 2>/dev/null | awk -F'|' 'NF > 6 && $2 !~ /NAME/ && $2 !~ /^ *$/ { gsub(/ /, "", $2); gsub(/ /, "", $5);
        gsub(/ /, "", $6); gsub(/ /, "", $4); print $2, $5, $6, $4 }'
    ;;
  dlq|dlq-replay|dlq-check)
    # dead letters over the broker's management API (scripts/tools/DeadLetters.java, the operator account)
    [ -f "$BROKER/broker.pid" ] && kill -0 "$(cat "$BROKER/broker.pid")" 2>/dev/null || die "Artemis ($PROFILE) is not running"
    ARTEMIS_HOME="$CACHE/apache-artemis-$ARTEMIS_VERSION"
    sub="${cmd#dlq-}"; [ "$cmd" = dlq ] && sub=list
    BROKER_URL="tcp://127.0.0.1:$AMQP_PORT" BROKER_USER=operator BROKER_PASSWORD="$(account_password operator)" \
      java -cp "$ARTEMIS_HOME/lib/*" "$ROOT/scripts/tools/DeadLetters.java" "$sub" ${3:+"$3"} 2> >(grep -v '^SLF4J\|^WARNING' >&2)
    ;;
  broker-accounts-check)
    # Each service's account may send to and consume from its own addresses only: every attempt below must be refused
    # by the broker (not authorised). The services' own sends and subscriptions are what the e2e tests exercise.
    [ -f "$BROKER/broker.pid" ] && kill -0 "$(cat "$BROKER/broker.pid")" 2>/dev/null || die "Artemis ($PROFILE) is not running"
    url="tcp://127.0.0.1:$AMQP_PORT"
    failed=0
    refused() { # description, account, artemis CLI arguments...
      local what="$1" account="$2" out; shift 2
      out="$("$BROKER/bin/artemis" "$@" --url "$url" --user "$account" --password "$(account_password "$account")" 2>&1 || true)"
      if grep -q "AMQ229032\|AMQ229213\|does not have permission\|not authorized" <<<"$out"; then
        echo "refused  $account: $what"
      else
        echo "ALLOWED  $account: $what"; printf '%s\n' "$out" | tail -5 | sed 's/^/         /'; failed=1
      fi
    }
    # a filter no message matches: were a consumer wrongly admitted, it would still take nothing
    none="checkId = 'broker-accounts-check'"
    send() { echo producer --message-count 1 --message-size 10 --destination "$1"; }
    # shellcheck disable=SC2046
    {
      refused "send to lead-events" contact-service $(send topic://lead-events)
      refused "send to score-updates" lead-service $(send topic://score-updates)
      refused "send to contact-events" scoring-service $(send topic://contact-events)
      refused "send to lead-events" gateway $(send topic://lead-events)
      refused "send to interactions" lead-service $(send queue://interactions)
      refused "send to DLQ" scoring-service $(send queue://DLQ)
      refused "create an address (send to a new one)" lead-service $(send queue://not-declared)
      refused "consume scoring-service's queue on lead-events" lead-service consumer --message-count 1 \
        --receive-timeout 500 --break-on-null --filter "$none" --destination fqqn://lead-events::lead-events.scoring-service
      refused "consume scoring-service's queue on lead-events" gateway consumer --message-count 1 \
        --receive-timeout 500 --break-on-null --filter "$none" --destination fqqn://lead-events::lead-events.scoring-service
      refused "consume lead-service's queue on contact-events" scoring-service consumer --message-count 1 \
        --receive-timeout 500 --break-on-null --filter "$none" --destination fqqn://contact-events::contact-events.lead-service
      refused "consume interactions" lead-service consumer --message-count 1 --receive-timeout 500 --break-on-null \
        --filter "$none" --destination queue://interactions
      refused "consume the DLQ" contact-service consumer --message-count 1 --receive-timeout 500 --break-on-null \
        --filter "$none" --destination queue://DLQ
      refused "subscribe to contact-events" gateway consumer --message-count 1 --receive-timeout 500 --break-on-null \
        --filter "$none" --destination topic://contact-events
      refused "management (queue stat)" contact-service queue stat --maxRows 1
      refused "management (queue stat)" gateway queue stat --maxRows 1
      refused "delete a queue" scoring-service queue delete --name interactions
    }
    [ "$failed" = 0 ] || die "a service account is allowed more than its own addresses (ALLOWED lines above)"
    echo "broker-accounts-check: every service account is confined to its own addresses"
    ;;
  db-check)
    PG_BIN="$(find_pg_bin)"
    for db in "${SERVICES[@]}"; do
      echo "$db outbox_left $(as_pg "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d "$db" -qtA \
        -c "select count(*) from outbox_message")"
    done
    echo "scoring scores_not_sum_of_hits $(as_pg "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d scoring -qtA \
      -c "select count(*) from lead_score s left join (select lead_id, model_id, sum(points) as total from rule_hit
          group by lead_id, model_id) h using (lead_id, model_id) where s.score <> coalesce(h.total, 0)")"
    ;;
  wipe)
    stop_artemis
    stop_postgres
    rm -rf "$BROKER" "$PG_STATE"
    log "wiped $PROFILE data"
    ;;
  *) die "unknown command $cmd" ;;
esac
