// The consistency checks fail, with the right message, on deliberately broken copies: images and the CI workflow,
// readiness without the broker, migrations and database roles, the broker configuration, scaling on queue depth,
// the edge, placement, and the local cluster path.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { rendered, find, container, configMapOf, expectProblem, copyRepository, edit, secretsFor, ROOT } from "../lib/testing.mjs";
import { render } from "../lib/render.mjs";
import { checkPolicy } from "../lib/policy.mjs";
import { baseImageNaming, checkTargetImages, checkWorkflow, checkApplicationNames } from "../lib/images.mjs";
import { checkReadiness } from "../lib/readiness.mjs";
import { checkDatabase } from "../lib/database.mjs";
import { checkBrokerResource, checkDevBroker } from "../lib/broker.mjs";
import { checkScaling } from "../lib/scaling.mjs";
import { checkEdge } from "../lib/edge.mjs";
import { checkLocalCluster } from "../lib/local-cluster.mjs";

const copies = [];
const copy = () => {
  const dir = copyRepository();
  copies.push(dir);
  return dir;
};
after(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

const naming = () => baseImageNaming(render(join(ROOT, "deploy/base")));
const target = (overlay) => ({ name: `overlays/${overlay}`, overlay, components: [] });

// ---------------------------------------------------------------- images and the CI workflow (item 1)

test("images: the real base, overlays, workflow and application names pass", () => {
  const n = naming();
  assert.deepEqual(n.problems, []);
  assert.equal(`${n.registry}/${n.group}`, "ghcr.io/leadsuite");
  for (const o of ["dev", "prod"]) assert.deepEqual(checkTargetImages(ROOT, target(o), rendered(o), n), []);
  assert.deepEqual(checkWorkflow(ROOT, n), []);
  assert.deepEqual(checkApplicationNames(ROOT), []);
});

test("images: an unqualified name (Docker Hub) and the tag latest fail the policy", () => {
  const objects = rendered("prod");
  container(objects, "gateway").image = "leadsuite/gateway:1.0.0";
  container(objects, "lead-service").image = "ghcr.io/leadsuite/lead-service:latest";
  const problems = checkPolicy(objects, secretsFor("prod"));
  expectProblem(problems, /container gateway: image leadsuite\/gateway:1\.0\.0 must name its registry/);
  expectProblem(problems, /container lead-service: image ghcr\.io\/leadsuite\/lead-service:latest: the tag latest is not allowed/);
});

test("images: two tags in one overlay, another registry, a Job on another release fail", () => {
  const objects = rendered("prod");
  container(objects, "scoring-service").image = "ghcr.io/leadsuite/scoring-service:1.0.1";
  container(objects, "gateway").image = "docker.io/leadsuite/gateway:1.0.0";
  find(objects, "Job", "lead-service-migrate").spec.template.spec.containers[0].image = "ghcr.io/leadsuite/lead-service:0.9.0";
  const problems = checkTargetImages(ROOT, target("prod"), objects, naming());
  expectProblem(problems, /overlays\/prod: the four services must share one tag, found 0\.9\.0, 1\.0\.0, 1\.0\.1/);
  expectProblem(problems, /container gateway: image docker\.io\/leadsuite\/gateway:1\.0\.0 is not ghcr\.io\/leadsuite\/gateway/);
  expectProblem(problems, /Job leadsuite\/lead-service-migrate: container migrate: image ghcr\.io\/leadsuite\/lead-service:0\.9\.0 differs from Deployment lead-service's/);
});

test("images: dev must carry the project version, prod a release", () => {
  const dev = rendered("dev");
  for (const s of ["gateway", "contact-service", "lead-service", "scoring-service"]) {
    const d = find(dev, "Deployment", s).spec.template.spec;
    for (const c of [...d.initContainers, ...d.containers]) c.image = c.image.replace("1.0.0-SNAPSHOT", "0.9.0-SNAPSHOT");
    const j = dev.find((o) => o.kind === "Job" && o.metadata.name === `${s}-migrate`);
    if (j) j.spec.template.spec.containers[0].image = j.spec.template.spec.containers[0].image.replace("1.0.0-SNAPSHOT", "0.9.0-SNAPSHOT");
  }
  expectProblem(checkTargetImages(ROOT, target("dev"), dev, naming()), /overlays\/dev: tag 0\.9\.0-SNAPSHOT is not the project version 1\.0\.0-SNAPSHOT/);
  const prod = rendered("prod");
  for (const o of prod.filter((x) => x.kind === "Deployment" || x.kind === "Job"))
    for (const c of [...(o.spec.template.spec.initContainers || []), ...o.spec.template.spec.containers]) c.image = c.image.replace(":1.0.0", ":1.0.0-rc1");
  expectProblem(checkTargetImages(ROOT, target("prod"), prod, naming()), /overlays\/prod: tag 1\.0\.0-rc1 is not a release X\.Y\.Z/);
});

test("images: a tag in the base and mixed organisations in the base fail", () => {
  const base = render(join(ROOT, "deploy/base"));
  find(base, "Deployment", "gateway").spec.template.spec.containers[0].image = "ghcr.io/acme/gateway:1.0.0";
  const n = baseImageNaming(base);
  expectProblem(n.problems, /deploy\/base: Deployment gateway: container gateway: image ghcr\.io\/acme\/gateway:1\.0\.0 carries a tag/);
  expectProblem(n.problems, /deploy\/base: the services' images must share one registry and organisation, found ghcr\.io\/acme, ghcr\.io\/leadsuite/);
});

test("the CI workflow fails when it pushes elsewhere, builds other modules, tags otherwise or runs on branches", () => {
  const dir = copy();
  const wf = ".github/workflows/images.yaml";
  edit(dir, wf, "vars.IMAGE_REGISTRY || 'ghcr.io'", "vars.IMAGE_REGISTRY || 'quay.io'");
  edit(dir, wf, "-pl gateway,contact-service,lead-service,scoring-service", "-pl gateway,lead-service,scoring-service");
  edit(dir, wf, "-Dquarkus.container-image.tag=${GITHUB_REF_NAME#v}", "-Dquarkus.container-image.tag=latest");
  edit(dir, wf, '    tags:\n      - "v[0-9]+.[0-9]+.[0-9]+"', "    branches: [main]");
  const problems = checkWorkflow(dir, naming());
  expectProblem(problems, /-Dquarkus\.container-image\.registry must be ghcr\.io \(deploy\/base's images\), found quay\.io/);
  expectProblem(problems, /-pl must list exactly the four services/);
  expectProblem(problems, /-Dquarkus\.container-image\.tag must be the git tag without its v/);
  expectProblem(problems, /must run on pushed tags v\.\.\./);
  edit(dir, wf, "-Dquarkus.container-image.push=true", "-Dquarkus.container-image.push=false");
  expectProblem(checkWorkflow(dir, naming()), /no step runs the build with -Dquarkus\.container-image\.push=true/);
});

test("a service whose quarkus.application.name differs from its image name fails", () => {
  const dir = copy();
  edit(dir, "scoring-service/src/main/resources/application.properties", "quarkus.application.name=scoring-service", "quarkus.application.name=scoring");
  expectProblem(checkApplicationNames(dir), /scoring-service: quarkus\.application\.name is scoring, so the container-image extension would name its image scoring/);
});

// ---------------------------------------------------------------- readiness (item 3)

test("readiness: a broker channel left in readiness fails (mounted file without it, a new channel, a low ordinal, no mount)", () => {
  const objects = rendered("prod");
  assert.deepEqual(checkReadiness(ROOT, objects), []);
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("lead-service-quarkus"));
  cm.data["application.properties"] = cm.data["application.properties"].replace("quarkus.messaging.health.score-updates.readiness.enabled=false\n", "");
  const gw = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-quarkus"));
  gw.data["application.properties"] = gw.data["application.properties"].replace("config_ordinal=260", "config_ordinal=200");
  configMapOf(objects, "scoring-service").data.QUARKUS_CONFIG_LOCATIONS = "file:/etc/leadsuite/other/application.properties";
  const problems = checkReadiness(ROOT, objects);
  expectProblem(problems, /Deployment leadsuite\/lead-service: the broker is part of readiness: channel score-updates uses the broker/);
  expectProblem(problems, /Deployment leadsuite\/gateway: \/etc\/leadsuite\/quarkus\/application\.properties needs config_ordinal above 250/);
  expectProblem(problems, /Deployment leadsuite\/scoring-service: QUARKUS_CONFIG_LOCATIONS names file:\/etc\/leadsuite\/other\/application\.properties, which no ConfigMap volume/);
  expectProblem(problems, /Deployment leadsuite\/scoring-service: the broker is part of readiness: channel interactions/);
});

test("readiness: a channel added to a service's application.properties must be taken out of readiness too", () => {
  const dir = copy();
  const props = join(dir, "contact-service/src/main/resources/application.properties");
  writeFileSync(props, readFileSync(props, "utf8") + "\nmp.messaging.incoming.merge-requests.connector=smallrye-amqp\n");
  expectProblem(checkReadiness(dir, rendered("dev")), /Deployment leadsuite-dev\/contact-service: the broker is part of readiness: channel merge-requests/);
});

// ---------------------------------------------------------------- migrations and roles (item 4)

test("migrations: the real overlays and the CloudNativePG component pass", () => {
  for (const t of ["dev", "prod", "fixtures/prod-with-cloudnative-pg"]) assert.deepEqual(checkDatabase(rendered(t)), [], t);
});

test("migrations: a service that migrates, holds the migration role, or does not wait for the schema fails", () => {
  const objects = rendered("prod");
  configMapOf(objects, "lead-service").data.QUARKUS_FLYWAY_MIGRATE_AT_START = "true";
  container(objects, "contact-service").env.push({ name: "X", valueFrom: { secretKeyRef: { name: "contact-service-db-migration", key: "password" } } });
  const scoring = find(objects, "Deployment", "scoring-service").spec.template.spec;
  scoring.initContainers = scoring.initContainers.filter((c) => c.name !== "wait-for-schema");
  const problems = checkDatabase(objects);
  expectProblem(problems, /Deployment leadsuite\/lead-service: container lead-service: QUARKUS_FLYWAY_MIGRATE_AT_START must be false/);
  expectProblem(problems, /Deployment leadsuite\/contact-service: container contact-service reads Secret contact-service-db-migration/);
  expectProblem(problems, /Deployment leadsuite\/scoring-service: no init step that waits for the schema/);
});

test("migrations: a missing Job, a Job migrating as the service role or granting DDL fails", () => {
  const objects = rendered("dev");
  const i = objects.findIndex((o) => o.kind === "Job" && o.metadata.name === "scoring-service-migrate");
  objects.splice(i, 1);
  const lead = find(objects, "Job", "lead-service-migrate").spec.template.spec.containers[0];
  lead.env.find((e) => e.name === "QUARKUS_FLYWAY_USERNAME").valueFrom.secretKeyRef.name = lead.env.find((e) => e.name === "LEADSUITE_DB_USER").valueFrom.secretKeyRef.name;
  const contact = find(objects, "Job", "contact-service-migrate").spec.template.spec.containers[0];
  const sql = contact.env.find((e) => e.name === "QUARKUS_FLYWAY_INIT_SQL");
  sql.value += '; GRANT ALL ON SCHEMA public TO "$(LEADSUITE_DB_USER)"';
  const problems = checkDatabase(objects);
  expectProblem(problems, /Deployment leadsuite-dev\/scoring-service: 0 migration Jobs run its image/);
  expectProblem(problems, /Job leadsuite-dev\/lead-service-migrate: QUARKUS_FLYWAY_USERNAME must come from Secret lead-service-db-migration/);
  expectProblem(problems, /Job leadsuite-dev\/contact-service-migrate: QUARKUS_FLYWAY_INIT_SQL grants the service role more than data rights: "grant all on schema public"/);
});

test("dev roles: the init script without the idle timeout, with the service role owning its database or creating databases fails", () => {
  const objects = rendered("dev");
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("postgres-init"));
  let s = cm.data["10-leadsuite.sh"];
  s = s.replace("select format('alter role %I set idle_in_transaction_session_timeout = %L', :'role', '30s') \\gexec\n", "");
  s = s.replace("format('create database %I owner %I', :'db', :'owner')", "format('create database %I owner %I', :'db', :'role')");
  s = s.replace("create role %I login nosuperuser nocreatedb nocreaterole noreplication password %L', :'role'", "create role %I login createdb password %L', :'role'");
  cm.data["10-leadsuite.sh"] = s;
  const problems = checkDatabase(objects);
  expectProblem(problems, /dev PostgreSQL init script\): the service role needs alter role \.\.\. set idle_in_transaction_session_timeout = '30s'/);
  expectProblem(problems, /dev PostgreSQL init script\): the database must be owned by the migration role/);
  expectProblem(problems, /dev PostgreSQL init script\): the service role must be created nosuperuser nocreatedb nocreaterole/);
  expectProblem(problems, /dev PostgreSQL init script\): gives the service role DDL rights/);
});

