// Validates Kubernetes objects against the JSON schemas of the npm package kubernetes-models, offline, and rejects
// unknown fields too. kubernetes-models' validators (compiled Ajv code) accept unknown properties, so the strict part
// watches which properties the validator reads: a property of the object that the schema never looked at is one the
// schema does not define. Objects are validated as a whole, so every defined property is visited.
//
// The operators' resources (CloudNativePG, ArtemisCloud, KEDA, Gateway API) are validated against schemas of our own in
// deploy/check/schemas/, one per named operator version, written from the operators' documented API for the fields
// deploy/ uses (additionalProperties: false throughout, so unknown fields and wrong types fail).
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { id } from "./render.mjs";

const SCHEMAS = join(dirname(fileURLToPath(import.meta.url)), "../schemas");

/** apiVersion -> the schema file of ours that defines its kinds (under "definitions", by kind). */
export const OPERATOR_SCHEMAS = {
  "postgresql.cnpg.io/v1": "cloudnative-pg-1.26.json",
  "broker.amq.io/v1beta1": "artemiscloud-1.2.json",
  "keda.sh/v1alpha1": "keda-2.16.json",
  "gateway.networking.k8s.io/v1": "gateway-api-1.2.json",
};

let ajv;
function operatorValidator(apiVersion, kind) {
  const file = OPERATOR_SCHEMAS[apiVersion];
  if (!file) return undefined;
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith(".json"))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), "utf8")));
  }
  const schema = ajv.getSchema(file);
  if (!schema?.schema?.definitions?.[kind]) return undefined;
  return ajv.getSchema(`${file}#/definitions/${kind}`);
}

const dotted = (pointer) =>
  pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");

/** Ajv errors as this check's messages: "unknown field a.b.c" or "schema: a.b must be integer". */
function operatorProblems(o, validate) {
  if (validate(o)) return [];
  const out = new Set();
  for (const e of validate.errors) {
    if (e.keyword === "if") continue; // the branch's own error says what is wrong
    const at = dotted(e.instancePath);
    if (e.keyword === "additionalProperties") out.add(`${id(o)}: unknown field ${at ? at + "." : ""}${e.params.additionalProperty}`);
    else out.add(`${id(o)}: schema: ${at || "(object)"} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
  }
  return [...out];
}

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
    const operatorValidate = operatorValidator(o.apiVersion, o.kind);
    if (operatorValidate) {
      problems.push(...operatorProblems(o, operatorValidate));
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
