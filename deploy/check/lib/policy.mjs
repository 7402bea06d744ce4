// The policy every rendered overlay must meet. Each rule names the object, the container and what is wrong.
//   * every container (init containers too): CPU and memory requests, a memory limit, and the restricted Pod Security
//     Standard (runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, seccomp RuntimeDefault) plus a
//     read-only root file system; no privileged, host namespaces or hostPath;
//   * every long-running container: startup, liveness and readiness probes; the suite's Quarkus services probe
//     /q/health/started, /q/health/live and /q/health/ready, run as user 185, have an emptyDir at /tmp, are scraped by
//     Prometheus, and stop within terminationGracePeriodSeconds (longer than preStop + QUARKUS_SHUTDOWN_TIMEOUT);
//   * pods do not mount a service-account token;
//   * every Service selects pods and targets a port they have; PDBs and HPAs point at something;
//   * every reference to a ConfigMap or Secret (env, envFrom, volumes, Ingress TLS) names one that a manifest or
//     deploy/secrets.yaml provides, with the key it asks for.
import { id } from "./render.mjs";

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"]);

export function podTemplate(o) {
  if (WORKLOADS.has(o.kind)) return o.spec?.template;
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template;
  if (o.kind === "Pod") return o;
  return undefined;
}

const matches = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function labelSelectorMatches(sel, labels) {
  if (!sel) return false;
  const ml = sel.matchLabels || {};
  const okLabels = Object.entries(ml).every(([k, v]) => labels?.[k] === v);
  const okExpr = (sel.matchExpressions || []).every((e) => {
    const has = labels && Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In") return has && e.values.includes(labels[e.key]);
    if (e.operator === "NotIn") return !has || !e.values.includes(labels[e.key]);
    if (e.operator === "Exists") return has;
    if (e.operator === "DoesNotExist") return !has;
    return false;
  });
  return (Object.keys(ml).length > 0 || (sel.matchExpressions || []).length > 0) && okLabels && okExpr;
}

const seconds = (d) => {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(d).trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600, undefined: n }[m[2]];
};

/**
 * @param objects rendered objects of one overlay
 * @param documented Map secret name -> Set of keys (deploy/secrets.yaml, for this overlay)
 * @returns list of problems
 */