test("dev roles: the migration role bound to the service's Secret fails", () => {
  const objects = rendered("dev");
  const pg = find(objects, "StatefulSet", "postgres").spec.template.spec.containers[0];
  pg.env.find((e) => e.name === "LEAD_MIGRATOR_USER").valueFrom.secretKeyRef = pg.env.find((e) => e.name === "LEAD_DB_USER").valueFrom.secretKeyRef;
  expectProblem(checkDatabase(objects), /lead-service: the owner must be the migration role of Secret lead-service-db-migration \(username\), found \$LEAD_MIGRATOR_USER/);
});

test("CloudNativePG: a service role with createdb, owning a database, without the idle timeout, and a transaction-mode Pooler fail", () => {
  const objects = rendered("fixtures/prod-with-cloudnative-pg");
  const cluster = find(objects, "Cluster", "leadsuite-pg");
  cluster.spec.managed.roles.find((r) => r.name === "lead_service").createdb = true;
  cluster.spec.bootstrap.initdb.postInitSQL = cluster.spec.bootstrap.initdb.postInitSQL.filter((q) => !q.startsWith("ALTER ROLE scoring_service"));
  find(objects, "Database", "leadsuite-pg-contact").spec.owner = "contact_service";
  find(objects, "Pooler", "leadsuite-pg-pooler").spec.pgbouncer.poolMode = "transaction";
  const problems = checkDatabase(objects);
  expectProblem(problems, /Cluster leadsuite\/leadsuite-pg: role lead_service must not have createdb/);
  expectProblem(problems, /Cluster leadsuite\/leadsuite-pg: postInitSQL lacks "ALTER ROLE scoring_service SET idle_in_transaction_session_timeout = '30s'"/);
  expectProblem(problems, /Database leadsuite\/leadsuite-pg-contact: owned by the service role contact_service/);
  expectProblem(problems, /Pooler leadsuite\/leadsuite-pg-pooler: pgbouncer\.poolMode must be session/);
});

