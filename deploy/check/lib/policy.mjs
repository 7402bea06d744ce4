// The policy every rendered overlay must meet. Each rule names the object, the container and what is wrong.
//   * the whole restricted Pod Security Standard (PSS_RULES below, Kubernetes 1.32), on every pod template: containers,
//     init containers and ephemeral containers alike; plus a read-only root file system and CPU and memory requests
//     and a memory limit on every container;
//   * every image names its registry (no silent Docker Hub) and a tag other than latest, or a digest;
//   * every long-running container: startup, liveness and readiness probes; the suite's Quarkus services probe
//     /q/health/started, /q/health/live and /q/health/ready, run as user 185, have an emptyDir at /tmp, are scraped by
//     Prometheus, stop within terminationGracePeriodSeconds (longer than preStop + QUARKUS_SHUTDOWN_TIMEOUT), spread
//     over zones and hosts, and have a PodDisruptionBudget of maxUnavailable 1;
//   * pods do not mount a service-account token;
//   * every Service selects pods and targets a port they have, every NetworkPolicy selects pods, PDBs point at
//     something, each Deployment has at most one autoscaler (HPA or KEDA ScaledObject) and it targets something;
//     pods that an operator creates (ActiveMQArtemis, CloudNativePG Cluster and Pooler) count, with the labels and
//     ports the operator gives them, and the operator resources' own pod settings are held to the same profile;
//   * every reference to a ConfigMap or Secret (env, envFrom, volumes, Ingress TLS, operator resources) names one
//     that a manifest or deploy/secrets.yaml provides, with the key it asks for.
import { id } from "./render.mjs";

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"]);

/**
 * The controls of the Pod Security Standards, restricted profile (which includes baseline), as they stand in
 * Kubernetes 1.32 (https://kubernetes.io/docs/concepts/security/pod-security-standards/). Every rule has a test that
 * breaks it (test/pod-security.test.mjs fails when one has none).
 */
export const PSS_RULES = {
  "host-process": "baseline: Windows HostProcess containers are not allowed",
  "host-namespaces": "baseline: no host network, PID or IPC namespace",
  privileged: "baseline: no privileged container",
  capabilities: "baseline + restricted: drop ALL, add nothing but NET_BIND_SERVICE",
  "host-path-volumes": "baseline: no hostPath volume",
  "host-ports": "baseline: no hostPort",
  apparmor: "baseline: AppArmor may not be Unconfined (field or annotation)",
  selinux: "baseline: SELinux type only container_t, container_init_t, container_kvm_t or container_engine_t; no user or role",
  "proc-mount": "baseline: /proc mount type Default only",
  seccomp: "baseline + restricted: seccomp profile RuntimeDefault or Localhost, never Unconfined",
  sysctls: "baseline: only the safe sysctls",
  "volume-types": "restricted: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes only",
  "privilege-escalation": "restricted: allowPrivilegeEscalation false",
  "run-as-non-root": "restricted: runAsNonRoot true",
  "run-as-non-root-user": "restricted: runAsUser not 0",
};

const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export function podTemplate(o) {
  if (WORKLOADS.has(o.kind)) return o.spec?.template;
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template;
  if (o.kind === "Pod") return o;
  return undefined;
}

/**
 * The pods operators create from the resources in the manifests, with the labels and ports they give them, so that
 * Services, PodDisruptionBudgets and NetworkPolicies may select them: ArtemisCloud (label ActiveMQArtemis: <name>,
 * application: <name>-app, plus deploymentPlan.labels; acceptor ports, console 8161, core 61616) and CloudNativePG
 * (cnpg.io/cluster + cnpg.io/podRole: instance, 5432/8000/9187; Pooler: cnpg.io/poolerName + podRole pooler, 5432/9127).
 */