export function checkPolicy(objects, documented = new Map()) {
  const problems = [];
  const ns = (o) => o.metadata?.namespace || "";
  const configMaps = new Map();
  const secrets = new Map();
  for (const o of objects) {
    if (o.kind === "ConfigMap") configMaps.set(`${ns(o)}/${o.metadata.name}`, new Set([...Object.keys(o.data || {}), ...Object.keys(o.binaryData || {})]));
    if (o.kind === "Secret") secrets.set(`${ns(o)}/${o.metadata.name}`, new Set([...Object.keys(o.data || {}), ...Object.keys(o.stringData || {})]));
  }
  const secretKeys = (n, name) => secrets.get(`${n}/${name}`) || documented.get(name);
  const configMapKeys = (n, name) => configMaps.get(`${n}/${name}`);
  const serviceAccounts = new Set(objects.filter((o) => o.kind === "ServiceAccount").map((o) => `${ns(o)}/${o.metadata.name}`));
  const sas = new Map(objects.filter((o) => o.kind === "ServiceAccount").map((o) => [`${ns(o)}/${o.metadata.name}`, o]));

  const pods = []; // {owner, namespace, labels, spec}
  for (const o of objects) {
    const t = podTemplate(o);
    if (t) pods.push({ owner: o, namespace: ns(o), labels: t.metadata?.labels || {}, annotations: t.metadata?.annotations || {}, spec: t.spec || {} });
  }

  const refProblem = (where, what, kind, name, key) =>
    `${where}: ${what} refers to ${kind} ${name}${key !== undefined ? ` key ${key}` : ""}, which no manifest${kind === "Secret" ? " or deploy/secrets.yaml" : ""} provides`;

  for (const pod of pods) {
    const o = pod.owner;
    const spec = pod.spec;
    const where = id(o);
    const psc = spec.securityContext || {};
    const isService = pod.labels["app.kubernetes.io/component"] === "service" && pod.labels["app.kubernetes.io/part-of"] === "leadsuite";

    for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[f]) problems.push(`${where}: ${f} is not allowed`);
    for (const v of spec.volumes || []) if (v.hostPath) problems.push(`${where}: volume ${v.name}: hostPath is not allowed`);
    const sa = spec.serviceAccountName;
    if (sa && sa !== "default" && !serviceAccounts.has(`${pod.namespace}/${sa}`)) problems.push(`${where}: serviceAccountName ${sa}: no such ServiceAccount`);
    const saObj = sas.get(`${pod.namespace}/${sa || "default"}`);
    if (spec.automountServiceAccountToken !== false && saObj?.automountServiceAccountToken !== false)
      problems.push(`${where}: automountServiceAccountToken must be false (pod or ServiceAccount)`);

    // volumes that refer to ConfigMaps and Secrets
    for (const v of spec.volumes || []) {
      if (v.configMap) {
        const keys = configMapKeys(pod.namespace, v.configMap.name);
        if (!keys && !v.configMap.optional) problems.push(refProblem(where, `volume ${v.name}`, "ConfigMap", v.configMap.name));
        for (const it of v.configMap.items || []) if (keys && !keys.has(it.key)) problems.push(refProblem(where, `volume ${v.name}`, "ConfigMap", v.configMap.name, it.key));
      }
      if (v.secret) {
        const keys = secretKeys(pod.namespace, v.secret.secretName);
        if (!keys && !v.secret.optional) problems.push(refProblem(where, `volume ${v.name}`, "Secret", v.secret.secretName));
        for (const it of v.secret.items || []) if (keys && !keys.has(it.key)) problems.push(refProblem(where, `volume ${v.name}`, "Secret", v.secret.secretName, it.key));
      }
    }

    const all = [...(spec.initContainers || []).map((c) => [c, true]), ...(spec.containers || []).map((c) => [c, false])];
    for (const [c, init] of all) {
      const cw = `${where}: ${init ? "init container" : "container"} ${c.name}`;
      const sc = c.securityContext || {};
      const r = c.resources || {};
      if (!r.requests?.cpu) problems.push(`${cw}: no resources.requests.cpu`);
      if (!r.requests?.memory) problems.push(`${cw}: no resources.requests.memory`);
      if (!r.limits?.memory) problems.push(`${cw}: no resources.limits.memory`);
      if (sc.privileged) problems.push(`${cw}: securityContext.privileged is not allowed`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${cw}: securityContext.allowPrivilegeEscalation must be false`);
      if (!(sc.capabilities?.drop || []).includes("ALL")) problems.push(`${cw}: securityContext.capabilities.drop must include ALL`);
      if ((sc.capabilities?.add || []).some((a) => a !== "NET_BIND_SERVICE")) problems.push(`${cw}: securityContext.capabilities.add may only hold NET_BIND_SERVICE`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${cw}: securityContext.readOnlyRootFilesystem must be true`);
      const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
      if (nonRoot !== true) problems.push(`${cw}: runAsNonRoot must be true (container or pod securityContext)`);
      const uid = sc.runAsUser ?? psc.runAsUser;
      if (uid === 0) problems.push(`${cw}: runAsUser must not be 0`);
      const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${cw}: seccompProfile.type must be RuntimeDefault (container or pod securityContext)`);

      if (!init) {
        for (const p of ["startupProbe", "livenessProbe", "readinessProbe"]) if (!c[p]) problems.push(`${cw}: no ${p}`);
      }
      if (isService && !init) {
        const want = { startupProbe: "/q/health/started", livenessProbe: "/q/health/live", readinessProbe: "/q/health/ready" };
        for (const [p, path] of Object.entries(want)) if (c[p] && c[p].httpGet?.path !== path) problems.push(`${cw}: ${p} must be an httpGet of ${path}`);
        if (uid !== 185) problems.push(`${cw}: runAsUser must be 185 (the image's user)`);
      }
      if (isService) {
        const tmp = (c.volumeMounts || []).find((m) => m.mountPath === "/tmp");
        const vol = tmp && (spec.volumes || []).find((v) => v.name === tmp.name);
        if (!vol?.emptyDir) problems.push(`${cw}: needs an emptyDir volume mounted at /tmp (read-only root file system)`);
      }

      // env and envFrom references
      for (const e of c.env || []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm && !cm.optional) {
          const keys = configMapKeys(pod.namespace, cm.name);
          if (!keys || !keys.has(cm.key)) problems.push(refProblem(cw, `env ${e.name}`, "ConfigMap", cm.name, cm.key));
        }
        if (sk && !sk.optional) {
          const keys = secretKeys(pod.namespace, sk.name);
          if (!keys || !keys.has(sk.key)) problems.push(refProblem(cw, `env ${e.name}`, "Secret", sk.name, sk.key));
        }
      }
      for (const ef of c.envFrom || []) {
        if (ef.configMapRef && !ef.configMapRef.optional && !configMapKeys(pod.namespace, ef.configMapRef.name))
          problems.push(refProblem(cw, "envFrom", "ConfigMap", ef.configMapRef.name));
        if (ef.secretRef && !ef.secretRef.optional && !secretKeys(pod.namespace, ef.secretRef.name))
          problems.push(refProblem(cw, "envFrom", "Secret", ef.secretRef.name));
      }
      const claims = (o.spec?.volumeClaimTemplates || []).map((t) => t.metadata?.name);
      for (const m of c.volumeMounts || []) {
        if (!(spec.volumes || []).some((v) => v.name === m.name) && !claims.includes(m.name)) problems.push(`${cw}: volumeMount ${m.name}: no such volume`);
      }
    }

    if (isService) {
      const port = (spec.containers?.[0]?.ports || []).find((p) => p.name === "http")?.containerPort;
      const a = pod.annotations;
      if (a["prometheus.io/scrape"] !== "true" || a["prometheus.io/path"] !== "/q/metrics" || a["prometheus.io/port"] !== String(port))
        problems.push(`${where}: pod template needs prometheus.io/scrape "true", prometheus.io/path /q/metrics and prometheus.io/port "${port}"`);
      // graceful shutdown: preStop sleep + QUARKUS_SHUTDOWN_TIMEOUT must fit in terminationGracePeriodSeconds
      const c = spec.containers[0];
      const envValue = (name) => {
        const direct = (c.env || []).find((e) => e.name === name && e.value !== undefined);
        if (direct) return direct.value;
        for (const ef of c.envFrom || []) {
          const cmo = ef.configMapRef && objects.find((x) => x.kind === "ConfigMap" && ns(x) === pod.namespace && x.metadata.name === ef.configMapRef.name);
          if (cmo?.data?.[name] !== undefined) return cmo.data[name];
        }
        return undefined;
      };
      const shutdown = envValue("QUARKUS_SHUTDOWN_TIMEOUT");
      const preStop = Number((c.lifecycle?.preStop?.exec?.command || []).join(" ").match(/sleep\s+(\d+)/)?.[1] || 0);
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      if (shutdown === undefined) problems.push(`${where}: QUARKUS_SHUTDOWN_TIMEOUT is not set (graceful shutdown of in-flight requests and messages)`);
      else if (!(seconds(shutdown) + preStop < grace))
        problems.push(`${where}: terminationGracePeriodSeconds ${grace} must exceed preStop ${preStop}s + QUARKUS_SHUTDOWN_TIMEOUT ${shutdown}`);
    }
  }

  for (const o of objects) {
    const where = id(o);
    if (o.kind === "Namespace" && o.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted")
      problems.push(`${where}: needs label pod-security.kubernetes.io/enforce: restricted`);
    if (o.kind === "Service" && o.spec?.selector && o.spec.type !== "ExternalName") {
      const selected = pods.filter((p) => p.namespace === ns(o) && matches(o.spec.selector, p.labels));
      if (selected.length === 0) {
        problems.push(`${where}: selects no pods (selector ${JSON.stringify(o.spec.selector)})`);
      } else {
        for (const sp of o.spec.ports || []) {
          const target = sp.targetPort ?? sp.port;
          const ok = selected.some((p) => (p.spec.containers || []).some((c) => (c.ports || []).some((cp) => cp.name === target || cp.containerPort === target)));
          if (!ok) problems.push(`${where}: port ${sp.name || sp.port}: targetPort ${target} is no container port of the selected pods`);
        }
      }
    }
    if (o.kind === "PodDisruptionBudget") {
      if (!pods.some((p) => p.namespace === ns(o) && labelSelectorMatches(o.spec?.selector, p.labels))) problems.push(`${where}: selects no pods`);
    }
    if (o.kind === "HorizontalPodAutoscaler") {
      const t = o.spec?.scaleTargetRef;
      if (!objects.some((x) => x.kind === t?.kind && x.metadata?.name === t?.name && ns(x) === ns(o))) problems.push(`${where}: scaleTargetRef ${t?.kind} ${t?.name} does not exist`);
    }
    if (o.kind === "Ingress") {
      for (const tls of o.spec?.tls || []) {
        if (tls.secretName && !secretKeys(ns(o), tls.secretName)) problems.push(refProblem(where, "tls", "Secret", tls.secretName));
      }
      for (const rule of o.spec?.rules || []) {
        for (const p of rule.http?.paths || []) {
          const name = p.backend?.service?.name;
          if (name && !objects.some((x) => x.kind === "Service" && x.metadata.name === name && ns(x) === ns(o))) problems.push(`${where}: backend Service ${name} does not exist`);
        }
      }
    }
  }
  return problems;
}

