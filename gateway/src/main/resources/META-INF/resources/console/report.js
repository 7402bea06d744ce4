// The closed-loop report: what the leads created in a period became, by source, campaign, topic or owner (leads,
// MQL, SAL, SQL, opportunities, won, lost, pipeline and won revenue, conversion, SLA breaches), as a table, with the
// same report as a CSV file to download (asked of the API with Accept: text/csv).
import { h, replace, field, humanise } from './dom.js';
import { api, query, problemView } from './api.js';
import { amount } from './campaigns.js';

const KEY = 'leadsuite.console.report';
const DIMENSIONS = ['source', 'campaign', 'topic', 'owner'];
const DAY = 86400_000;

/** yyyy-mm-dd of a date (UTC) */
const isoDay = (d) => d.toISOString().slice(0, 10);
const percent = (r) => (r === null || r === undefined ? '–' : `${Math.round(r * 1000) / 10} %`);

export function renderReport(main) {
  const prefs = JSON.parse(sessionStorage.getItem(KEY) || '{}');
  const today = new Date();
  const by = h('select', { id: 'report-by', name: 'by', onchange: load },
    DIMENSIONS.map((d) => h('option', { value: d, selected: (prefs.by || 'campaign') === d }, humanise(d))));
  const from = h('input', { id: 'report-from', name: 'from', type: 'date', required: true, value: prefs.from || isoDay(new Date(today.getTime() - 30 * DAY)), onchange: load });
  const to = h('input', { id: 'report-to', name: 'to', type: 'date', required: true, value: prefs.to || isoDay(today), onchange: load });
  const csv = h('a', { class: 'btn', id: 'report-csv', hidden: true }, 'Download CSV');
  const result = h('div', { id: 'report', 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Closed-loop report'),
    h('p', { class: 'muted' }, 'The leads created in the period, what each step made of them and the revenue they won.')), csv),
  h('form', { class: 'filters', role: 'search', 'aria-label': 'Choose the report', onsubmit: (e) => { e.preventDefault(); load(); } },
    field('By', by), field('Created from', from), field('up to (inclusive)', to)), result);
  let generation = 0;
  let csvUrl = null;
  load();
  return () => {
    generation++;
    if (csvUrl) URL.revokeObjectURL(csvUrl);
  };

  async function load() {
    const mine = ++generation;
    if (!from.value || !to.value) return;
    sessionStorage.setItem(KEY, JSON.stringify({ by: by.value, from: from.value, to: to.value }));
    // [from, to + 1 day): the days as chosen, in UTC
    const params = { by: by.value, from: `${from.value}T00:00:00Z`, to: `${isoDay(new Date(Date.parse(to.value) + DAY))}T00:00:00Z` };
    result.setAttribute('aria-busy', 'true');
    csv.hidden = true;
    let report;
    let text;
    try {
      [report, text] = await Promise.all([api('GET', `/reports/closed-loop${query(params)}`),
        api('GET', `/reports/closed-loop${query(params)}`, { accept: 'text/csv' })]);
    } catch (e) {
      if (mine === generation) replace(result, problemView(e));
      return;
    } finally {
      if (mine === generation) result.removeAttribute('aria-busy');
    }
    if (mine !== generation) return;
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    csv.href = csvUrl;
    csv.download = `closed-loop-by-${by.value}-${from.value}-to-${to.value}.csv`;
    csv.hidden = false;
    draw(report);
    result.dataset.loaded = [by.value, from.value, to.value].join('|');
  }

  function draw(report) {
    if (!report.rows.length) {
      replace(result, h('p', { class: 'empty' }, 'No lead was created in this period.'));
      return;
    }
    const cols = [
      ['Leads', (r) => r.leads], ['MQL', (r) => r.mql], ['SAL', (r) => r.sal], ['SQL', (r) => r.sql],
      ['Opportunities', (r) => r.opportunities], ['Won', (r) => r.won], ['Lost', (r) => r.lost],
      ['Pipeline', (r) => amount(r.pipelineRevenue)], ['Won revenue', (r) => amount(r.wonRevenue)],
      ['Lead to won', (r) => percent(r.conversion.leadToWon)], ['Disqualified', (r) => r.disqualified],
      ['Rejected', (r) => r.rejected], ['SLA breached', (r) => percent(r.slaBreachRate)], ['Open now', (r) => r.ageing.open],
    ];
    replace(result, h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'report-table' },
      h('caption', null, `By ${report.by}, leads created from ${from.value} to ${to.value}`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, humanise(report.by)), cols.map(([c]) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', null, report.rows.map((r) => h('tr', { dataset: { key: r.key === null ? '' : r.key } },
        h('th', { scope: 'row' }, r.key === null ? h('span', { class: 'muted' }, 'none') : r.key),
        cols.map(([c, value]) => h('td', { class: 'num', dataset: { col: c } }, String(value(r))))))))),
    reasons('Disqualification reasons', report.disqualificationReasons),
    reasons('Rejection reasons', report.rejectionReasons));
  }

  function reasons(title, list) {
    if (!list.length) return null;
    return h('section', { class: 'panel' }, h('h2', null, title), h('table', { class: 'table' },
      h('thead', null, h('tr', null, [humanise(by.value), 'Reason', 'Leads'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, list.map((r) => h('tr', null, h('td', null, r.key === null ? 'none' : r.key),
        h('td', null, r.reason || '–'), h('td', { class: 'num' }, String(r.count)))))));
  }
}
