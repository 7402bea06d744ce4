// The monitoring check fails, with the right message, on alerts and dashboards that name a metric no service
// registers, and on alerts an operator could not act on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rendered, ROOT } from "../lib/testing.mjs";
import { checkMonitoring, registeredMeters } from "../lib/monitoring.mjs";

const FIXTURE = "fixtures/prod-with-service-monitor";
const meters = registeredMeters(ROOT);
const rule = (objects) => objects.find((o) => o.kind === "PrometheusRule");
const alert = (objects, name) => rule(objects).spec.groups.flatMap((g) => g.rules).find((r) => r.alert === name);
const dashboards = (objects) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1");
const expectProblem = (problems, pattern) =>
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join("\n") || "(none)"}`);

test("the shipped alerts and dashboards pass, and name meters the services register", () => {
  assert.deepEqual(checkMonitoring(ROOT, rendered(FIXTURE), meters), []);
  for (const name of ["leadsuite_outbox_sent_total", "leadsuite_consumer_lag_seconds_bucket", "leadsuite_captures_total",
    "leadsuite_outbox_oldest_age_seconds", "leadsuite_outbox_waiting", "leadsuite_gateway_stream_clients"])
    assert.ok(meters.has(name), `${name} is exported by a service`);
});

test("an alert on a metric no service registers, or without its unit, fails", () => {
  const objects = rendered(FIXTURE);
  alert(objects, "LeadsuiteOutboxBacklog").expr = "max(leadsuite_outbox_oldest_age) > 120";
  expectProblem(checkMonitoring(ROOT, objects, meters), /alert LeadsuiteOutboxBacklog uses leadsuite_outbox_oldest_age, which no service registers/);
});

test("an alert without a severity, a summary or a 'for' fails", () => {
  const objects = rendered(FIXTURE);
  const a = alert(objects, "LeadsuiteConsumerLag");
  delete a.labels.severity;
  delete a.annotations.summary;
  delete a.for;
  const problems = checkMonitoring(ROOT, objects, meters);
  expectProblem(problems, /alert LeadsuiteConsumerLag has no severity label/);
  expectProblem(problems, /alert LeadsuiteConsumerLag has no summary annotation/);
  expectProblem(problems, /alert LeadsuiteConsumerLag has no 'for'/);
});

test("a dashboard panel on a renamed metric, or a dashboard that is not JSON, fails", () => {
  const objects = rendered(FIXTURE);
  const cm = dashboards(objects);
  const file = Object.keys(cm.data)[0];
  const dashboard = JSON.parse(cm.data[file]);
  dashboard.panels.find((p) => p.type !== "row").targets[0].expr = "sum(rate(leadsuite_captured_total[5m]))";
  cm.data[file] = JSON.stringify(dashboard);
  expectProblem(checkMonitoring(ROOT, objects, meters), /uses leadsuite_captured_total, which no service registers/);
  cm.data[file] = "{ not json";
  expectProblem(checkMonitoring(ROOT, objects, meters), /is not JSON/);
});
