#!/usr/bin/env bash
# The local cluster path: from nothing to a capture through the gateway, on kind (Kubernetes in Docker), with the dev
# overlay (PostgreSQL and Artemis in the cluster). Needs docker, kind (v0.24 or later, whose CNI enforces
# NetworkPolicies), kubectl, curl and a JDK 17 (the build and the token tool). deploy/README.md, "A local cluster".
#
#   deploy/kind/up.sh            create the cluster (if missing), install ingress-nginx, build the four images,
#                                load them into kind, apply deploy/overlays/dev, wait, capture a lead through the gateway
#   deploy/kind/up.sh capture    capture one more lead and print it once scored (events flowed)
#   deploy/kind/up.sh outage     a broker outage: stop Artemis, capture (201, the API stays ready), start it again,
#                                wait until the lead captured during the outage is scored
#   deploy/kind/up.sh down       delete the cluster
#
# Environment: LEADSUITE_KIND_CLUSTER (leadsuite), LEADSUITE_KIND_PORT (8088, as in cluster.yaml),
# INGRESS_NGINX_VERSION (controller-v1.12.1).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER="${LEADSUITE_KIND_CLUSTER:-leadsuite}"
PORT="${LEADSUITE_KIND_PORT:-8088}"
INGRESS_NGINX_VERSION="${INGRESS_NGINX_VERSION:-controller-v1.12.1}"
NS=leadsuite-dev
HOST=leadsuite.localhost
STATE="$ROOT/.run/kind"
SERVICES=(gateway contact-service lead-service scoring-service)

