// Monitoring (the service-monitor component): every alert of a PrometheusRule has a severity, a summary and a `for`,
// every Grafana dashboard ConfigMap holds dashboards that parse, with a uid, a title and a query in every panel, and
// every leadsuite_* series an alert or a panel names is one the services export (a Micrometer meter registered in the
// Java sources, under the name Prometheus gives it: the counter "leadsuite.outbox.sent" is leadsuite_outbox_sent_total).
// A renamed meter, or a unit left out, would otherwise leave an alert that can never fire and a panel that stays empty.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { id } from "./render.mjs";

/**
 * The series the services export, read from their Java sources: each Micrometer meter named "leadsuite.*" with the
 * names Prometheus gives it (a counter x.y: x_y_total; a timer: x_y_seconds_count, _sum, _max and _bucket; a gauge:
 * x_y, with its base unit appended when it has one).
 */
export function registeredMeters(root) {
  const series = new Set();
  const add = (kind, name, statement) => {
    const base = name.replace(/[.-]/g, "_");
    const unit = /\.baseUnit\("([a-z]+)"\)/.exec(statement)?.[1];
    if (kind === "counter") series.add(`${base}_total`);
    else if (kind === "timer") for (const s of ["count", "sum", "max", "bucket"]) series.add(`${base}_seconds_${s}`);
    else if (kind === "summary") for (const s of ["count", "sum", "max", "bucket"]) series.add(`${base}${unit ? `_${unit}` : ""}_${s}`);
    else series.add(unit ? `${base}_${unit}` : base);
  };
  const kinds = { Counter: "counter", Timer: "timer", Gauge: "gauge", DistributionSummary: "summary" };
  const read = (text) => {
    for (const m of text.matchAll(/\b(Counter|Timer|Gauge|DistributionSummary)\.builder\(\s*"(leadsuite\.[a-z0-9.-]+)"/g))
      add(kinds[m[1]], m[2], text.slice(m.index, text.indexOf(";", m.index)));
    for (const m of text.matchAll(/\bregistry\.(counter|timer|gauge|gaugeMapSize|gaugeCollectionSize)\(\s*"(leadsuite\.[a-z0-9.-]+)"/g))
      add(m[1].startsWith("gauge") ? "gauge" : m[1], m[2], "");
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === "target" || entry === "node_modules" || entry.startsWith(".")) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".java")) read(readFileSync(path, "utf8"));
    }
  };
  for (const module of readdirSync(root)) {
    const dir = join(root, module, "src", "main");
    try {
      if (statSync(dir).isDirectory()) walk(dir);
    } catch {
      // not a module
    }
  }
  return series;
}

function metricsIn(expr) {
  return [...new Set([...String(expr).matchAll(/\b(leadsuite_[a-z0-9_]+)/g)].map((m) => m[1]))];
}

export function checkMonitoring(root, objects, exported = registeredMeters(root)) {
  const problems = [];
  for (const rule of objects.filter((o) => o.kind === "PrometheusRule")) {
    for (const group of rule.spec?.groups || []) {
      for (const r of group.rules || []) {
        const name = r.alert || r.record;
        if (r.alert) {
          if (!r.labels?.severity) problems.push(`${id(rule)}: alert ${name} has no severity label`);
          if (!r.annotations?.summary) problems.push(`${id(rule)}: alert ${name} has no summary annotation`);
          if (!r.for) problems.push(`${id(rule)}: alert ${name} has no 'for' (it would fire on one scrape)`);
        }
        for (const series of metricsIn(r.expr))
          if (!exported.has(series)) problems.push(`${id(rule)}: alert ${name} uses ${series}, which no service registers`);
      }
    }
  }
  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.metadata?.labels?.grafana_dashboard === "1")) {
    for (const [file, text] of Object.entries(cm.data || {})) {
      let dashboard;
      try {
        dashboard = JSON.parse(text);
      } catch (e) {
        problems.push(`${id(cm)}: ${file} is not JSON (${e.message})`);
        continue;
      }
      if (!dashboard.uid || !dashboard.title) problems.push(`${id(cm)}: ${file} has no uid or title`);
      for (const panel of dashboard.panels || []) {
        if (panel.type === "row") continue;
        if (!(panel.targets || []).some((t) => t.expr)) problems.push(`${id(cm)}: ${file}: panel "${panel.title}" has no query`);
        for (const t of panel.targets || [])
          for (const series of metricsIn(t.expr))
            if (!exported.has(series)) problems.push(`${id(cm)}: ${file}: panel "${panel.title}" uses ${series}, which no service registers`);
      }
    }
  }
  return problems;
}