export function operatorPods(objects) {
  const ns = (o) => o.metadata?.namespace || "";
  const pods = [];
  for (const o of objects) {
    if (o.kind === "ActiveMQArtemis") {
      const ports = [...(o.spec?.acceptors || []).map((a) => a.port), 8161, 61616].filter(Boolean);
      pods.push({ owner: o, namespace: ns(o), labels: { ...(o.spec?.deploymentPlan?.labels || {}), ActiveMQArtemis: o.metadata.name, application: `${o.metadata.name}-app` }, ports });
    }
    if (o.kind === "Cluster" && o.apiVersion?.startsWith("postgresql.cnpg.io/"))
      pods.push({ owner: o, namespace: ns(o), labels: { "cnpg.io/cluster": o.metadata.name, "cnpg.io/podRole": "instance" }, ports: [5432, 8000, 9187] });
    if (o.kind === "Pooler" && o.apiVersion?.startsWith("postgresql.cnpg.io/"))
      pods.push({
        owner: o,
        namespace: ns(o),
        labels: { ...(o.spec?.template?.metadata?.labels || {}), "cnpg.io/poolerName": o.metadata.name, "cnpg.io/podRole": "pooler", "cnpg.io/cluster": o.spec?.cluster?.name },
        ports: [5432, 9127],
      });
  }
  return pods;
}

const matches = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export function labelSelectorMatches(sel, labels, emptyMatchesAll = false) {
  if (!sel) return false;
  const ml = sel.matchLabels || {};
  const exprs = sel.matchExpressions || [];
  if (Object.keys(ml).length === 0 && exprs.length === 0) return emptyMatchesAll;
  const okLabels = Object.entries(ml).every(([k, v]) => labels?.[k] === v);
  const okExpr = exprs.every((e) => {
    const has = labels && Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In") return has && e.values.includes(labels[e.key]);
    if (e.operator === "NotIn") return !has || !e.values.includes(labels[e.key]);
    if (e.operator === "Exists") return has;
    if (e.operator === "DoesNotExist") return !has;
    return false;
  });
  return okLabels && okExpr;
}

const seconds = (d) => {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(d).trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600, undefined: n }[m[2]];
};

/** An image reference that names its registry host and a tag (not latest) or a digest. */
export function imageProblem(image) {
  if (!image) return "has no image";
  const [path, digest] = image.split("@");
  const slash = path.indexOf("/");
  const host = slash > 0 ? path.slice(0, slash) : "";
  if (!(host.includes(".") || host.includes(":") || host === "localhost"))
    return `image ${image} must name its registry (e.g. ghcr.io/..., docker.io/...): an unqualified name is pulled from Docker Hub`;
  if (digest) return /^sha256:[0-9a-f]{64}$/.test(digest) ? undefined : `image ${image}: malformed digest`;
  const lastPart = path.slice(path.lastIndexOf("/") + 1);
  const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : undefined;
  if (!tag) return `image ${image} has no tag (it would mean latest)`;
  if (tag === "latest") return `image ${image}: the tag latest is not allowed`;
  return undefined;
}

/**
 * The restricted Pod Security Standard for one pod spec (and its template metadata). `where` names the owner.
 * @returns list of problems
 */
