// Offline checks of deploy/: renders every overlay and every fixture (an overlay with optional components) with
// `kubectl kustomize`, validates every object against the Kubernetes schemas and our own schemas of the operators'
// resources (unknown fields rejected), applies the policy (lib/policy.mjs: the restricted Pod Security Standard and
// more) and the consistency checks (configuration, readiness, migrations and roles, broker, scaling, edge, images,
// the CI workflow, the local cluster path). Exit status 1, with one line per problem, when anything fails.
//
//   node check.mjs [--root <repository>] [--out <dir>] [--print]
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { id } from "./lib/render.mjs";
import { targets, checkTarget, checkRepository } from "./lib/targets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(opt("--root", join(here, "../..")));
const out = resolve(opt("--out", join(root, ".run/deploy")));
const print = args.includes("--print");

mkdirSync(out, { recursive: true });
let failed = 0;
let repository;
try {
  repository = checkRepository(root);
  for (const p of repository.problems) console.error(`[deploy] ${p}`);
  if (repository.problems.length) failed++;
  else console.log(`[deploy] images ${repository.naming.registry}/${repository.naming.group}/<service>, CI workflow, application names: OK`);
} catch (e) {
  console.error(`[deploy] ${e.message}`);
  failed++;
}
for (const target of targets(root)) {
  let result;
  try {
    result = await checkTarget(root, target, repository?.naming);
  } catch (e) {
    console.error(`[deploy] ${target.name}: ${e.message}`);
    failed++;
    continue;
  }
  const file = join(out, `${target.name.replace("/", "-")}.yaml`);
  writeFileSync(file, result.text);
  if (print) {
    console.log(`# ---------------- kubectl kustomize deploy/${target.name.startsWith("fixtures/") ? "check/" : ""}${target.name} ----------------`);
    process.stdout.write(result.text);
  }
  const kinds = {};
  for (const o of result.objects) kinds[o.kind] = (kinds[o.kind] || 0) + 1;
  const what = target.components.length ? ` (overlay ${target.overlay} + components ${target.components.join(", ")})` : "";
  console.log(`[deploy] ${target.name}${what}: ${result.objects.length} objects rendered to ${file} (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
  for (const o of result.objects) console.log(`[deploy]   ${id(o)}`);
  if (result.problems.length) {
    failed++;
    for (const p of result.problems) console.error(`[deploy] ${target.name}: ${p}`);
  } else {
    console.log(`[deploy] ${target.name}: schemas (unknown fields rejected), policy, configuration, readiness, migrations, broker, scaling, edge, images: OK`);
  }
}
process.exit(failed ? 1 : 0);
