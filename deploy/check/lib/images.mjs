// Images (item 1): one registry and organisation for the four services (deploy/base names them, default
// ghcr.io/leadsuite), the same tag scheme in every overlay (one tag for all four; dev: the Maven project version, which
// a local build tags its images with; prod: a release X.Y.Z, which CI pushes for the git tag vX.Y.Z), the migration
// Jobs and init steps running the very image of their service, and the CI workflow that builds and pushes them
// (.github/workflows/images.yaml) agreeing with all of that.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { SERVICES, readProperties } from "./config.mjs";
import { podTemplate } from "./policy.mjs";
import { id } from "./render.mjs";

export const WORKFLOW = ".github/workflows/images.yaml";
const RELEASE = /^\d+\.\d+\.\d+$/;
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Splits registry/group/name:tag. */
export function parseImage(image) {
  const [path, digest] = String(image).split("@");
  const colon = path.lastIndexOf(":");
  const hasTag = colon > path.lastIndexOf("/");
  const repo = hasTag ? path.slice(0, colon) : path;
  const parts = repo.split("/");
  return { repo, registry: parts[0], group: parts.slice(1, -1).join("/"), name: parts.at(-1), tag: hasTag ? path.slice(colon + 1) : undefined, digest };
}

/** The root pom's own version (the first <version> after the parent's artifactId). */
export function projectVersion(root) {
  const pom = readFileSync(join(root, "pom.xml"), "utf8");
  return /<artifactId>leadsuite-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1];
}

/** Every container (init containers too) of every pod template: [{owner, container, image}]. */
function containers(objects) {
  const out = [];
  for (const o of objects) {
    const spec = podTemplate(o)?.spec;
    if (!spec) continue;
    for (const c of [...(spec.initContainers || []), ...(spec.containers || [])]) out.push({ owner: o, container: c, image: parseImage(c.image) });
  }
  return out;
}

/**
 * The registry and organisation of the base's service images: {registry, group, problems}.
 * @param baseObjects the rendered deploy/base
 */
export function baseImageNaming(baseObjects) {
  const problems = [];
  const seen = new Set();
  for (const { owner, container, image } of containers(baseObjects)) {
    if (!SERVICES.includes(image.name)) continue;
    if (image.tag || image.digest) problems.push(`deploy/base: ${id(owner)}: container ${container.name}: image ${container.image} carries a tag; tags belong to the overlays`);
    seen.add(`${image.registry}/${image.group}`);
  }
  if (seen.size !== 1) problems.push(`deploy/base: the services' images must share one registry and organisation, found ${[...seen].sort().join(", ") || "none"}`);
  const [registry, ...group] = [...seen][0]?.split("/") || [];
  return { registry, group: group.join("/"), problems };
}

/** One rendered target (overlay or overlay + components): names, tags, Jobs and init steps. */
export function checkTargetImages(root, target, objects, naming) {
  const problems = [];
  const where = `${target.name}`;
  const tags = new Map(); // service -> Set of tags
  for (const { owner, container, image } of containers(objects)) {
    if (!SERVICES.includes(image.name)) continue;
    const cw = `${where}: ${id(owner)}: container ${container.name}`;
    if (image.registry !== naming.registry || image.group !== naming.group)
      problems.push(`${cw}: image ${container.image} is not ${naming.registry}/${naming.group}/${image.name} (the registry and organisation of deploy/base)`);
    if (!tags.has(image.name)) tags.set(image.name, new Set());
    tags.get(image.name).add(image.tag);
    // a pod runs the image of its own service only: the migration Job and the init steps are that service's image
    const spec = podTemplate(owner).spec;
    const own = parseImage(spec.containers[0].image);
    if (container.image !== spec.containers[0].image) problems.push(`${cw}: image ${container.image} differs from the pod's main image ${spec.containers[0].image}`);
    if (owner.kind === "Job") {
      const service = own.name;
      const d = objects.find((x) => x.kind === "Deployment" && x.metadata.name === service);
      if (!d) problems.push(`${cw}: no Deployment ${service} for this Job's image`);
      else if (d.spec.template.spec.containers[0].image !== container.image)
        problems.push(`${cw}: image ${container.image} differs from Deployment ${service}'s ${d.spec.template.spec.containers[0].image}: the migrations must be the release's`);
    }
  }
  const all = new Set();
  for (const s of SERVICES) {
    const t = tags.get(s);
    if (!t) {
      problems.push(`${where}: no image of ${s}`);
      continue;
    }
    for (const tag of t) all.add(tag);
  }
  if (all.size > 1) problems.push(`${where}: the four services must share one tag, found ${[...all].sort().join(", ")}`);
  for (const tag of all) {
    if (!tag) problems.push(`${where}: an image of ours has no tag (set newTag in the overlay's images:)`);
    else if (!VERSION.test(tag)) problems.push(`${where}: tag ${tag} is not a version (X.Y.Z or X.Y.Z-qualifier)`);
    else if (target.overlay === "dev" && tag !== projectVersion(root))
      problems.push(`${where}: tag ${tag} is not the project version ${projectVersion(root)} (what a local build of this checkout tags its images with)`);
    else if (target.overlay === "prod" && !RELEASE.test(tag)) problems.push(`${where}: tag ${tag} is not a release X.Y.Z (what CI pushes for the git tag vX.Y.Z)`);
  }
  return problems;
}

