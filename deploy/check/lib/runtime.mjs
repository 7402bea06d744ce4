// The services' JVM and pool settings come from one file, deploy/base/runtime.env, which scripts/suite.sh reads for
// local runs and deploy/base turns into the ConfigMap leadsuite-runtime. This check holds every rendered target to it:
//   * each service's container reads that ConfigMap (envFrom) and passes the file's JVM options on as
//     JDK_JAVA_OPTIONS = "$(JVM_OPTIONS) $(JVM_OPTIONS_<SERVICE>)", the options the local suite runs with;
//   * the ConfigMap holds the file's keys with the file's values (an overlay that changes them would run the cluster
//     on settings nobody measured locally);
//   * the collector is chosen once, by GC_CONTAINER_OPTIONS (the image's run-java.sh puts it in place of its default;
//     a second collector in the JVM options stops the JVM), and no service's JAVA_OPTS_APPEND sizes the heap,
//     metaspace, code cache or collector behind the file's back.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { id } from "./render.mjs";
import { envValue } from "./env.mjs";

export const SERVICES = ["gateway", "contact-service", "lead-service", "scoring-service"];
const SIZING = /(^|\s)(-Xm[xsn]\S*|-Xss\S*|-XX:[+-]Use\w*GC\b|-XX:(Max)?MetaspaceSize=\S*|-XX:ReservedCodeCacheSize=\S*|-XX:MaxRAMPercentage=\S*)/;
const COLLECTOR = /-XX:\+Use\w*GC\b/;

/** The keys and values of an env file (KEY=value lines, # comments), as kustomize and scripts/suite.sh read it. */
export function parseEnvFile(text) {
  const values = new Map();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

const optionsKey = (service) => `JVM_OPTIONS_${service.toUpperCase().replace(/-/g, "_")}`;

export function checkRuntime(root, objects) {
  const problems = [];
  const file = parseEnvFile(readFileSync(join(root, "deploy/base/runtime.env"), "utf8"));
  for (const key of ["GC_CONTAINER_OPTIONS", "JVM_OPTIONS", ...SERVICES.map(optionsKey)]) {
    if (!file.has(key)) problems.push(`deploy/base/runtime.env: no ${key}`);
  }
  if (!COLLECTOR.test(file.get("GC_CONTAINER_OPTIONS") || "")) problems.push("deploy/base/runtime.env: GC_CONTAINER_OPTIONS selects no collector");
  for (const [key, value] of file) {
    if (key.startsWith("JVM_OPTIONS") && COLLECTOR.test(value)) {
      problems.push(`deploy/base/runtime.env: ${key} selects a collector; GC_CONTAINER_OPTIONS does (two collectors stop the JVM)`);
    }
  }
  for (const service of SERVICES) {
    const d = objects.find((o) => o.kind === "Deployment" && o.metadata.name === service);
    if (!d) continue;
    const c = d.spec.template.spec.containers.find((x) => x.name === service) || d.spec.template.spec.containers[0];
    const where = `${id(d)}: container ${c.name}`;
    const refs = (c.envFrom || []).map((ef) => ef.configMapRef?.name).filter(Boolean);
    const cm = objects.find((o) => o.kind === "ConfigMap" && refs.includes(o.metadata.name) && o.metadata.name.startsWith("leadsuite-runtime"));
    if (!cm) {
      problems.push(`${where}: does not read the ConfigMap leadsuite-runtime (deploy/base/runtime.env) with envFrom`);
      continue;
    }
    for (const [key, value] of file) {
      if (cm.data?.[key] !== value) problems.push(`${id(cm)}: ${key} is ${JSON.stringify(cm.data?.[key])}, deploy/base/runtime.env says ${JSON.stringify(value)}`);
    }
    const want = `$(JVM_OPTIONS) $(${optionsKey(service)})`;
    const jdk = (c.env || []).find((e) => e.name === "JDK_JAVA_OPTIONS");
    if (jdk?.value !== want) problems.push(`${where}: JDK_JAVA_OPTIONS must be "${want}" (is ${JSON.stringify(jdk?.value)})`);
    const append = envValue(objects, d, c, "JAVA_OPTS_APPEND") || "";
    const sizing = SIZING.exec(append);
    if (sizing) problems.push(`${where}: JAVA_OPTS_APPEND sets ${sizing[2]}; JVM sizing and the collector belong in deploy/base/runtime.env`);
  }
  return problems;
}
