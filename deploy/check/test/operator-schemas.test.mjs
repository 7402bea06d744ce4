// Our schemas of the operators' resources (deploy/check/schemas) reject unknown fields and wrong types: for every
// kind deploy/ uses, a copy broken each way fails with the right message, and the unbroken resources pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { rendered, find, expectProblem, ROOT } from "../lib/testing.mjs";
import { validateObjects, OPERATOR_SCHEMAS } from "../lib/schema.mjs";

const ALL = "fixtures/prod-with-all-components";

/** kind -> [[what, break it, message], ...]: an unknown field and a wrong type (or value) for each */
const breakages = {
  Cluster: [
    ["an unknown field", (o) => (find(o, "Cluster", "leadsuite-pg").spec.instance = 3), /Cluster leadsuite\/leadsuite-pg: unknown field spec\.instance$/],
    ["instances as a string", (o) => (find(o, "Cluster", "leadsuite-pg").spec.instances = "3"), /Cluster leadsuite\/leadsuite-pg: schema: spec\.instances must be integer/],
    ["a role attribute misspelt", (o) => (find(o, "Cluster", "leadsuite-pg").spec.managed.roles[1].createDB = false), /Cluster leadsuite\/leadsuite-pg: unknown field spec\.managed\.roles\[1\]\.createDB/],
    ["postInitSQL as one string", (o) => (find(o, "Cluster", "leadsuite-pg").spec.bootstrap.initdb.postInitSQL = "ALTER ROLE x"), /spec\.bootstrap\.initdb\.postInitSQL must be array/],
  ],
  Database: [
    ["an unknown field", (o) => (find(o, "Database", "leadsuite-pg-lead").spec.reclaimPolicy = "retain"), /Database leadsuite\/leadsuite-pg-lead: unknown field spec\.reclaimPolicy/],
    ["owner as a number", (o) => (find(o, "Database", "leadsuite-pg-lead").spec.owner = 7), /Database leadsuite\/leadsuite-pg-lead: schema: spec\.owner must be string/],
  ],
  Pooler: [
    ["an unknown field", (o) => (find(o, "Pooler", "leadsuite-pg-pooler").spec.pgbouncer.pool_mode = "session"), /Pooler leadsuite\/leadsuite-pg-pooler: unknown field spec\.pgbouncer\.pool_mode/],
    ["a pool mode PgBouncer does not have", (o) => (find(o, "Pooler", "leadsuite-pg-pooler").spec.pgbouncer.poolMode = "statement"), /spec\.pgbouncer\.poolMode must be equal to one of the allowed values \(session, transaction\)/],
    ["a parameter that is not a string", (o) => (find(o, "Pooler", "leadsuite-pg-pooler").spec.pgbouncer.parameters.max_client_conn = 1000), /spec\.pgbouncer\.parameters\.max_client_conn must be string/],
  ],
  ActiveMQArtemis: [
    ["an unknown field", (o) => (find(o, "ActiveMQArtemis", "leadsuite-broker").spec.deploymentPlan.replicas = 2), /ActiveMQArtemis leadsuite\/leadsuite-broker: unknown field spec\.deploymentPlan\.replicas/],
    ["the acceptor port as a string", (o) => (find(o, "ActiveMQArtemis", "leadsuite-broker").spec.acceptors[0].port = "5671"), /spec\.acceptors\[0\]\.port must be integer/],
    ["a broker property without a value", (o) => find(o, "ActiveMQArtemis", "leadsuite-broker").spec.brokerProperties.push("journalDatasync"), /spec\.brokerProperties\[\d+\] must match pattern/],
  ],
  ScaledObject: [
    ["an unknown trigger parameter", (o) => (find(o, "ScaledObject", "lead-service").spec.triggers[0].metadata.queue = "x"), /ScaledObject leadsuite\/lead-service: unknown field spec\.triggers\[0\]\.metadata\.queue$/],
    ["a CPU target as a number", (o) => (find(o, "ScaledObject", "lead-service").spec.triggers.at(-1).metadata.value = 70), /ScaledObject leadsuite\/lead-service: schema: spec\.triggers\[\d+\]\.metadata\.value must be string/],
    ["a trigger type KEDA does not have here", (o) => (find(o, "ScaledObject", "scoring-service").spec.triggers[0].type = "artemis"), /spec\.triggers\[0\]\.type must be equal to one of the allowed values/],
  ],
  TriggerAuthentication: [
    ["an unknown field", (o) => (find(o, "TriggerAuthentication", "leadsuite-broker-management").spec.secretTargetRef[0].keys = "x"), /TriggerAuthentication leadsuite\/leadsuite-broker-management: unknown field spec\.secretTargetRef\[0\]\.keys/],
    ["secretTargetRef as an object", (o) => (find(o, "TriggerAuthentication", "leadsuite-broker-management").spec.secretTargetRef = { name: "x" }), /spec\.secretTargetRef must be array/],
  ],
  HTTPRoute: [
    ["an unknown field", (o) => (find(o, "HTTPRoute", "gateway").spec.rule = []), /HTTPRoute leadsuite\/gateway: unknown field spec\.rule$/],
    ["a backend port as a string", (o) => (find(o, "HTTPRoute", "gateway").spec.rules[0].backendRefs[0].port = "8080"), /HTTPRoute leadsuite\/gateway: schema: spec\.rules\[0\]\.backendRefs\[0\]\.port must be integer/],
    ["a path match type Gateway API does not have", (o) => (find(o, "HTTPRoute", "gateway").spec.rules[1].matches[0].path.type = "Prefix"), /spec\.rules\[1\]\.matches\[0\]\.path\.type must be equal to one of the allowed values/],
  ],
};

test("every kind our operator schemas define is broken by a test here, and every schema names its operator version", () => {
  const defined = [];
  for (const f of Object.values(OPERATOR_SCHEMAS)) {
    const schema = JSON.parse(readFileSync(join(ROOT, "deploy/check/schemas", f), "utf8"));
    assert.match(schema.$comment, /(CloudNativePG|ArtemisCloud operator|KEDA|Gateway API) v?\d+\.\d+/, `${f} names the operator version it was written for`);
    assert.match(f, /-\d+\.\d+\.json$/);
    for (const [k, d] of Object.entries(schema.definitions)) if (d.properties?.kind?.const) defined.push(k);
  }
  assert.deepEqual(Object.keys(breakages).sort(), defined.sort());
  assert.deepEqual(readdirSync(join(ROOT, "deploy/check/schemas")).sort(), [...Object.values(OPERATOR_SCHEMAS), "kubernetes-subset.json"].sort());
});

test("the operators' resources as deploy/ renders them pass their schemas", async () => {
  assert.deepEqual(await validateObjects(rendered(ALL)), []);
});

for (const [kind, cases] of Object.entries(breakages)) {
  for (const [what, breakIt, message] of cases) {
    test(`${kind} schema: fails on ${what}`, async () => {
      const objects = rendered(ALL);
      breakIt(objects);
      expectProblem(await validateObjects(objects), message);
    });
  }
}

test("an operator resource of a version we have no schema for fails, instead of passing unchecked", async () => {
  const objects = rendered(ALL);
  find(objects, "Cluster", "leadsuite-pg").apiVersion = "postgresql.cnpg.io/v2";
  expectProblem(await validateObjects(objects), /Cluster leadsuite\/leadsuite-pg: no schema for postgresql\.cnpg\.io\/v2 Cluster/);
});
