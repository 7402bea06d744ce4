// The checks fail, with the right message, on deliberately broken copies of the rendered overlays and of deploy/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { rendered, SECRETS, ROOT, find, container, configMapOf, copyRepository, runCheck } from "../lib/testing.mjs";
import { validateObjects } from "../lib/schema.mjs";
import { checkPolicy, checkReplicas } from "../lib/policy.mjs";
import { checkConfig } from "../lib/config.mjs";
import { documentedSecrets } from "../lib/secrets-doc.mjs";

const policy = (objects, overlay = "prod") => checkPolicy(objects, documentedSecrets(SECRETS, overlay));
const expectProblem = (problems, pattern) =>
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join("\n") || "(none)"}`);

const breakages = [
  ["a container without a liveness probe", (o) => delete container(o, "lead-service").livenessProbe,
    /Deployment leadsuite\/lead-service: container lead-service: no livenessProbe/],
  ["a container without a startup probe", (o) => delete container(o, "gateway").startupProbe,
    /Deployment leadsuite\/gateway: container gateway: no startupProbe/],
  ["a readiness probe on the wrong path", (o) => (container(o, "scoring-service").readinessProbe.httpGet.path = "/health"),
    /container scoring-service: readinessProbe must be an httpGet of \/q\/health\/ready/],
  ["no memory limit", (o) => delete container(o, "contact-service").resources.limits.memory,
    /container contact-service: no resources\.limits\.memory/],
  ["no resources at all", (o) => delete container(o, "gateway").resources,
    /container gateway: no resources\.requests\.cpu/],
  ["privilege escalation allowed", (o) => (container(o, "lead-service").securityContext.allowPrivilegeEscalation = true),
    /container lead-service: securityContext\.allowPrivilegeEscalation must be false/],
  ["capabilities not dropped", (o) => (container(o, "lead-service").securityContext.capabilities.drop = []),
    /container lead-service: securityContext\.capabilities\.drop must include ALL/],
  ["a writable root file system", (o) => (container(o, "gateway").securityContext.readOnlyRootFilesystem = false),
    /container gateway: securityContext\.readOnlyRootFilesystem must be true/],
  ["root allowed", (o) => {
    const d = find(o, "Deployment", "contact-service");
    delete d.spec.template.spec.securityContext.runAsNonRoot;
    delete d.spec.template.spec.containers[0].securityContext.runAsNonRoot;
  }, /container contact-service: runAsNonRoot must be true/],
  ["no seccomp profile", (o) => {
    const d = find(o, "Deployment", "gateway");
    delete d.spec.template.spec.securityContext.seccompProfile;
    delete d.spec.template.spec.containers[0].securityContext.seccompProfile;
  }, /container gateway: seccompProfile\.type must be RuntimeDefault/],
  ["an init container without the restricted security context", (o) => delete find(o, "Deployment", "lead-service").spec.template.spec.initContainers[0].securityContext,
    /Deployment leadsuite\/lead-service: init container truststore: securityContext\.allowPrivilegeEscalation must be false/],
  ["no /tmp volume", (o) => (container(o, "scoring-service").volumeMounts = container(o, "scoring-service").volumeMounts.filter((m) => m.mountPath !== "/tmp")),
    /container scoring-service: needs an emptyDir volume mounted at \/tmp/],
  ["a Service that selects no pods", (o) => (find(o, "Service", "lead-service").spec.selector = { "app.kubernetes.io/name": "leads" }),
    /Service leadsuite\/lead-service: selects no pods/],
  ["a Service targeting a port no container has", (o) => (find(o, "Service", "gateway").spec.ports[0].targetPort = "web"),
    /Service leadsuite\/gateway: port http: targetPort web is no container port/],
  ["an env var referring to a Secret key nobody provides", (o) => {
    container(o, "lead-service").env.find((e) => e.name === "LEADSUITE_DB_PASSWORD").valueFrom.secretKeyRef.key = "pasword";
  }, /env LEADSUITE_DB_PASSWORD refers to Secret lead-service-db key pasword, which no manifest or deploy\/secrets\.yaml provides/],
  ["an env var referring to an undocumented Secret", (o) => {
    container(o, "gateway").env.find((e) => e.name === "LEADSUITE_JWT_ISSUER").valueFrom.secretKeyRef.name = "jwt";
  }, /env LEADSUITE_JWT_ISSUER refers to Secret jwt key issuer, which no manifest or deploy\/secrets\.yaml provides/],
  ["an env var referring to a missing ConfigMap key", (o) => {
    container(o, "gateway").env.push({ name: "X", valueFrom: { configMapKeyRef: { name: configMapOf(o, "gateway").metadata.name, key: "missing" } } });
  }, /env X refers to ConfigMap gateway-config-\w+ key missing, which no manifest provides/],
  ["envFrom a ConfigMap that does not exist", (o) => (container(o, "contact-service").envFrom[0].configMapRef.name = "contact-config"),
    /envFrom refers to ConfigMap contact-config, which no manifest provides/],
  ["an Ingress TLS Secret nobody provides", (o) => (find(o, "Ingress", "gateway").spec.tls[0].secretName = "gateway-cert"),
    /Ingress leadsuite\/gateway: tls refers to Secret gateway-cert, which no manifest or deploy\/secrets\.yaml provides/],
  ["a service-account token mounted", (o) => {
    find(o, "Deployment", "gateway").spec.template.spec.automountServiceAccountToken = true;
    find(o, "ServiceAccount", "gateway").automountServiceAccountToken = true;
  }, /Deployment leadsuite\/gateway: automountServiceAccountToken must be false/],
  ["shutdown longer than the grace period", (o) => (find(o, "Deployment", "lead-service").spec.template.spec.terminationGracePeriodSeconds = 30),
    /Deployment leadsuite\/lead-service: terminationGracePeriodSeconds 30 must exceed preStop 5s \+ QUARKUS_SHUTDOWN_TIMEOUT 30s/],
  ["no Prometheus annotations", (o) => delete find(o, "Deployment", "contact-service").spec.template.metadata.annotations["prometheus.io/scrape"],
    /Deployment leadsuite\/contact-service: pod template needs prometheus\.io\/scrape/],
  ["a namespace without the restricted Pod Security Standard", (o) => (find(o, "Namespace", "leadsuite").metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"),
    /Namespace leadsuite: needs label pod-security\.kubernetes\.io\/enforce: restricted/],
  ["a PodDisruptionBudget that selects nothing", (o) => (find(o, "PodDisruptionBudget", "gateway").spec.selector.matchLabels = { app: "gw" }),
    /PodDisruptionBudget leadsuite\/gateway: selects no pods/],
];

for (const [what, breakIt, message] of breakages) {
  test(`policy fails on ${what}`, () => {
    const objects = rendered("prod");
    assert.deepEqual(policy(objects), [], "the unbroken copy passes");
    breakIt(objects);
    expectProblem(policy(objects), message);
  });
}

test("dev StatefulSets are checked too: PostgreSQL without a readiness probe fails", () => {
  const objects = rendered("dev");
  delete find(objects, "StatefulSet", "postgres").spec.template.spec.containers[0].readinessProbe;
  expectProblem(policy(objects, "dev"), /StatefulSet leadsuite-dev\/postgres: container postgres: no readinessProbe/);
});

test("schema validation rejects unknown fields and wrong types", async () => {
  const objects = rendered("prod");
  find(objects, "Deployment", "gateway").spec.replicaz = 3;
  container(objects, "lead-service").livenessProbe.httpGet.paht = "/q/health/live";
  find(objects, "Service", "contact-service").spec.ports[0].port = "8081";
  find(objects, "NetworkPolicy", "default-deny-all").spec.policyType = ["Ingress"];
  const problems = await validateObjects(objects);
  expectProblem(problems, /Deployment leadsuite\/gateway: unknown field spec\.replicaz/);
  expectProblem(problems, /Deployment leadsuite\/lead-service: unknown field spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.paht/);
  expectProblem(problems, /Service leadsuite\/contact-service: schema: .*port must be integer/);
  expectProblem(problems, /NetworkPolicy leadsuite\/default-deny-all: unknown field spec\.policyType/);
  assert.deepEqual(await validateObjects(rendered("prod")), [], "the unbroken copy passes");
});

test("configuration check fails on a missing value and on a variable no service reads", () => {
  const objects = rendered("prod");
  delete configMapOf(objects, "scoring-service").data.LEADSUITE_DB_SSL_MODE;
  configMapOf(objects, "lead-service").data.LEADSUITE_DB_HSOT = "db";
  container(objects, "contact-service").env = container(objects, "contact-service").env.filter((e) => e.name !== "LEADSUITE_DB_HOST");
  const problems = checkConfig(ROOT, "prod", objects, documentedSecrets(SECRETS, "prod"));
  expectProblem(problems, /overlay prod: scoring-service reads LEADSUITE_DB_SSL_MODE \(leadsuite\.db\.ssl-mode \(local default disable\)\) but the overlay gives it no value/);
  expectProblem(problems, /overlay prod: Deployment leadsuite\/lead-service sets LEADSUITE_DB_HSOT, which lead-service does not read/);
  expectProblem(problems, /overlay prod: contact-service reads LEADSUITE_DB_HOST .* but the overlay gives it no value/);
});

test("prod scaling check fails below two replicas", () => {
  const objects = rendered("prod");
  find(objects, "Deployment", "scoring-service").spec.replicas = 1;
  find(objects, "HorizontalPodAutoscaler", "gateway").spec.minReplicas = 1;
  const problems = checkReplicas(objects, 2);
  expectProblem(problems, /Deployment leadsuite\/scoring-service: replicas 1 < 2/);
  expectProblem(problems, /HorizontalPodAutoscaler leadsuite\/gateway: minReplicas 1 < 2/);
});

test("the whole check (check.mjs) fails on a broken copy of deploy/ and of a service's configuration", () => {
  const dir = copyRepository();
  try {
    const run = () => runCheck(dir);
    assert.equal(run().status, 0, "the unbroken copy passes");
    // 1. prod no longer says how to reach the broker over TLS
    const prod = join(dir, "deploy/overlays/prod/kustomization.yaml");
    writeFileSync(prod, readFileSync(prod, "utf8").replace("      - LEADSUITE_AMQP_TLS=true\n", ""));
    // 2. a service starts reading a new key with a local-only default that no overlay sets
    const props = join(dir, "lead-service/src/main/resources/application.properties");
    writeFileSync(props, readFileSync(props, "utf8") + "\nleadsuite.webhooks.proxy-url=http://localhost:3128\n");
    // 3. the base gateway loses its readiness probe
    const gw = join(dir, "deploy/base/gateway.yaml");
    writeFileSync(gw, readFileSync(gw, "utf8").replace(/          readinessProbe:\n(            .*\n|              .*\n)+/, ""));
    // 4. the dev overlay refers to a Secret key that is neither generated nor documented
    const devk = join(dir, "deploy/overlays/dev/kustomization.yaml");
    writeFileSync(devk, readFileSync(devk, "utf8").replace("literals: [host=artemis, port=5672]", "literals: [hostname=artemis, port=5672]"));
    const { status, stderr } = run();
    assert.equal(status, 1);
    for (const overlay of ["dev", "prod"]) {
      assert.match(stderr, new RegExp(`overlay ${overlay}: lead-service reads LEADSUITE_WEBHOOKS_PROXY_URL`));
      assert.match(stderr, new RegExp(`overlays/${overlay}: Deployment leadsuite(-dev)?/gateway: container gateway: no readinessProbe`));
    }
    assert.match(stderr, /overlay prod: contact-service reads LEADSUITE_AMQP_TLS \(leadsuite\.amqp\.tls \(local default false\)\) but the overlay gives it no value/);
    assert.match(stderr, /overlays\/dev: Deployment leadsuite-dev\/lead-service: container lead-service: env LEADSUITE_AMQP_HOST refers to Secret leadsuite-amqp-\w+ key host, which no manifest or deploy\/secrets\.yaml provides/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
