import { cpSync, mkdtempSync, mkdirSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { render } from "./render.mjs";
import { documentedSecrets } from "./secrets-doc.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const SECRETS = join(ROOT, "deploy/secrets.yaml");

const cache = new Map();
/**
 * The rendered objects of an overlay ("dev", "prod") or of a fixture ("fixtures/prod-with-keda"); every call gets its
 * own deep copy to break.
 */
export function rendered(target, root = ROOT) {
  const key = `${root}:${target}`;
  const dir = target.startsWith("fixtures/") ? join(root, "deploy/check", target) : join(root, "deploy/overlays", target);
  if (!cache.has(key)) cache.set(key, JSON.stringify(render(dir)));
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

/**
 * A copy of what the checks read: deploy/ (without node_modules), the CI workflow, the root pom, scripts/infra.sh,
 * each service's pom, configuration and code.
 */
export function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), "leadsuite-deploy-"));
  cpSync(join(ROOT, "deploy"), join(dir, "deploy"), { recursive: true, filter: (src) => !src.includes("node_modules") });
  cpSync(join(ROOT, ".github"), join(dir, ".github"), { recursive: true });
  cpSync(join(ROOT, "pom.xml"), join(dir, "pom.xml"));
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

/** The documented Secrets of a target (overlay name, or fixture with its components). */
export function secretsFor(target) {
  return documentedSecrets(SECRETS, overlayOf(target), componentsOf(target));
}
const overlayOf = (target) => (target.startsWith("fixtures/") ? "prod" : target);
const componentsOf = (target) =>
  target.startsWith("fixtures/") ? parse(readFileSync(join(ROOT, "deploy/check", target, "kustomization.yaml"), "utf8")).components.map((c) => basename(c)) : [];

export const expectProblem = (problems, pattern) =>
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join("\n") || "(none)"}`);

/** Runs deploy/check/check.mjs on a repository copy: {status, stdout, stderr}. */
export function runCheck(dir) {
  try {
    const stdout = execFileSync(process.execPath, [join(ROOT, "deploy/check/check.mjs"), "--root", dir, "--out", join(dir, "out")], { encoding: "utf8", stdio: "pipe" });
    return { status: 0, stdout, stderr: "" };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Edits a file of a repository copy: replace `from` (which must occur) with `to`. */
export function edit(dir, file, from, to) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!(typeof from === "string" ? text.includes(from) : from.test(text))) throw new Error(`${file}: ${from} not found`);
  writeFileSync(path, text.replace(from, to));
}
