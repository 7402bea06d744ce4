// The services' JVM and pool settings: one file (deploy/base/runtime.env) for local runs and the cluster; the check
// fails, with the right message, when a Deployment or an overlay drifts from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rendered, ROOT, find, container, configMapOf, expectProblem } from "../lib/testing.mjs";
import { checkRuntime, parseEnvFile, SERVICES } from "../lib/runtime.mjs";

const runtimeMap = (objects) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("leadsuite-runtime"));

test("every overlay runs the four services on deploy/base/runtime.env, as scripts/suite.sh does", () => {
  const file = parseEnvFile(readFileSync(join(ROOT, "deploy/base/runtime.env"), "utf8"));
  for (const overlay of ["dev", "prod"]) {
    const objects = rendered(overlay);
    assert.deepEqual(checkRuntime(ROOT, objects), [], overlay);
    assert.deepEqual(new Map(Object.entries(runtimeMap(objects).data)), file, `${overlay}: the ConfigMap is the file`);
    for (const service of SERVICES) {
      const key = `JVM_OPTIONS_${service.toUpperCase().replace(/-/g, "_")}`;
      assert.ok(file.get(key).includes("-Xmx"), `${key} caps the heap`);
      assert.equal(container(objects, service).env.find((e) => e.name === "JDK_JAVA_OPTIONS").value, `$(JVM_OPTIONS) $(${key})`);
    }
  }
  // suite.sh reads the same file (and no other place sets JVM options for the services)
  const suite = readFileSync(join(ROOT, "scripts/suite.sh"), "utf8");
  assert.match(suite, /RUNTIME_ENV="\$ROOT\/deploy\/base\/runtime\.env"/);
});

test("the runtime check fails on a Deployment or overlay that drifts from the file", () => {
  const objects = rendered("prod");
  container(objects, "lead-service").envFrom = container(objects, "lead-service").envFrom.filter((ef) => !ef.configMapRef?.name.startsWith("leadsuite-runtime"));
  container(objects, "gateway").env.find((e) => e.name === "JDK_JAVA_OPTIONS").value = "$(JVM_OPTIONS)";
  runtimeMap(objects).data.MALLOC_ARENA_MAX = "8";
  configMapOf(objects, "scoring-service").data.JAVA_OPTS_APPEND += " -Xmx512m";
  configMapOf(objects, "contact-service").data.JAVA_OPTS_APPEND += " -XX:+UseG1GC";
  const problems = checkRuntime(ROOT, objects);
  expectProblem(problems, /Deployment leadsuite\/lead-service: container lead-service: does not read the ConfigMap leadsuite-runtime/);
  expectProblem(problems, /Deployment leadsuite\/gateway: container gateway: JDK_JAVA_OPTIONS must be "\$\(JVM_OPTIONS\) \$\(JVM_OPTIONS_GATEWAY\)"/);
  expectProblem(problems, /ConfigMap leadsuite\/leadsuite-runtime-\w+: MALLOC_ARENA_MAX is "8", deploy\/base\/runtime\.env says "2"/);
  expectProblem(problems, /container scoring-service: JAVA_OPTS_APPEND sets -Xmx512m; JVM sizing and the collector belong in deploy\/base\/runtime\.env/);
  expectProblem(problems, /container contact-service: JAVA_OPTS_APPEND sets -XX:\+UseG1GC/);
  assert.ok(find(objects, "Deployment", "lead-service"));
});
