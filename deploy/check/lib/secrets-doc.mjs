// deploy/secrets.yaml: the Secrets platform teams provide (or operators make), with their keys, per overlay and per
// optional component.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * @param file deploy/secrets.yaml
 * @param overlay the overlay's name (dev, prod), or undefined for every entry
 * @param components names of the optional components (deploy/components/<name>) rendered with it
 * @returns Map secret name -> Set of keys
 */
export function documentedSecrets(file, overlay, components = []) {
  const doc = parse(readFileSync(file, "utf8"), { merge: true });
  const out = new Map();
  for (const s of doc.secrets || []) {
    const forOverlay = !overlay || (s.overlays || []).includes(overlay);
    const forComponent = (s.components || []).some((c) => components.includes(c));
    if (forOverlay || forComponent) out.set(s.name, new Set(Object.keys(s.keys || {})));
  }
  return out;
}
