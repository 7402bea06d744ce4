// Renders a Kustomize directory with `kubectl kustomize` (the kubectl run.sh installs, or $KUBECTL) and parses it.
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

export const kubectl = () => process.env.KUBECTL || "kubectl";

export function renderText(dir) {
  try {
    return execFileSync(kubectl(), ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`kubectl kustomize ${dir} failed: ${(e.stderr || e.message).toString().trim()}`);
  }
}

export function parseObjects(text) {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`YAML error: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

export const render = (dir) => parseObjects(renderText(dir));

export const id = (o) => `${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + "/" : ""}${o.metadata?.name}`;
