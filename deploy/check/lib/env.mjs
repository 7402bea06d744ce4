// What a container sees: the value of an environment variable (env, or the keys of envFrom ConfigMaps), and the files
// a path resolves to through its volume mounts (ConfigMap volumes).
import { podTemplate } from "./policy.mjs";

const ns = (o) => o.metadata?.namespace || "";

/** The literal value of `name` in container `c` of `owner` (env value, else envFrom ConfigMap data), or undefined. */
export function envValue(objects, owner, c, name) {
  const direct = (c.env || []).find((e) => e.name === name);
  if (direct) return direct.value;
  let value;
  for (const ef of c.envFrom || []) {
    const cm = ef.configMapRef && objects.find((x) => x.kind === "ConfigMap" && ns(x) === ns(owner) && x.metadata.name === ef.configMapRef.name);
    const v = cm?.data?.[(name || "").slice((ef.prefix || "").length)];
    if (cm && (!ef.prefix || name.startsWith(ef.prefix)) && v !== undefined) value = v; // later envFrom entries win
  }
  return value;
}

/** The Secret an env var is read from: {name, key}, or undefined. */
export const envSecretRef = (c, name) => (c.env || []).find((e) => e.name === name)?.valueFrom?.secretKeyRef;

/** The content of the file at `path` in container `c` when a ConfigMap volume provides it, else undefined. */
export function mountedFile(objects, owner, c, path) {
  const spec = podTemplate(owner)?.spec || {};
  for (const m of c.volumeMounts || []) {
    const dir = m.mountPath.endsWith("/") ? m.mountPath : m.mountPath + "/";
    if (!path.startsWith(dir) && path !== m.mountPath) continue;
    const rel = m.subPath ? m.subPath : path.slice(dir.length);
    const v = (spec.volumes || []).find((x) => x.name === m.name);
    if (!v?.configMap) continue;
    const cm = objects.find((x) => x.kind === "ConfigMap" && ns(x) === ns(owner) && x.metadata.name === v.configMap.name);
    if (!cm) continue;
    const items = v.configMap.items;
    const key = items ? items.find((it) => it.path === rel)?.key : rel;
    if (key !== undefined && cm.data?.[key] !== undefined) return cm.data[key];
  }
  return undefined;
}

/** Parses Java properties text (no continuation lines needed here): Map key -> value. */
export function parseProperties(text) {
  const props = new Map();
  for (const raw of text.replace(/\\\r?\n\s*/g, "").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const m = /^((?:[^=:\s\\]|\\.)+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) props.set(m[1].replace(/\\(.)/g, "$1"), m[2]);
  }
  return props;
}
