// The real overlays and fixtures: they render, every object validates strictly, and every check passes.
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
      assert.equal(container(objects, s).image, `ghcr.io/leadsuite/${s}:${tag}`);
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

test("prod: at least two replicas of each service, HPA on CPU from 2, PDB maxUnavailable 1", () => {
  const objects = rendered("prod");
  assert.deepEqual(checkReplicas(objects, 2), []);
  for (const s of SERVICES) {
    assert.equal(find(objects, "HorizontalPodAutoscaler", s).spec.metrics[0].resource.name, "cpu");
    assert.equal(find(objects, "PodDisruptionBudget", s).spec.maxUnavailable, 1);
    assert.equal(find(objects, "PodDisruptionBudget", s).spec.minAvailable, undefined);
  }
});

test("dev: PostgreSQL and Artemis run in the cluster as StatefulSets with volumes, Artemis from deploy/broker/broker.xml", async () => {
  const objects = rendered("dev");
  const { readFileSync } = await import("node:fs");
  for (const name of ["postgres", "artemis"]) assert.ok(find(objects, "StatefulSet", name).spec.volumeClaimTemplates.length > 0);
  const broker = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("artemis-broker"));
  assert.equal(broker.data["broker.xml"], readFileSync(`${ROOT}/deploy/broker/broker.xml`, "utf8"));
  assert.equal(find(objects, "StatefulSet", "artemis").spec.template.spec.containers[0].image, "docker.io/apache/activemq-artemis:2.40.0");
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
  // the migration Jobs and the wait-for-schema steps reach the database over TLS too: the trust store comes first
  for (const o of objects.filter((x) => x.kind === "Job" || x.kind === "Deployment")) {
    const spec = o.spec.template.spec;
    assert.equal(spec.initContainers[0].name, "truststore", `${o.kind} ${o.metadata.name}`);
    for (const c of [...spec.initContainers.slice(1), ...spec.containers])
      assert.ok(c.volumeMounts.some((m) => m.name === "truststore"), `${o.kind} ${o.metadata.name}: ${c.name} mounts the trust store`);
  }
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

test("every overlay and every fixture (overlay + optional components) passes every check", async () => {
  const { targets, checkTarget, checkRepository } = await import("../lib/targets.mjs");
  const repository = checkRepository(ROOT);
  assert.deepEqual(repository.problems, []);
  const names = [];
  for (const target of targets(ROOT)) {
    names.push(target.name);
    assert.deepEqual((await checkTarget(ROOT, target, repository.naming)).problems, [], target.name);
  }
  for (const c of ["cloudnative-pg", "artemiscloud", "keda", "gateway-api", "service-monitor"])
    assert.ok(names.some((n) => n === `fixtures/prod-with-${c}`), `a fixture renders component ${c} on its own`);
  assert.ok(names.includes("fixtures/prod-with-all-components"), "a fixture renders all components together");
});

test("the data tier: CloudNativePG roles, databases and a session-mode Pooler; an ArtemisCloud live-backup pair; KEDA on queue depth", () => {
  const objects = rendered("fixtures/prod-with-all-components");
  const cluster = find(objects, "Cluster", "leadsuite-pg");
  const roles = Object.fromEntries(cluster.spec.managed.roles.map((r) => [r.name, r]));
  for (const db of ["contact", "lead", "scoring"]) {
    assert.equal(objects.find((o) => o.kind === "Database" && o.spec.name === db).spec.owner, `${db}_migrator`);
    assert.equal(roles[`${db}_service`].createdb, false);
    assert.ok(cluster.spec.bootstrap.initdb.postInitSQL.includes(`ALTER ROLE ${db}_service SET idle_in_transaction_session_timeout = '30s'`));
  }
  assert.equal(find(objects, "Pooler", "leadsuite-pg-pooler").spec.pgbouncer.poolMode, "session");
  const broker = find(objects, "ActiveMQArtemis", "leadsuite-broker");
  assert.equal(broker.spec.deploymentPlan.size, 2);
  assert.ok(broker.spec.brokerProperties.includes('addressConfigurations."lead-events".queueConfigs."lead-events.scoring-service".routingType=MULTICAST'));
  for (const s of ["lead-service", "scoring-service"]) {
    assert.ok(find(objects, "ScaledObject", s).spec.triggers.some((t) => t.type === "artemis-queue"));
    assert.equal(objects.filter((o) => o.kind === "HorizontalPodAutoscaler" && o.metadata.name === s).length, 0, `${s}: KEDA owns its HPA`);
  }
  find(objects, "HorizontalPodAutoscaler", "gateway");
  find(objects, "HTTPRoute", "gateway");
  find(objects, "Ingress", "gateway");
});
