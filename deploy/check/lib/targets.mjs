// What deploy/check renders: every overlay (deploy/overlays/<name>) and every fixture (deploy/check/fixtures/<name>: an
// overlay with optional components, as a platform team would compose them), and everything it checks on each.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, basename } from "node:path";
import { parse } from "yaml";
import { renderText, parseObjects } from "./render.mjs";
import { validateObjects } from "./schema.mjs";
import { checkPolicy, checkReplicas } from "./policy.mjs";
import { checkConfig } from "./config.mjs";
import { documentedSecrets } from "./secrets-doc.mjs";
import { checkReadiness } from "./readiness.mjs";
import { checkDatabase } from "./database.mjs";
import { checkBrokerResource, checkDevBroker } from "./broker.mjs";
import { checkScaling } from "./scaling.mjs";
import { checkEdge } from "./edge.mjs";
import { baseImageNaming, checkTargetImages, checkWorkflow, checkApplicationNames } from "./images.mjs";
import { checkLocalCluster } from "./local-cluster.mjs";
import { checkRuntime } from "./runtime.mjs";
import { checkMonitoring } from "./monitoring.mjs";

/** Per overlay, beyond the common checks: prod runs at least two replicas of everything (README, item 6). */
const MIN_REPLICAS = { prod: 2 };

export function targets(root) {
  const out = [];
  for (const o of readdirSync(join(root, "deploy/overlays")).sort())
    out.push({ name: `overlays/${o}`, dir: join(root, "deploy/overlays", o), overlay: o, components: [] });
  const fixtures = join(root, "deploy/check/fixtures");
  for (const f of existsSync(fixtures) ? readdirSync(fixtures).sort() : []) {
    const k = parse(readFileSync(join(fixtures, f, "kustomization.yaml"), "utf8"));
    const overlay = (k.resources || []).map((r) => /overlays\/([^/]+)\/?$/.exec(r)?.[1]).find(Boolean);
    out.push({ name: `fixtures/${f}`, dir: join(fixtures, f), overlay, components: (k.components || []).map((c) => basename(c)) });
  }
  return out;
}

/** Renders one target and runs every check on it. */
export async function checkTarget(root, target, naming) {
  const text = renderText(target.dir);
  const objects = parseObjects(text);
  const documented = documentedSecrets(join(root, "deploy/secrets.yaml"), target.overlay, target.components);
  const problems = [
    ...(await validateObjects(objects)),
    ...checkPolicy(objects, documented),
    ...checkConfig(root, target.overlay, objects, documented),
    ...(MIN_REPLICAS[target.overlay] ? checkReplicas(objects, MIN_REPLICAS[target.overlay]) : []),
    ...checkReadiness(root, objects),
    ...checkDatabase(objects),
    ...checkBrokerResource(root, objects),
    ...checkDevBroker(root, objects),
    ...checkScaling(root, objects),
    ...checkEdge(objects),
    ...checkRuntime(root, objects),
    ...checkMonitoring(root, objects),
    ...(naming ? checkTargetImages(root, target, objects, naming) : []),
    ...(target.overlay === "dev" && target.name === "overlays/dev" ? checkLocalCluster(root, objects) : []),
  ];
  return { text, objects, problems };
}

/** What holds across targets: the base's image naming, the CI workflow, the services' application names. */
export function checkRepository(root) {
  const naming = baseImageNaming(parseObjects(renderText(join(root, "deploy/base"))));
  return { naming, problems: [...naming.problems, ...checkWorkflow(root, naming), ...checkApplicationNames(root)] };
}
