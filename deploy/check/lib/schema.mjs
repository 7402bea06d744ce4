// Validates Kubernetes objects against the JSON schemas of the npm package kubernetes-models, offline, and rejects
// unknown fields too. kubernetes-models' validators (compiled Ajv code) accept unknown properties, so the strict part
// watches which properties the validator reads: a property of the object that the schema never looked at is one the
// schema does not define. Objects are validated as a whole, so every defined property is visited.
import { id } from "./render.mjs";

const modules = new Map();

/** API groups of custom resources, and the npm package holding their schemas. */
const CUSTOM = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

async function modelFor(apiVersion, kind) {
  if (!apiVersion.includes("/") && apiVersion !== "v1") return undefined;
  const group = apiVersion.split("/")[0];
  const path = !apiVersion.includes("/") ? "kubernetes-models/v1" : `${CUSTOM[group] || "kubernetes-models"}/${apiVersion}`;
  if (!modules.has(path)) {
    modules.set(path, await import(path).catch(() => null));
  }
  const mod = modules.get(path);
  return mod ? mod[kind] : undefined;
}

function track(value, path, seen) {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key === "string" && Object.prototype.hasOwnProperty.call(target, key)) {
        const p = Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`;
        seen.add(p);
        return track(v, p, seen);
      }
      return v;
    },
  });
}

function unread(value, path, seen, out) {
  if (value === null || typeof value !== "object") return;
  for (const key of Object.keys(value)) {
    const p = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (!seen.has(p)) out.push(p);
    else unread(value[key], p, seen, out);
  }
}

/** Returns a list of problems, empty when every object is valid and has no unknown field. */
export async function validateObjects(objects) {
  const problems = [];
  for (const o of objects) {
    if (!o || typeof o !== "object" || !o.apiVersion || !o.kind) {
      problems.push(`object without apiVersion/kind: ${JSON.stringify(o).slice(0, 80)}`);
      continue;
    }
    const Model = await modelFor(o.apiVersion, o.kind);
    if (!Model) {
      problems.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    const seen = new Set();
    try {
      Model.prototype.validate.call(track(o, "", seen));
    } catch (e) {
      problems.push(`${id(o)}: schema: ${e.message}`);
      continue;
    }
    const unknown = [];
    unread(o, "", seen, unknown);
    for (const p of unknown) problems.push(`${id(o)}: unknown field ${p.slice(1)}`);
  }
  return problems;
}