log() { printf '[kind] %s\n' "$*" >&2; }
die() { printf '[kind] ERROR: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required (${2:-})"; }
k() { kubectl --context "kind-$CLUSTER" "$@"; }

# The images the dev overlay runs, exactly as it names them (registry, organisation, tag): what we build and load.
overlay_images() {
  kubectl kustomize "$ROOT/deploy/overlays/dev" | sed -n 's/^ *image: \(.*\/\(gateway\|contact-service\|lead-service\|scoring-service\):.*\)$/\1/p' | sort -u
}

create_cluster() {
  if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
    log "cluster $CLUSTER exists"
  else
    log "creating the kind cluster $CLUSTER (deploy/kind/cluster.yaml)"
    kind create cluster --name "$CLUSTER" --config "$HERE/cluster.yaml" --wait 120s
  fi
  log "installing ingress-nginx $INGRESS_NGINX_VERSION (the edge)"
  k apply -f "https://raw.githubusercontent.com/kubernetes/ingress-nginx/$INGRESS_NGINX_VERSION/deploy/static/provider/kind/deploy.yaml" >/dev/null
  k -n ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=300s
}

build_images() {
  local images image svc registry group tag
  mapfile -t images < <(overlay_images)
  [ "${#images[@]}" -eq 4 ] || die "expected the four service images in deploy/overlays/dev, found: ${images[*]:-none}"
  image="${images[0]}"
  tag="${image##*:}"
  registry="${image%%/*}"
  group="${image#*/}"; group="${group%/*}"
  cd "$ROOT"
  if grep -q '<artifactId>quarkus-container-image-jib</artifactId>' gateway/pom.xml contact-service/pom.xml lead-service/pom.xml scoring-service/pom.xml 2>/dev/null; then
    log "building the images with Jib into the local Docker daemon: $registry/$group/<service>:$tag"
    ./mvnw -B -ntp -q package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am \
      -Dquarkus.container-image.build=true -Dquarkus.container-image.push=false \
      -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.group="$group" \
      -Dquarkus.container-image.tag="$tag"
  else
    log "the poms have no quarkus-container-image-jib yet: building the fast-jars and the images with docker build (src/main/docker/Dockerfile.jvm)"
    ./mvnw -B -ntp -q package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am
    for svc in "${SERVICES[@]}"; do
      docker build -q -f "$svc/src/main/docker/Dockerfile.jvm" -t "$registry/$group/$svc:$tag" "$svc" >/dev/null
    done
  fi
  for image in "${images[@]}"; do
    log "loading $image into kind (no registry involved)"
    kind load docker-image "$image" --name "$CLUSTER"
  done
}

# The broker accounts (deploy/secrets.yaml): one per service, each in its role of deploy/broker/broker.xml, and the
# operator's; passwords generated once into $STATE/broker-accounts (never committed) and kept across runs.
broker_accounts() {
  local file="$STATE/broker-accounts" account pw users="" roles=""
  [ -f "$file" ] || { (umask 077; : >"$file"); }
  for account in "${SERVICES[@]}" operator; do
    pw="$(awk -v a="$account" '$1 == a { print $2 }' "$file")"
    if [ -z "$pw" ]; then
      pw="$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 24)"
      echo "$account $pw" >>"$file"
    fi
    users+="$account = $pw"$'\n'
    roles+="$account = $account"$'\n'
    if [ "$account" != operator ]; then
      k -n "$NS" create secret generic "$account-amqp" --from-literal=username="$account" --from-literal=password="$pw" \
        --dry-run=client -o yaml | k apply -f - >/dev/null
    fi
  done
  k -n "$NS" create secret generic leadsuite-broker-accounts --from-literal=artemis-users.properties="$users" \
    --from-literal=artemis-roles.properties="$roles" --dry-run=client -o yaml | k apply -f - >/dev/null
}

deploy() {
  mkdir -p "$STATE"
  [ -f "$STATE/keys/public.pem" ] || java "$ROOT/scripts/tools/Keys.java" generate "$STATE/keys"
  k apply -f "$ROOT/deploy/overlays/dev/namespace.yaml" >/dev/null
  k -n "$NS" create secret generic leadsuite-jwt --from-file=public.pem="$STATE/keys/public.pem" \
    --from-literal=issuer=urn:leadsuite:local --dry-run=client -o yaml | k apply -f - >/dev/null
  broker_accounts
  log "applying deploy/overlays/dev (the migration Jobs of a previous apply are deleted first: a Job cannot change)"
  k -n "$NS" delete job -l app.kubernetes.io/component=migration --ignore-not-found >/dev/null
  k apply -k "$ROOT/deploy/overlays/dev" >/dev/null
  k -n "$NS" rollout status statefulset/postgres --timeout=300s
  k -n "$NS" rollout status statefulset/artemis --timeout=300s
  log "waiting for the migrations (Jobs <service>-migrate, migration role)"
  k -n "$NS" wait --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=600s
  for svc in "${SERVICES[@]}"; do k -n "$NS" rollout status "deployment/$svc" --timeout=600s; done
}

token() { java "$ROOT/scripts/tools/Keys.java" token "$STATE/keys" "$@"; }
api() { curl -sS -H "Host: $HOST" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

# POST /api/captures through ingress-nginx and the gateway; prints the lead id, fails unless 201
capture() {
  local email="kind-$(date +%s%N)@example.com" out code
  out="$(api -w '\n%{http_code}' "http://127.0.0.1:$PORT/api/captures" \
    -d "{\"email\":\"$email\",\"firstName\":\"Ana\",\"topic\":\"solar-panels\",\"source\":\"MARKETING_FORM\",\"sourceRef\":\"kind\"}")"
  code="${out##*$'\n'}"
  log "POST /api/captures ($email): HTTP $code ${out%$'\n'*}"
  [ "$code" = 201 ] || die "expected 201"
  printf '%s' "${out%$'\n'*}" | sed -n 's/.*"leadId" *: *"\([0-9a-f-]*\)".*/\1/p'
}

# waits until the lead has a score: lead.created went out through the broker, scoring-service scored it and
# score.changed came back to lead-service
wait_scored() {
  local lead="$1" i body
  for i in $(seq 1 60); do
    body="$(api "http://127.0.0.1:$PORT/api/leads/$lead")"
    if printf '%s' "$body" | grep -q '"score" *: *[0-9]'; then log "lead $lead scored: $body"; return 0; fi
    sleep 2
  done
  die "lead $lead not scored after 120 s: $body"
}

outage() {
  log "broker outage: scaling Artemis to 0"
  k -n "$NS" scale statefulset/artemis --replicas=0
  k -n "$NS" wait --for=delete pod/artemis-0 --timeout=120s || true
  sleep 10
  log "endpoints of the services while the broker is away (readiness does not depend on it):"
  k -n "$NS" get endpoints gateway contact-service lead-service scoring-service
  local lead
  lead="$(capture)"
  log "captured $lead while the broker was away; its events wait in lead-service's outbox"
  log "starting Artemis again"
  k -n "$NS" scale statefulset/artemis --replicas=1
  k -n "$NS" rollout status statefulset/artemis --timeout=300s
  wait_scored "$lead"
}

cmd="${1:-up}"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
case "$cmd" in
  up)
    need docker; need kind "https://kind.sigs.k8s.io/"; need curl; need java "a JDK 17"
    create_cluster
    build_images
    deploy
    TOKEN="$(token marketing)"
    lead="$(capture)"
    wait_scored "$lead"
    log "done: http://$HOST:$PORT/api (Host header $HOST on 127.0.0.1:$PORT); token: java scripts/tools/Keys.java token $STATE/keys marketing"
    ;;
  capture) TOKEN="$(token marketing)"; lead="$(capture)"; wait_scored "$lead" ;;
  outage) TOKEN="$(token marketing)"; outage ;;
  down) need kind; kind delete cluster --name "$CLUSTER" ;;
  *) die "unknown command $cmd (up, capture, outage, down)" ;;
esac