/** Item 6: what running several replicas in production needs. */
export function checkReplicas(objects, min) {
  const problems = [];
  for (const o of objects) {
    const svc = o.metadata?.labels?.["app.kubernetes.io/component"] === "service";
    if (o.kind === "Deployment" && svc && (o.spec?.replicas ?? 1) < min) problems.push(`${id(o)}: replicas ${o.spec?.replicas ?? 1} < ${min}`);
    if (o.kind === "HorizontalPodAutoscaler" && (o.spec?.minReplicas ?? 1) < min) problems.push(`${id(o)}: minReplicas ${o.spec?.minReplicas ?? 1} < ${min}`);
    if (o.kind === "PodDisruptionBudget" && o.spec?.minAvailable !== 1) problems.push(`${id(o)}: minAvailable must be 1`);
  }
  for (const d of objects.filter((o) => o.kind === "Deployment" && o.metadata?.labels?.["app.kubernetes.io/component"] === "service")) {
    if (!objects.some((h) => h.kind === "HorizontalPodAutoscaler" && h.spec?.scaleTargetRef?.name === d.metadata.name)) problems.push(`${id(d)}: no HorizontalPodAutoscaler`);
    if (!objects.some((p) => p.kind === "PodDisruptionBudget" && labelSelectorMatches(p.spec?.selector, d.spec.template.metadata.labels))) problems.push(`${id(d)}: no PodDisruptionBudget`);
  }
  return problems;
}