export function podSecurityProblems(where, spec, metadata = {}) {
  const problems = [];
  const psc = spec.securityContext || {};
  const pss = (rule, text) => problems.push(`${text} [pod security: ${rule}]`);

  if (psc.windowsOptions?.hostProcess) pss("host-process", `${where}: securityContext.windowsOptions.hostProcess is not allowed`);
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[f]) pss("host-namespaces", `${where}: ${f} is not allowed`);
  for (const v of spec.volumes || []) {
    if (v.hostPath) pss("host-path-volumes", `${where}: volume ${v.name}: hostPath is not allowed`);
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.includes(type))
      pss("volume-types", `${where}: volume ${v.name}: type ${type} is not allowed (restricted allows ${RESTRICTED_VOLUMES.join(", ")})`);
  }
  for (const s of psc.sysctls || []) if (!SAFE_SYSCTLS.has(s.name)) pss("sysctls", `${where}: sysctl ${s.name} is not allowed (not one of the safe sysctls)`);
  const seLinux = (at, o) => {
    if (!o) return;
    if (!SELINUX_TYPES.has(o.type ?? "")) pss("selinux", `${at}: seLinuxOptions.type ${o.type} is not allowed`);
    for (const f of ["user", "role"]) if (o[f]) pss("selinux", `${at}: seLinuxOptions.${f} may not be set`);
  };
  seLinux(`${where}: securityContext`, psc.seLinuxOptions);
  const appArmor = (at, p) => {
    if (p && p.type !== "RuntimeDefault" && p.type !== "Localhost") pss("apparmor", `${at}: appArmorProfile.type ${p.type} is not allowed`);
  };
  appArmor(`${where}: securityContext`, psc.appArmorProfile);
  for (const [k, v] of Object.entries(metadata.annotations || {})) {
    if (k.startsWith(APPARMOR_ANNOTATION) && v !== "runtime/default" && !v.startsWith("localhost/"))
      pss("apparmor", `${where}: annotation ${k}: ${v} is not allowed`);
  }
  if (psc.seccompProfile?.type === "Unconfined") pss("seccomp", `${where}: securityContext.seccompProfile.type Unconfined is not allowed`);
  if (psc.runAsUser === 0) pss("run-as-non-root-user", `${where}: securityContext.runAsUser must not be 0`);

  const all = [
    ...(spec.initContainers || []).map((c) => [c, "init container"]),
    ...(spec.containers || []).map((c) => [c, "container"]),
    ...(spec.ephemeralContainers || []).map((c) => [c, "ephemeral container"]),
  ];
  for (const [c, what] of all) {
    const cw = `${where}: ${what} ${c.name}`;
    const sc = c.securityContext || {};
    if (sc.windowsOptions?.hostProcess) pss("host-process", `${cw}: securityContext.windowsOptions.hostProcess is not allowed`);
    if (sc.privileged) pss("privileged", `${cw}: securityContext.privileged is not allowed`);
    if (sc.allowPrivilegeEscalation !== false) pss("privilege-escalation", `${cw}: securityContext.allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop || []).includes("ALL")) pss("capabilities", `${cw}: securityContext.capabilities.drop must include ALL`);
    if ((sc.capabilities?.add || []).some((a) => a !== "NET_BIND_SERVICE")) pss("capabilities", `${cw}: securityContext.capabilities.add may only hold NET_BIND_SERVICE`);
    for (const p of c.ports || []) if (p.hostPort) pss("host-ports", `${cw}: port ${p.name || p.containerPort}: hostPort is not allowed`);
    seLinux(`${cw}: securityContext`, sc.seLinuxOptions);
    appArmor(`${cw}: securityContext`, sc.appArmorProfile);
    if (sc.procMount !== undefined && sc.procMount !== "Default") pss("proc-mount", `${cw}: securityContext.procMount ${sc.procMount} is not allowed`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) pss("run-as-non-root", `${cw}: runAsNonRoot must be true (container or pod securityContext)`);
    if (sc.runAsUser === 0) pss("run-as-non-root-user", `${cw}: runAsUser must not be 0`);
    const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") pss("seccomp", `${cw}: seccompProfile.type must be RuntimeDefault (container or pod securityContext)`);
  }
  return problems;
}

/**
 * @param objects rendered objects of one overlay
 * @param documented Map secret name -> Set of keys (deploy/secrets.yaml, for this overlay and its components)
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
    if (t) pods.push({ owner: o, namespace: ns(o), labels: t.metadata?.labels || {}, annotations: t.metadata?.annotations || {}, metadata: t.metadata || {}, spec: t.spec || {} });
  }
  const virtual = operatorPods(objects);
  const selectable = [
    ...pods.map((p) => ({ namespace: p.namespace, labels: p.labels, ports: (p.spec.containers || []).flatMap((c) => (c.ports || []).flatMap((cp) => [cp.name, cp.containerPort])) })),
    ...virtual,
  ];

  const refProblem = (where, what, kind, name, key) =>
    `${where}: ${what} refers to ${kind} ${name}${key !== undefined ? ` key ${key}` : ""}, which no manifest${kind === "Secret" ? " or deploy/secrets.yaml" : ""} provides`;

  for (const pod of pods) {
    const o = pod.owner;
    const spec = pod.spec;
    const where = id(o);
    const psc = spec.securityContext || {};
    const isService = pod.labels["app.kubernetes.io/component"] === "service" && pod.labels["app.kubernetes.io/part-of"] === "leadsuite";

    problems.push(...podSecurityProblems(where, spec, pod.metadata));
    const sa = spec.serviceAccountName;
    if (sa && sa !== "default" && !serviceAccounts.has(`${pod.namespace}/${sa}`)) problems.push(`${where}: serviceAccountName ${sa}: no such ServiceAccount`);
    const saObj = sas.get(`${pod.namespace}/${sa || "default"}`);
    if (spec.automountServiceAccountToken !== false && saObj?.automountServiceAccountToken !== false)
      problems.push(`${where}: automountServiceAccountToken must be false (pod or ServiceAccount)`);

    // volumes that refer to ConfigMaps and Secrets (projected sources too)
    for (const v of spec.volumes || []) {
      const sources = [{ configMap: v.configMap, secret: v.secret }, ...(v.projected?.sources || [])];
      for (const src of sources) {
        if (src.configMap) {
          const keys = configMapKeys(pod.namespace, src.configMap.name);
          if (!keys && !src.configMap.optional) problems.push(refProblem(where, `volume ${v.name}`, "ConfigMap", src.configMap.name));
          for (const it of src.configMap.items || []) if (keys && !keys.has(it.key)) problems.push(refProblem(where, `volume ${v.name}`, "ConfigMap", src.configMap.name, it.key));
        }
        const sec = src.secret && (src.secret.secretName || src.secret.name);
        if (sec) {
          const keys = secretKeys(pod.namespace, sec);
          if (!keys && !src.secret.optional) problems.push(refProblem(where, `volume ${v.name}`, "Secret", sec));
          for (const it of src.secret.items || []) if (keys && !keys.has(it.key)) problems.push(refProblem(where, `volume ${v.name}`, "Secret", sec, it.key));
        }
      }
    }

    const all = [...(spec.initContainers || []).map((c) => [c, true]), ...(spec.containers || []).map((c) => [c, false])];
    for (const [c, init] of all) {
      const cw = `${where}: ${init ? "init container" : "container"} ${c.name}`;
      const sc = c.securityContext || {};
      const r = c.resources || {};
      const uid = sc.runAsUser ?? psc.runAsUser;
      if (!r.requests?.cpu) problems.push(`${cw}: no resources.requests.cpu`);
      if (!r.requests?.memory) problems.push(`${cw}: no resources.requests.memory`);
      if (!r.limits?.memory) problems.push(`${cw}: no resources.limits.memory`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${cw}: securityContext.readOnlyRootFilesystem must be true`);
      const img = imageProblem(c.image);
      if (img) problems.push(`${cw}: ${img}`);

      if (!init && o.kind !== "Job") {
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
      // spread over zones and over hosts, each constraint counting this Deployment's pods
      for (const key of ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]) {
        const tsc = (spec.topologySpreadConstraints || []).find((t) => t.topologyKey === key);
        if (!tsc) problems.push(`${where}: no topologySpreadConstraint over ${key} (pods are spread across zones and hosts)`);
        else if (!labelSelectorMatches(tsc.labelSelector, pod.labels)) problems.push(`${where}: the topologySpreadConstraint over ${key} does not select the pod's own labels`);
      }
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
      if (o.kind === "Deployment") {
        const pdbs = objects.filter((p) => p.kind === "PodDisruptionBudget" && ns(p) === pod.namespace && labelSelectorMatches(p.spec?.selector, pod.labels));
        if (pdbs.length === 0) problems.push(`${where}: no PodDisruptionBudget`);
        for (const p of pdbs)
          if (p.spec.maxUnavailable !== 1 || p.spec.minAvailable !== undefined)
            problems.push(`${id(p)}: must be maxUnavailable: 1 (and no minAvailable): a drain takes one pod at a time, whatever the replica count`);
      }
    }
  }

  // operator resources: their pods are built by the operator from these fields
  for (const o of objects) {
    const where = id(o);
    if (o.kind === "ActiveMQArtemis") {
      const dp = o.spec?.deploymentPlan || {};
      const spec = { securityContext: dp.podSecurityContext, containers: [{ name: "broker", securityContext: dp.containerSecurityContext }] };
      problems.push(...podSecurityProblems(where, spec));
      if (!dp.resources?.requests?.cpu || !dp.resources?.requests?.memory || !dp.resources?.limits?.memory)
        problems.push(`${where}: deploymentPlan.resources needs requests.cpu, requests.memory and limits.memory`);
      for (const s of dp.extraMounts?.secrets || []) if (!secretKeys(ns(o), s)) problems.push(refProblem(where, "extraMounts", "Secret", s));
      for (const a of o.spec?.acceptors || []) if (a.sslSecret && !secretKeys(ns(o), a.sslSecret)) problems.push(refProblem(where, `acceptor ${a.name}`, "Secret", a.sslSecret));
    }
    if (o.kind === "Cluster" && o.apiVersion?.startsWith("postgresql.cnpg.io/")) {
      const r = o.spec?.resources || {};
      if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.memory) problems.push(`${where}: resources needs requests.cpu, requests.memory and limits.memory`);
      const refs = [o.spec?.bootstrap?.initdb?.secret?.name, ...(o.spec?.managed?.roles || []).map((x) => x.passwordSecret?.name)].filter(Boolean);
      for (const s of refs) if (!secretKeys(ns(o), s)) problems.push(refProblem(where, "a role", "Secret", s));
      const img = imageProblem(o.spec?.imageName);
      if (o.spec?.imageName && img) problems.push(`${where}: ${img}`);
    }
    if (o.kind === "Pooler") {
      const c = o.spec?.template?.spec?.containers?.find((x) => x.name === "pgbouncer");
      if (!c?.resources?.requests?.cpu || !c?.resources?.requests?.memory || !c?.resources?.limits?.memory)
        problems.push(`${where}: template container pgbouncer needs requests.cpu, requests.memory and limits.memory`);
      if (!objects.some((x) => x.kind === "Cluster" && x.metadata.name === o.spec?.cluster?.name && ns(x) === ns(o))) problems.push(`${where}: cluster ${o.spec?.cluster?.name} does not exist`);
    }
    if (o.kind === "Database" && !objects.some((x) => x.kind === "Cluster" && x.metadata.name === o.spec?.cluster?.name && ns(x) === ns(o)))
      problems.push(`${where}: cluster ${o.spec?.cluster?.name} does not exist`);
    if (o.kind === "TriggerAuthentication")
      for (const r of o.spec?.secretTargetRef || []) if (!secretKeys(ns(o), r.name)?.has(r.key)) problems.push(refProblem(where, `parameter ${r.parameter}`, "Secret", r.name, r.key));
  }

  for (const o of objects) {
    const where = id(o);
    if (o.kind === "Namespace" && o.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted")
      problems.push(`${where}: needs label pod-security.kubernetes.io/enforce: restricted`);
    if (o.kind === "Service" && o.spec?.selector && o.spec.type !== "ExternalName") {
      const selected = selectable.filter((p) => p.namespace === ns(o) && matches(o.spec.selector, p.labels));
      if (selected.length === 0) {
        problems.push(`${where}: selects no pods (selector ${JSON.stringify(o.spec.selector)})`);
      } else {
        for (const sp of o.spec.ports || []) {
          const target = sp.targetPort ?? sp.port;
          if (!selected.some((p) => p.ports.includes(target))) problems.push(`${where}: port ${sp.name || sp.port}: targetPort ${target} is no container port of the selected pods`);
        }
      }
    }
    if (o.kind === "NetworkPolicy" && !labelSelectorMatches(o.spec?.podSelector, {}, true)) {
      if (!selectable.some((p) => p.namespace === ns(o) && labelSelectorMatches(o.spec.podSelector, p.labels))) problems.push(`${where}: podSelector selects no pods`);
    }
    if (o.kind === "PodDisruptionBudget") {
      if (!selectable.some((p) => p.namespace === ns(o) && labelSelectorMatches(o.spec?.selector, p.labels))) problems.push(`${where}: selects no pods`);
    }
    if (o.kind === "HorizontalPodAutoscaler" || o.kind === "ScaledObject") {
      const t = o.spec?.scaleTargetRef;
      const kind = t?.kind || "Deployment";
      if (!objects.some((x) => x.kind === kind && x.metadata?.name === t?.name && ns(x) === ns(o))) problems.push(`${where}: scaleTargetRef ${kind} ${t?.name} does not exist`);
      const others = objects.filter((x) => x !== o && (x.kind === "HorizontalPodAutoscaler" || x.kind === "ScaledObject") && ns(x) === ns(o) && x.spec?.scaleTargetRef?.name === t?.name);
      for (const x of others) if (objects.indexOf(x) > objects.indexOf(o)) problems.push(`${where} and ${id(x)} both scale ${kind} ${t?.name}: two autoscalers on one Deployment fight`);
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
    if (o.kind === "HTTPRoute") {
      for (const rule of o.spec?.rules || []) {
        for (const b of rule.backendRefs || []) {
          const svc = objects.find((x) => x.kind === "Service" && x.metadata.name === b.name && ns(x) === (b.namespace || ns(o)));
          if (!svc) problems.push(`${where}: backendRef Service ${b.name} does not exist`);
          else if (!(svc.spec?.ports || []).some((p) => p.port === b.port)) problems.push(`${where}: backendRef ${b.name}: the Service has no port ${b.port}`);
        }
      }
    }
  }
  return problems;
}

/** Item 6: what running several replicas in production needs. */
export function checkReplicas(objects, min) {
  const problems = [];
  const autoscalers = objects.filter((o) => o.kind === "HorizontalPodAutoscaler" || o.kind === "ScaledObject");
  for (const o of objects) {
    const svc = o.metadata?.labels?.["app.kubernetes.io/component"] === "service";
    if (o.kind === "Deployment" && svc && (o.spec?.replicas ?? 1) < min) problems.push(`${id(o)}: replicas ${o.spec?.replicas ?? 1} < ${min}`);
    if (o.kind === "HorizontalPodAutoscaler" && (o.spec?.minReplicas ?? 1) < min) problems.push(`${id(o)}: minReplicas ${o.spec?.minReplicas ?? 1} < ${min}`);
    if (o.kind === "ScaledObject" && (o.spec?.minReplicaCount ?? 0) < min) problems.push(`${id(o)}: minReplicaCount ${o.spec?.minReplicaCount ?? 0} < ${min}`);
  }
  for (const d of objects.filter((o) => o.kind === "Deployment" && o.metadata?.labels?.["app.kubernetes.io/component"] === "service")) {
    if (!autoscalers.some((h) => h.spec?.scaleTargetRef?.name === d.metadata.name)) problems.push(`${id(d)}: no HorizontalPodAutoscaler or ScaledObject`);
  }
  return problems;
}