// ---------------------------------------------------------------- the broker (item 2, and the dev broker)

test("ArtemisCloud: a queue of broker.xml missing, a setting that differs, an extra address and no backup fail", () => {
  const objects = rendered("fixtures/prod-with-artemiscloud");
  assert.deepEqual(checkBrokerResource(ROOT, objects), []);
  const b = find(objects, "ActiveMQArtemis", "leadsuite-broker");
  b.spec.brokerProperties = b.spec.brokerProperties
    .filter((p) => !p.includes('"contact-events.lead-service"') && !p.includes('securityRoles."lead-events".lead-service.send'))
    .map((p) => p.replace("addressSettings.#.maxDeliveryAttempts=12", "addressSettings.#.maxDeliveryAttempts=3").replace("broker-1.HAPolicyConfiguration=REPLICATION_BACKUP_QUORUM_VOTING", "broker-1.HAPolicyConfiguration=PRIMARY_ONLY"));
  b.spec.brokerProperties.push("addressConfigurations.audit.routingTypes=ANYCAST");
  // a service role that may manage the broker, which broker.xml grants nobody but the operator
  b.spec.brokerProperties.push("securityRoles.#.lead-service.manage=true");
  const problems = checkBrokerResource(ROOT, objects);
  expectProblem(problems, /brokerProperties must hold securityRoles\.lead-events\.lead-service\.send=true/);
  expectProblem(problems, /brokerProperties has securityRoles\.#\.lead-service\.manage, which deploy\/broker\/broker\.xml does not/);
  expectProblem(problems, /brokerProperties must hold addressConfigurations\.contact-events\.queueConfigs\.contact-events\.lead-service\.address=contact-events/);
  expectProblem(problems, /brokerProperties must hold addressSettings\.#\.maxDeliveryAttempts=12 \(broker\.xml <max-delivery-attempts>\), found 3/);
  expectProblem(problems, /brokerProperties has addressConfigurations\.audit\.routingTypes, which deploy\/broker\/broker\.xml does not/);
  expectProblem(problems, /broker-1\.HAPolicyConfiguration must make pod 1 its backup/);
});

test("ArtemisCloud: a queue added to broker.xml must reach the cluster broker too", () => {
  const dir = copy();
  edit(dir, "deploy/broker/broker.xml", '<queue name="score-updates.lead-service"/>', '<queue name="score-updates.lead-service"/>\n               <queue name="score-updates.crm-bridge"/>');
  expectProblem(checkBrokerResource(dir, rendered("fixtures/prod-with-artemiscloud")), /must hold addressConfigurations\.score-updates\.queueConfigs\.score-updates\.crm-bridge\.routingType=MULTICAST/);
});

test("dev broker: broker.xml reaches an existing instance on every start, and an edit restarts the broker", () => {
  assert.deepEqual(checkDevBroker(ROOT, rendered("dev")), []);
  const dir = copy();
  edit(dir, "deploy/broker/broker.xml", "<max-delivery-attempts>12</max-delivery-attempts>", "<max-delivery-attempts>13</max-delivery-attempts>");
  const before = find(rendered("dev"), "StatefulSet", "artemis").spec.template;
  const after = find(render(join(dir, "deploy/overlays/dev")), "StatefulSet", "artemis").spec.template;
  assert.notDeepEqual(after, before, "the pod template changes with broker.xml, so the broker restarts with it");
  const objects = rendered("dev");
  const sts = find(objects, "StatefulSet", "artemis").spec.template.spec;
  sts.initContainers = [];
  expectProblem(checkDevBroker(ROOT, objects), /StatefulSet leadsuite-dev\/artemis: no init container copies broker\.xml over the instance's etc\/broker\.xml on every start/);
});

// ---------------------------------------------------------------- scaling and placement (item 5)

test("KEDA: a consumed queue without a trigger, a wrong routing type, a missing management Service, and an HPA beside the ScaledObject fail", () => {
  const objects = rendered("fixtures/prod-with-keda");
  assert.deepEqual(checkScaling(ROOT, objects), []);
  const lead = find(objects, "ScaledObject", "lead-service");
  lead.spec.triggers = lead.spec.triggers.filter((t) => t.metadata.queueName !== "contact-events.lead-service");
  const scoring = find(objects, "ScaledObject", "scoring-service");
  scoring.spec.triggers[0].metadata.restApiTemplate = scoring.spec.triggers[0].metadata.restApiTemplate.replace("multicast", "anycast");
  scoring.spec.triggers[1].metadata.managementEndpoint = "artemis-console.leadsuite.svc:8161";
  const problems = checkScaling(ROOT, objects);
  expectProblem(problems, /ScaledObject leadsuite\/lead-service: lead-service consumes contact-events::contact-events\.lead-service, which no trigger watches/);
  expectProblem(problems, /trigger on lead-events\.scoring-service: reads routing-type anycast, but lead-events is multicast in broker\.xml/);
  expectProblem(problems, /trigger on contact-events\.scoring-service: managementEndpoint artemis-console\.leadsuite\.svc:8161: no Service artemis-console/);
  objects.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "lead-service-cpu", namespace: "leadsuite" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "lead-service" }, maxReplicas: 6 } });
  expectProblem(checkPolicy(objects, secretsFor("fixtures/prod-with-keda")), /both scale Deployment lead-service: two autoscalers on one Deployment fight/);
});

