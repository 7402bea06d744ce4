// The local cluster path (deploy/kind): the kind cluster's pod network is what the dev overlay's gateway trusts
// forwarding headers from (the edge there is ingress-nginx, a pod), and its nodes carry zone labels, so the
// topology spread over zones is exercised; the script loads exactly the dev overlay's images.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { trustedProxies } from "./edge.mjs";

export const KIND_CONFIG = "deploy/kind/cluster.yaml";
export const KIND_SCRIPT = "deploy/kind/up.sh";

export function checkLocalCluster(root, devObjects) {
  const file = join(root, KIND_CONFIG);
  if (!existsSync(file)) return [`${KIND_CONFIG} is missing (the local cluster path)`];
  const problems = [];
  const cfg = parse(readFileSync(file, "utf8"));
  const subnet = cfg?.networking?.podSubnet;
  const gw = trustedProxies(devObjects);
  const trusted = (gw?.trusted || "").split(",").map((s) => s.trim());
  if (!subnet) problems.push(`${KIND_CONFIG}: networking.podSubnet must be pinned (the dev gateway trusts the edge by that range)`);
  else if (!trusted.includes(subnet)) problems.push(`overlays/dev: the gateway trusts ${gw?.trusted}, not kind's pod network ${subnet} (${KIND_CONFIG}), where the edge (ingress-nginx) runs`);
  const zones = new Set((cfg?.nodes || []).filter((n) => n.role === "worker").map((n) => n.labels?.["topology.kubernetes.io/zone"]).filter(Boolean));
  if (zones.size < 2) problems.push(`${KIND_CONFIG}: the workers must span at least two zones (topology.kubernetes.io/zone labels) to exercise the spread`);
  const script = existsSync(join(root, KIND_SCRIPT)) ? readFileSync(join(root, KIND_SCRIPT), "utf8") : "";
  if (!script) problems.push(`${KIND_SCRIPT} is missing`);
  else {
    if (!/kind load docker-image/.test(script)) problems.push(`${KIND_SCRIPT}: never loads the images into kind (kind load docker-image)`);
    if (!/kubectl[^\n]*kustomize[^\n]*overlays\/dev/.test(script)) problems.push(`${KIND_SCRIPT}: must take the image names and tags from the dev overlay (kubectl kustomize deploy/overlays/dev)`);
  }
  return problems;
}