/** Quarkus names the image after quarkus.application.name: it must be the service's name. */
export function checkApplicationNames(root) {
  const problems = [];
  for (const s of SERVICES) {
    const name = readProperties(join(root, s, "src/main/resources/application.properties")).props.get("quarkus.application.name");
    if (name !== s) problems.push(`${s}: quarkus.application.name is ${name}, so the container-image extension would name its image ${name}, not ${s}`);
  }
  return problems;
}

/** The CI workflow that builds and pushes the images. */
export function checkWorkflow(root, naming) {
  const file = join(root, WORKFLOW);
  if (!existsSync(file)) return [`${WORKFLOW} is missing (the workflow that builds and pushes the images)`];
  const problems = [];
  const wf = parse(readFileSync(file, "utf8"));
  const tagsOn = wf?.on?.push?.tags || [];
  if (!tagsOn.some((t) => /^v/.test(t))) problems.push(`${WORKFLOW}: must run on pushed tags v... (on.push.tags), found ${JSON.stringify(tagsOn)}`);
  const steps = Object.entries(wf?.jobs || {}).flatMap(([name, job]) => (job.steps || []).map((s) => ({ job, name, step: s })));
  const build = steps.find((s) => /quarkus\.container-image\.push=true/.test(s.step.run || ""));
  if (!build) return [...problems, `${WORKFLOW}: no step runs the build with -Dquarkus.container-image.push=true`];
  // env values may default a repository variable: ${{ vars.X || 'default' }} resolves to its default here
  const env = Object.fromEntries(
    Object.entries({ ...(wf.env || {}), ...(build.job.env || {}), ...(build.step.env || {}) }).map(([k, v]) => [k, String(v).replace(/^\$\{\{\s*vars\.\w+\s*\|\|\s*'([^']*)'\s*\}\}$/, "$1")]),
  );
  const run = build.step.run.replace(/\\\n/g, " ");
  const resolve = (v) => v.replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_, k) => env[k] ?? `<undefined env.${k}>`).replace(/\$\{?(\w+)\}?/g, (m, k) => env[k] ?? m);
  const props = new Map([...run.matchAll(/-D(quarkus\.[\w.-]+)=(\$\{\{[^}]*\}\}|"[^"]*"|\S+)/g)].map((m) => [m[1], resolve(m[2].replace(/^"|"$/g, ""))]));
  const want = { "quarkus.container-image.build": "true", "quarkus.container-image.push": "true", "quarkus.container-image.registry": naming.registry, "quarkus.container-image.group": naming.group };
  for (const [k, v] of Object.entries(want)) if (props.get(k) !== v) problems.push(`${WORKFLOW}: -D${k} must be ${v} (deploy/base's images), found ${props.get(k) ?? "nothing"}`);
  const tag = props.get("quarkus.container-image.tag") || "";
  if (!/GITHUB_REF_NAME#v|github\.ref_name/.test(build.step.run) && !/GITHUB_REF_NAME#v/.test(tag))
    problems.push(`${WORKFLOW}: -Dquarkus.container-image.tag must be the git tag without its v (\${GITHUB_REF_NAME#v}), found ${tag || "nothing"}`);
  const pl = /-pl\s+(\S+)/.exec(run)?.[1]?.split(",") || [];
  if ([...pl].sort().join(",") !== [...SERVICES].sort().join(",")) problems.push(`${WORKFLOW}: -pl must list exactly the four services (${SERVICES.join(",")}), found ${pl.join(",") || "nothing"}`);
  return problems;
}
