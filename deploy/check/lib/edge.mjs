// The edge (item 6): the gateway honours X-Forwarded-* only from the edge's addresses (a forwarding gateway without
// a trusted-proxy list, or trusting every address, would believe any client's forged X-Forwarded-For); only /api is
// published, by the Ingress and by the Gateway API HTTPRoute alike; the HTTPRoute's Gateway data plane is admitted by
// a NetworkPolicy from the Gateway's namespace.
import { envValue } from "./env.mjs";
import { id } from "./render.mjs";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0", "*", "0.0.0.0", "[::]"]);

export function trustedProxies(objects) {
  const d = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === "gateway");
  if (!d) return undefined;
  const c = d.spec.template.spec.containers.find((x) => x.name === "gateway") || d.spec.template.spec.containers[0];
  return { d, forwarding: envValue(objects, d, c, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"), trusted: envValue(objects, d, c, "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES") };
}

export function checkEdge(objects) {
  const problems = [];
  const ns = (o) => o.metadata?.namespace || "";
  const gw = trustedProxies(objects);
  if (gw && gw.forwarding === "true") {
    const list = (gw.trusted || "").split(",").map((s) => s.trim()).filter(Boolean);
    if (list.length === 0)
      problems.push(`${id(gw.d)}: forwarding headers are honoured (QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true) but QUARKUS_HTTP_PROXY_TRUSTED_PROXIES is not set: any client could forge X-Forwarded-For; set the edge's addresses`);
    for (const a of list) if (ANYWHERE.has(a)) problems.push(`${id(gw.d)}: QUARKUS_HTTP_PROXY_TRUSTED_PROXIES trusts every address (${a}); name the edge's`);
  }
  for (const ing of objects.filter((o) => o.kind === "Ingress"))
    for (const r of ing.spec?.rules || []) for (const p of r.http?.paths || []) if (!/^\/api(\/|$)/.test(p.path || "")) problems.push(`${id(ing)}: publishes ${p.path}; only /api may be published`);
  for (const route of objects.filter((o) => o.kind === "HTTPRoute")) {
    for (const r of route.spec?.rules || []) {
      if (!(r.matches || []).length) problems.push(`${id(route)}: a rule without matches publishes everything; only /api may be published`);
      for (const m of r.matches || []) if (!/^\/api(\/|$)/.test(m.path?.value || "")) problems.push(`${id(route)}: publishes ${m.path?.value ?? "/ (no path)"}; only /api may be published`);
    }
    for (const parent of route.spec?.parentRefs || []) {
      const from = parent.namespace || ns(route);
      const admitted = objects.some(
        (np) =>
          np.kind === "NetworkPolicy" &&
          np.spec?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "gateway" &&
          (np.spec.ingress || []).some((rule) => (rule.from || []).some((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === from)),
      );
      if (!admitted) problems.push(`${id(route)}: no NetworkPolicy admits the Gateway's namespace ${from} to the gateway pods`);
    }
  }
  return problems;
}
