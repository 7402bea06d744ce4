// The funnel of a flow: leads that entered each stage in the period, the conversion to the next, and the median time
// in stage, as a chart (SVG) with the same figures in a table.
import { h, replace, svg, humanise, field } from './dom.js';
import { api, query, problemView } from './api.js';
import { flows } from './leads.js';

export function renderFunnel(main) {
  const flow = h('select', { id: 'funnel-flow', onchange: load });
  const days = h('select', { id: 'funnel-days', onchange: load }, [7, 30, 90, 365].map((d) => h('option', { value: String(d), selected: d === 30 }, `Last ${d} days`)));
  const chart = h('div', { class: 'panel', 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Funnel')),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() }, field('Flow', flow), field('Period', days)), chart);
  flows().then((list) => {
    replace(flow, list.map((f) => h('option', { value: f.id, selected: f.id === 'marketing-lead' }, f.name || f.id)));
    load();
  }).catch((e) => replace(chart, problemView(e)));

  async function load() {
    const to = new Date();
    const from = new Date(to.getTime() - Number(days.value) * 86400_000);
    let f;
    try {
      f = await api('GET', `/leads/funnel${query({ flow: flow.value, from: from.toISOString(), to: to.toISOString() })}`);
    } catch (e) {
      replace(chart, problemView(e));
      return;
    }
    const max = Math.max(1, ...f.stages.map((s) => Math.max(s.entered, s.current)));
    const conv = (s) => f.conversions.find((c) => c.from === s.stage);
    const rowH = 46, labelW = 310, barW = 520, width = labelW + barW + 110;
    const picture = svg('svg', { viewBox: `0 0 ${width} ${f.stages.length * rowH + 10}`, class: 'funnel-chart', role: 'img', 'aria-labelledby': 'funnel-title' },
      svg('title', { id: 'funnel-title' }, `Funnel of ${flow.value}: leads that entered each stage`),
      f.stages.map((s, i) => {
        const w = Math.max(2, Math.round((s.entered / max) * barW));
        const y = i * rowH + 8;
        const c = conv(s);
        return svg('g', null,
          svg('text', { x: labelW - 12, y: y + 20, 'text-anchor': 'end', class: 'funnel-label' }, s.name || humanise(s.stage)),
          svg('rect', { x: labelW + (barW - w) / 2, y, width: w, height: 28, rx: 5, class: 'funnel-bar' }),
          svg('text', { x: labelW + barW / 2, y: y + 19, 'text-anchor': 'middle', class: 'funnel-value' }, String(s.entered)),
          c && c.rate !== null && c.rate !== undefined ? svg('text', { x: labelW + barW + 12, y: y + 34, class: 'funnel-conv' }, `↓ ${Math.round(c.rate * 100)} %`) : null);
      }));
    replace(chart, picture,
      h('table', { class: 'table' }, h('caption', null, `${humanise(f.flow)} from ${from.toLocaleDateString()} to ${to.toLocaleDateString()}`),
        h('thead', null, h('tr', null, ['Stage', 'Entered', 'Left', 'In it now', 'Converted to next', 'Median time in stage'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, f.stages.map((s) => {
          const c = conv(s);
          return h('tr', null, h('th', { scope: 'row' }, s.name || humanise(s.stage)), h('td', { class: 'num' }, String(s.entered)), h('td', { class: 'num' }, String(s.left)),
            h('td', { class: 'num' }, String(s.current)),
            h('td', { class: 'num' }, c ? `${c.count}${c.rate !== null && c.rate !== undefined ? ` (${Math.round(c.rate * 100)} %)` : ''}` : '–'),
            h('td', { class: 'num' }, s.medianHoursInStage === null || s.medianHoursInStage === undefined ? '–' : `${s.medianHoursInStage.toFixed(1)} h`));
        }))));
  }
}
