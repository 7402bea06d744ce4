// Monitoring (the service-monitor component): every alert of a PrometheusRule has a severity, a summary and a `for`,
// every Grafana dashboard ConfigMap holds dashboards that parse, with a uid, a title and a query in every panel, and
// every leadsuite_* metric an alert or a panel names is one the services register (a Micrometer meter named in the
// Java sources: leadsuite_outbox_sent_total is the counter "leadsuite.outbox.sent"; the unit suffix is not checked). A
// renamed meter would otherwise leave an alert that can never fire and a panel that stays empty.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { id } from "./render.mjs";

const SUFFIXES = ["_total", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max", "_seconds", "_bytes"];

/** The meter names ("leadsuite.x.y") the services' Java sources register. */
export function registeredMeters(root) {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === "target" || entry === "node_modules" || entry.startsWith(".")) continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (entry.endsWith(".java") && path.includes(join("src", "main")))
        for (const m of readFileSync(path, "utf8").matchAll(/"(leadsuite\.[a-z0-9.\-]+)"/g)) names.add(m[1]);
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
  return names;
}

/** The meter a Prometheus series name comes from, as candidates ("leadsuite_outbox_sent_total" -> leadsuite.outbox.sent). */
function meterCandidates(series) {
  const bases = new Set([series]);
  for (const s of SUFFIXES) if (series.endsWith(s)) bases.add(series.slice(0, -s.length));
  return [...bases].map((b) => b.replace(/_/g, "."));
}

function known(series, meters) {
  return meterCandidates(series).some((candidate) => [...meters].some((m) => m.replace(/-/g, ".") === candidate));
}

function metricsIn(expr) {
  return [...new Set([...String(expr).matchAll(/\b(leadsuite_[a-z0-9_]+)/g)].map((m) => m[1]))];
}

export function checkMonitoring(root, objects, meters = registeredMeters(root)) {
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
        for (const series of metricsIn(r.expr)) {
          if (!known(series, meters)) problems.push(`${id(rule)}: alert ${name} uses ${series}, which no service registers`);
        }
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
            if (!known(series, meters)) problems.push(`${id(cm)}: ${file}: panel "${panel.title}" uses ${series}, which no service registers`);
      }
    }
  }
  return problems;
}
