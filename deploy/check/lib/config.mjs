// No drift between the configuration the services read and what the overlays set.
//   * What a service reads: the leadsuite.* keys of its application.properties (profile-less lines) and the prefixes of
//     its @ConfigMapping interfaces (its own and service-kit's), each also an environment variable by MicroProfile
//     Config's rule (leadsuite.db.host <-> LEADSUITE_DB_HOST).
//   * What must have a value in every overlay: connection and credential keys (leadsuite.db.*, leadsuite.amqp.*,
//     leadsuite.jwt.*), every key whose local default points at this machine (localhost, 127.0.0.1, .run/), every
//     ${LEADSUITE_...} reference without a default, and every variable scripts/infra.sh writes for local runs.
//   * What must not be set: a LEADSUITE_* variable the service does not read (a typo, or a key that was renamed).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { podTemplate } from "./policy.mjs";
import { id } from "./render.mjs";

export const SERVICES = ["gateway", "contact-service", "lead-service", "scoring-service"];
export const envName = (key) => key.toUpperCase().replace(/[^A-Z0-9]/g, "_");

export function readProperties(file) {
  const props = new Map();
  const refs = new Set(); // ${LEADSUITE_X} without default
  const lines = readFileSync(file, "utf8").replace(/\\\r?\n\s*/g, "").split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (key.startsWith("%")) continue; // profile-specific (tests)
    props.set(key, value);
    for (const r of value.matchAll(/\$\{(LEADSUITE_[A-Z0-9_]+)\}/g)) refs.add(r[1]);
  }
  return { props, refs };
}

function javaFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) javaFiles(p, out);
    else if (f.endsWith(".java")) out.push(p);
  }
  return out;
}

export function configMappingPrefixes(root, service) {
  const dirs = [join(root, service, "src/main/java")];
  const pom = join(root, service, "pom.xml");
  if (existsSync(pom) && readFileSync(pom, "utf8").includes("<artifactId>service-kit</artifactId>")) dirs.push(join(root, "service-kit/src/main/java"));
  const prefixes = new Set();
  for (const d of dirs) {
    for (const f of javaFiles(d)) {
      for (const m of readFileSync(f, "utf8").matchAll(/@ConfigMapping\s*\(\s*prefix\s*=\s*"([^"]+)"/g)) prefixes.add(m[1]);
    }
  }
  return prefixes;
}

/** The variables scripts/infra.sh writes into .run/<profile>/env for local runs. */
export function infraEnvNames(root) {
  const text = readFileSync(join(root, "scripts/infra.sh"), "utf8");
  return new Set([...text.matchAll(/^export (LEADSUITE_[A-Z0-9_]+)=/gm)].map((m) => m[1]));
}

export function serviceConfig(root, service) {
  const { props, refs } = readProperties(join(root, service, "src/main/resources/application.properties"));
  const keys = [...props.keys()].filter((k) => k.startsWith("leadsuite."));
  const readEnv = new Map(keys.map((k) => [envName(k), k]));
  const prefixes = [...configMappingPrefixes(root, service)].map((p) => envName(p) + "_");
  const required = new Map();
  for (const k of keys) {
    const v = props.get(k);
    if (/^leadsuite\.(db|amqp|jwt)\./.test(k) || /localhost|127\.0\.0\.1|\.run\//.test(v)) required.set(envName(k), `${k} (local default ${v})`);
  }
  for (const r of refs) required.set(r, `\${${r}} without a default`);
  return { keys, readEnv, prefixes, required, reads: (env) => readEnv.has(env) || refs.has(env) || prefixes.some((p) => env.startsWith(p)) };
}

/** Names of the environment variables a container gets (env, and the keys of envFrom ConfigMaps and Secrets). */
export function containerEnv(objects, namespace, container, documented = new Map()) {
  const names = new Set((container.env || []).map((e) => e.name));
  for (const ef of container.envFrom || []) {
    const ref = ef.configMapRef || ef.secretRef;
    const kind = ef.configMapRef ? "ConfigMap" : "Secret";
    const o = objects.find((x) => x.kind === kind && (x.metadata.namespace || "") === namespace && x.metadata.name === ref.name);
    const keys = o ? Object.keys({ ...(o.data || {}), ...(o.stringData || {}) }) : [...(kind === "Secret" ? documented.get(ref.name) || [] : [])];
    for (const k of keys) names.add((ef.prefix || "") + k);
  }
  return names;
}

/**
 * @param root the repository (application.properties, scripts/infra.sh)
 * @param overlay name, for messages
 * @param objects the overlay's rendered objects
 */
export function checkConfig(root, overlay, objects, documented = new Map()) {
  const problems = [];
  const infra = infraEnvNames(root);
  const configs = new Map(SERVICES.map((s) => [s, serviceConfig(root, s)]));
  for (const name of infra) {
    if (![...configs.values()].some((c) => c.reads(name))) problems.push(`scripts/infra.sh writes ${name}, which no service reads`);
  }
  for (const [service, cfg] of configs) {
    const d = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === service);
    if (!d) {
      problems.push(`overlay ${overlay}: no Deployment ${service}`);
      continue;
    }
    const t = podTemplate(d);
    const c = (t.spec.containers || []).find((x) => x.name === service) || t.spec.containers[0];
    const env = containerEnv(objects, d.metadata.namespace || "", c, documented);
    const required = new Map(cfg.required);
    for (const name of infra) if (cfg.reads(name)) required.set(name, `written by scripts/infra.sh for local runs`);
    for (const [name, why] of required) {
      if (!env.has(name)) problems.push(`overlay ${overlay}: ${service} reads ${name} (${why}) but the overlay gives it no value`);
    }
    for (const name of env) {
      if (name.startsWith("LEADSUITE_") && !cfg.reads(name)) problems.push(`overlay ${overlay}: ${id(d)} sets ${name}, which ${service} does not read (no such key in its application.properties or @ConfigMapping)`);
    }
  }
  return problems;
}