test("placement: a PodDisruptionBudget with minAvailable, and no spread over zones, fail", () => {
  const objects = rendered("prod");
  const pdb = find(objects, "PodDisruptionBudget", "lead-service");
  delete pdb.spec.maxUnavailable;
  pdb.spec.minAvailable = 1;
  const gw = find(objects, "Deployment", "gateway").spec.template.spec;
  gw.topologySpreadConstraints = gw.topologySpreadConstraints.filter((t) => t.topologyKey !== "topology.kubernetes.io/zone");
  find(objects, "Deployment", "scoring-service").spec.template.spec.topologySpreadConstraints[1].labelSelector.matchLabels = { "app.kubernetes.io/name": "lead-service" };
  const problems = checkPolicy(objects, secretsFor("prod"));
  expectProblem(problems, /PodDisruptionBudget leadsuite\/lead-service: must be maxUnavailable: 1 \(and no minAvailable\)/);
  expectProblem(problems, /Deployment leadsuite\/gateway: no topologySpreadConstraint over topology\.kubernetes\.io\/zone/);
  expectProblem(problems, /Deployment leadsuite\/scoring-service: the topologySpreadConstraint over kubernetes\.io\/hostname does not select the pod's own labels/);
});

test("operator pods: a Service or NetworkPolicy whose labels no pod (nor an operator's pod) carries fails", () => {
  const objects = rendered("fixtures/prod-with-all-components");
  find(objects, "Service", "leadsuite-broker").spec.selector = { ActiveMQArtemis: "broker" };
  find(objects, "NetworkPolicy", "postgres-instances").spec.podSelector.matchLabels["cnpg.io/podRole"] = "primary";
  const problems = checkPolicy(objects, secretsFor("fixtures/prod-with-all-components"));
  expectProblem(problems, /Service leadsuite\/leadsuite-broker: selects no pods/);
  expectProblem(problems, /NetworkPolicy leadsuite\/postgres-instances: podSelector selects no pods/);
});

// ---------------------------------------------------------------- the edge (item 6)

test("edge: forwarding headers trusted from everyone, or from no list at all, fail", () => {
  const objects = rendered("prod");
  assert.deepEqual(checkEdge(objects), []);
  configMapOf(objects, "gateway").data.QUARKUS_HTTP_PROXY_TRUSTED_PROXIES = "10.0.0.0/8,0.0.0.0/0";
  expectProblem(checkEdge(objects), /Deployment leadsuite\/gateway: QUARKUS_HTTP_PROXY_TRUSTED_PROXIES trusts every address \(0\.0\.0\.0\/0\)/);
  delete configMapOf(objects, "gateway").data.QUARKUS_HTTP_PROXY_TRUSTED_PROXIES;
  expectProblem(checkEdge(objects), /forwarding headers are honoured .* but QUARKUS_HTTP_PROXY_TRUSTED_PROXIES is not set/);
});

test("edge: an HTTPRoute publishing /q, one whose Gateway is not admitted, or pointing at a missing port fail", () => {
  const objects = rendered("fixtures/prod-with-gateway-api");
  assert.deepEqual(checkEdge(objects), []);
  const route = find(objects, "HTTPRoute", "gateway");
  route.spec.rules[1].matches[0].path.value = "/";
  route.spec.parentRefs[0].namespace = "istio-ingress";
  route.spec.rules[0].backendRefs[0].port = 80;
  expectProblem(checkEdge(objects), /HTTPRoute leadsuite\/gateway: publishes \/; only \/api may be published/);
  expectProblem(checkEdge(objects), /HTTPRoute leadsuite\/gateway: no NetworkPolicy admits the Gateway's namespace istio-ingress/);
  expectProblem(checkPolicy(objects, secretsFor("fixtures/prod-with-gateway-api")), /HTTPRoute leadsuite\/gateway: backendRef gateway: the Service has no port 80/);
});

// ---------------------------------------------------------------- the local cluster path (item 8)

test("local cluster: kind's pod network must be what the dev gateway trusts, and its workers span two zones", () => {
  assert.deepEqual(checkLocalCluster(ROOT, rendered("dev")), []);
  const dir = copy();
  edit(dir, "deploy/kind/cluster.yaml", "podSubnet: 10.244.0.0/16", "podSubnet: 10.10.0.0/16");
  edit(dir, "deploy/kind/cluster.yaml", "topology.kubernetes.io/zone: zone-b", "topology.kubernetes.io/zone: zone-a");
  edit(dir, "deploy/kind/up.sh", /kind load docker-image/g, "docker push");
  const problems = checkLocalCluster(dir, rendered("dev"));
  expectProblem(problems, /overlays\/dev: the gateway trusts 10\.244\.0\.0\/16, not kind's pod network 10\.10\.0\.0\/16/);
  expectProblem(problems, /deploy\/kind\/cluster\.yaml: the workers must span at least two zones/);
  expectProblem(problems, /deploy\/kind\/up\.sh: never loads the images into kind/);
});
