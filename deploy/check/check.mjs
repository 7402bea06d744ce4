// Offline checks of deploy/: renders every overlay with `kubectl kustomize`, validates every object against the
// Kubernetes schemas (unknown fields rejected), applies the policy (lib/policy.mjs) and the configuration check
// (lib/config.mjs). Exit status 1, with one line per problem, when anything fails.
//
//   node check.mjs [--root <repository>] [--out <dir>] [--print]
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { renderText, parseObjects, id } from "./lib/render.mjs";
import { validateObjects } from "./lib/schema.mjs";
import { checkPolicy, checkReplicas } from "./lib/policy.mjs";
import { checkConfig } from "./lib/config.mjs";
import { documentedSecrets } from "./lib/secrets-doc.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(opt("--root", join(here, "../..")));
const out = resolve(opt("--out", join(root, ".run/deploy")));
const print = args.includes("--print");

/** Per overlay, beyond the common checks: prod runs at least two replicas of everything (README, item 6). */
const MIN_REPLICAS = { prod: 2 };

export async function checkOverlay(root, overlay) {
  const text = renderText(join(root, "deploy/overlays", overlay));
  const objects = parseObjects(text);
  const documented = documentedSecrets(join(root, "deploy/secrets.yaml"), overlay);
  const problems = [
    ...(await validateObjects(objects)),
    ...checkPolicy(objects, documented),
    ...checkConfig(root, overlay, objects, documented),
    ...(MIN_REPLICAS[overlay] ? checkReplicas(objects, MIN_REPLICAS[overlay]) : []),
  ];
  return { text, objects, problems };
}

const overlays = readdirSync(join(root, "deploy/overlays")).sort();
mkdirSync(out, { recursive: true });
let failed = 0;
for (const overlay of overlays) {
  let result;
  try {
    result = await checkOverlay(root, overlay);
  } catch (e) {
    console.error(`[deploy] overlay ${overlay}: ${e.message}`);
    failed++;
    continue;
  }
  const file = join(out, `${overlay}.yaml`);
  writeFileSync(file, result.text);
  if (print) {
    console.log(`# ---------------- kubectl kustomize deploy/overlays/${overlay} ----------------`);
    process.stdout.write(result.text);
  }
  const kinds = {};
  for (const o of result.objects) kinds[o.kind] = (kinds[o.kind] || 0) + 1;
  console.log(`[deploy] overlay ${overlay}: ${result.objects.length} objects rendered to ${file} (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
  for (const o of result.objects) console.log(`[deploy]   ${id(o)}`);
  if (result.problems.length) {
    failed++;
    for (const p of result.problems) console.error(`[deploy] overlay ${overlay}: ${p}`);
  } else {
    console.log(`[deploy] overlay ${overlay}: schemas (unknown fields rejected), policy and configuration: OK`);
  }
}
process.exit(failed ? 1 : 0);
