import { cpSync, mkdtempSync, mkdirSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { render } from "./render.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const SECRETS = join(ROOT, "deploy/secrets.yaml");

const cache = new Map();
/** The rendered objects of an overlay; every call gets its own deep copy to break. */
export function rendered(overlay, root = ROOT) {
  const key = `${root}:${overlay}`;
  if (!cache.has(key)) cache.set(key, JSON.stringify(render(join(root, "deploy/overlays", overlay))));
  return JSON.parse(cache.get(key));
}

export const find = (objects, kind, name) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};
export const container = (objects, name) => find(objects, "Deployment", name).spec.template.spec.containers[0];
export const configMapOf = (objects, service) =>
  objects.find((x) => x.kind === "ConfigMap" && x.metadata.name.startsWith(`${service}-config`));

/** A copy of what the checks read: deploy/ (without node_modules), scripts/infra.sh, each service's config and code. */
export function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), "leadsuite-deploy-"));
  cpSync(join(ROOT, "deploy"), join(dir, "deploy"), { recursive: true, filter: (src) => !src.includes("node_modules") });
  mkdirSync(join(dir, "scripts"));
  cpSync(join(ROOT, "scripts/infra.sh"), join(dir, "scripts/infra.sh"));
  for (const m of readdirSync(ROOT)) {
    for (const part of ["pom.xml", "src/main/resources/application.properties", "src/main/java"]) {
      const src = join(ROOT, m, part);
      if (m !== "deploy" && existsSync(join(ROOT, m, "pom.xml")) && existsSync(src)) cpSync(src, join(dir, m, part), { recursive: true });
    }
  }
  return dir;
}
