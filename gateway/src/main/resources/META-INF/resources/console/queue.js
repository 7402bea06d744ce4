// The work queue of telesales and sales: the team's open leads, mine first by default, overdue first, then by score;
// with the actions of the day (claim, qualify, sales-ready, move, disqualify).
import { h, replace, humanise, duration, toast } from './dom.js';
import { api, all, query, problemView, session } from './api.js';
import { onLive } from './live.js';
import { flows, contact, contactName, bestScore, gradeBadge, sla, slaBadge, moveDialog, reasonDialog, stageName } from './leads.js';

export function renderQueue(main) {
  let alive = true;
  const teams = ['telesales', 'sales'].filter((t) => session.has(t, 'admin'));
  const team = h('select', { id: 'queue-team', onchange: load }, teams.map((t) => h('option', { value: t }, humanise(t))));
  const whose = h('select', { id: 'queue-whose', onchange: draw },
    h('option', { value: 'mine' }, 'My leads'), h('option', { value: 'unassigned' }, 'Unassigned'), h('option', { value: 'all' }, 'Everyone\'s'));
  const list = h('div', { 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Work queue'), h('p', { class: 'muted' }, 'Overdue first, then by score.')),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field field-inline' }, h('label', { for: 'queue-team' }, 'Team'), team),
      h('div', { class: 'field field-inline' }, h('label', { for: 'queue-whose' }, 'Show'), whose)), list);
  let leads = [];
  let flowMap = new Map();
  load();

  async function load() {
    try {
      const [found, fl] = await Promise.all([all(`/leads${query({ team: team.value, status: 'OPEN' })}`, 600), flows()]);
      flowMap = new Map(fl.map((f) => [f.id, f]));
      leads = found;
    } catch (e) {
      replace(list, problemView(e));
      return;
    }
    if (alive) draw();
  }

  function draw() {
    const me = session.user;
    const shown = leads.filter((l) => whose.value === 'all' || (whose.value === 'mine' ? l.owner === me : !l.owner))
      .map((l) => ({ l, s: sla(l, flowMap.get(l.flow)), b: bestScore(l.scores) }))
      .sort((a, b) => (Number(!!(b.s && b.s.overdue)) - Number(!!(a.s && a.s.overdue))) || ((b.b?.score ?? -1) - (a.b?.score ?? -1)));
    if (!shown.length) {
      replace(list, h('p', { class: 'empty' }, whose.value === 'mine' ? 'No open leads are yours. Look at the unassigned ones to claim some.' : 'Nothing here.'));
      return;
    }
    replace(list, h('table', { class: 'table queue', id: 'queue' },
      h('thead', null, h('tr', null, ['Score', 'Contact', 'Topic', 'Stage', 'Time in stage', 'Owner', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, shown.map(({ l, b }) => {
        const who = h('a', { href: `#/leads/${l.id}` }, 'Contact');
        contact(l.contactId).then((c) => { who.textContent = contactName(c); });
        const f = flowMap.get(l.flow);
        return h('tr', { dataset: { leadId: l.id } },
          h('td', null, gradeBadge(b)), h('td', null, who), h('td', null, l.topic),
          h('td', null, stageName(f, l.stage), l.salesReady ? h('span', { class: 'badge badge-ok' }, 'Sales-ready') : null),
          h('td', null, duration(Date.now() - new Date(l.stageEnteredAt).getTime()), ' ', slaBadge(l, f)),
          h('td', null, l.owner || '–'),
          h('td', { class: 'row-actions' },
            l.owner !== session.user ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => act(l, () => api('PATCH', `/leads/${l.id}`, { body: { owner: session.user }, headers: { 'If-Match': `"${l.version}"` } }), 'Claimed.') }, 'Claim') : null,
            h('a', { class: 'btn btn-small', href: `#/leads/${l.id}` }, 'Qualify'),
            session.has('telesales', 'admin') && !l.salesReady ? h('button', { type: 'button', class: 'btn btn-small', onclick: async () => {
              const reason = await reasonDialog('Mark sales-ready', 'Why is this lead ready for sales?');
              if (reason !== null) act(l, () => api('POST', `/leads/${l.id}/sales-ready`, { body: { reason: reason || undefined } }), 'Marked sales-ready.');
            } }, 'Sales-ready') : null,
            f ? h('button', { type: 'button', class: 'btn btn-small', onclick: async () => { if (await moveDialog(l, f)) { toast('Moved.', 'ok'); load(); } } }, 'Move…') : null,
            h('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: async () => {
              const reason = await reasonDialog('Disqualify lead', 'Reason', { required: true, confirm: 'Disqualify' });
              if (reason) act(l, () => api('POST', `/leads/${l.id}/disqualify`, { body: { reason } }), 'Disqualified.');
            } }, 'Disqualify')));
      }))));
  }

  async function act(lead, fn, done) {
    try {
      await fn();
      toast(done, 'ok');
      load();
    } catch (e) {
      toast(`${e.message}`, 'error');
    }
  }

  const off = onLive((e) => {
    if (e.type === 'reset' || leads.some((l) => l.id === e.leadId) || e.type === 'stage-changed' || e.type === 'sales-ready') load();
  });
  return () => {
    alive = false;
    off();
  };
}
