// The real overlays: they render, every object validates strictly, and the policy and configuration checks pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rendered, SECRETS, ROOT, find, container } from "../lib/testing.mjs";
import { validateObjects } from "../lib/schema.mjs";
import { checkPolicy, checkReplicas } from "../lib/policy.mjs";
import { checkConfig, SERVICES, serviceConfig, infraEnvNames } from "../lib/config.mjs";
import { documentedSecrets } from "../lib/secrets-doc.mjs";

for (const overlay of ["dev", "prod"]) {
  test(`${overlay}: renders the four services with the overlay's image tags`, () => {
    const objects = rendered(overlay);
    const tag = overlay === "dev" ? "1.0.0-SNAPSHOT" : "1.0.0";
    for (const s of SERVICES) {
      assert.equal(container(objects, s).image, `leadsuite/${s}:${tag}`);
      for (const kind of ["Service", "ServiceAccount", "PodDisruptionBudget", "HorizontalPodAutoscaler"]) find(objects, kind, s);
    }
    find(objects, "Ingress", "gateway");
    assert.equal(objects.filter((o) => o.kind === "Ingress").length, 1, "an Ingress for the gateway only");
  });

  test(`${overlay}: every object validates against the Kubernetes schemas, unknown fields rejected`, async () => {
    assert.deepEqual(await validateObjects(rendered(overlay)), []);
  });

  test(`${overlay}: policy holds`, () => {
    assert.deepEqual(checkPolicy(rendered(overlay), documentedSecrets(SECRETS, overlay)), []);
  });

  test(`${overlay}: every setting the services need has a value, and no variable is set that they do not read`, () => {
    assert.deepEqual(checkConfig(ROOT, overlay, rendered(overlay), documentedSecrets(SECRETS, overlay)), []);
  });
}

test("prod: at least two replicas of each service, HPA on CPU from 2, PDB minAvailable 1", () => {
  const objects = rendered("prod");
  assert.deepEqual(checkReplicas(objects, 2), []);
  for (const s of SERVICES) assert.equal(find(objects, "HorizontalPodAutoscaler", s).spec.metrics[0].resource.name, "cpu");
});

test("dev: PostgreSQL and Artemis run in the cluster as StatefulSets with volumes, Artemis from deploy/broker/broker.xml", async () => {
  const objects = rendered("dev");
  const { readFileSync } = await import("node:fs");
  for (const name of ["postgres", "artemis"]) assert.ok(find(objects, "StatefulSet", name).spec.volumeClaimTemplates.length > 0);
  const broker = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("artemis-broker"));
  assert.equal(broker.data["broker.xml"], readFileSync(`${ROOT}/deploy/broker/broker.xml`, "utf8"));
  assert.equal(find(objects, "StatefulSet", "artemis").spec.template.spec.containers[0].image, "apache/activemq-artemis:2.40.0");
});

test("prod: TLS to PostgreSQL and AMQP, nothing in-cluster for either", () => {
  const objects = rendered("prod");
  for (const s of ["contact-service", "lead-service", "scoring-service"]) {
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(`${s}-config`));
    assert.equal(cm.data.LEADSUITE_DB_SSL_MODE, "verify-full");
    assert.equal(cm.data.LEADSUITE_DB_HOSTNAME_VERIFICATION_ALGORITHM, "HTTPS");
    assert.equal(cm.data.LEADSUITE_AMQP_TLS, "true");
    assert.match(cm.data.JAVA_OPTS_APPEND, /-Djavax\.net\.ssl\.trustStore=\/etc\/leadsuite\/truststore\/truststore\.p12/);
  }
  assert.equal(objects.filter((o) => o.kind === "StatefulSet" || o.kind === "Secret").length, 0);
});

test("local runs and the cluster use the same keys: what scripts/infra.sh writes is what the services read", () => {
  const infra = infraEnvNames(ROOT);
  assert.ok(infra.has("LEADSUITE_DB_HOST") && infra.has("LEADSUITE_AMQP_PASSWORD"), [...infra].join(" "));
  const lead = serviceConfig(ROOT, "lead-service");
  for (const name of ["LEADSUITE_DB_HOST", "LEADSUITE_DB_PORT", "LEADSUITE_AMQP_HOST", "LEADSUITE_JWT_PUBLIC_KEY", "LEADSUITE_CONTACT_SERVICE_URL", "LEADSUITE_DB_SSL_MODE"])
    assert.ok(lead.required.has(name), name);
});

test("each service's Dockerfile.jvm, Deployment and application.properties agree on user and port", async () => {
  const { readFileSync } = await import("node:fs");
  const { readProperties } = await import("../lib/config.mjs");
  const objects = rendered("prod");
  for (const s of SERVICES) {
    const dockerfile = readFileSync(`${ROOT}/${s}/src/main/docker/Dockerfile.jvm`, "utf8");
    const port = Number(readProperties(`${ROOT}/${s}/src/main/resources/application.properties`).props.get("quarkus.http.port"));
    const c = container(objects, s);
    assert.equal(c.ports[0].containerPort, port, `${s}: containerPort`);
    assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, "m"), `${s}: EXPOSE`);
    assert.match(dockerfile, /^USER 185$/m);
    assert.equal(c.securityContext.runAsUser, 185);
    assert.match(dockerfile, /^COPY --chown=185 target\/quarkus-app\/lib\/ \/deployments\/lib\/$/m, `${s}: fast-jar layout`);
  }
});

test("the optional ServiceMonitor component renders onto prod, validates, and selects the four Services", async () => {
  const { render } = await import("../lib/render.mjs");
  const objects = render(`${ROOT}/deploy/check/fixtures/prod-with-service-monitor`);
  assert.deepEqual(await validateObjects(objects), []);
  assert.deepEqual(checkPolicy(objects, documentedSecrets(SECRETS, "prod")), []);
  const sm = find(objects, "ServiceMonitor", "leadsuite");
  assert.equal(sm.metadata.namespace, "leadsuite");
  const selected = objects.filter((o) => o.kind === "Service" && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
  assert.deepEqual(selected.map((o) => o.metadata.name).sort(), [...SERVICES].sort());
  for (const s of selected) assert.equal(s.spec.ports[0].name, sm.spec.endpoints[0].port);
  sm.spec.endpoints[0].pth = "/q/metrics";
  assert.match((await validateObjects([sm])).join("\n"), /ServiceMonitor leadsuite\/leadsuite: unknown field spec\.endpoints\[0\]\.pth/);
});
