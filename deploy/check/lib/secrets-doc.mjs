// deploy/secrets.yaml: the Secrets platform teams provide, with their keys, per overlay.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export function documentedSecrets(file, overlay) {
  const doc = parse(readFileSync(file, "utf8"), { merge: true });
  const out = new Map();
  for (const s of doc.secrets || []) {
    if (!overlay || (s.overlays || []).includes(overlay)) out.set(s.name, new Set(Object.keys(s.keys || {})));
  }
  return out;
}
