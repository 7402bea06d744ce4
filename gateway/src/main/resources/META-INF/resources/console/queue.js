// The work queue of telesales and sales, asked of the API's work-queue list (GET /api/leads with filters and sorts):
// my leads (owner = me), my team's open leads, or the sales-ready leads waiting for sales acceptance. Overdue leads
// come first (sort=slaDue, as long as their stage's SLA has run out), then the others by score (sort=-score), paged by
// the API's cursor. The actions of the day: claim, qualify, sales-ready, accept, move, disqualify.
import { h, replace, humanise, duration, toast } from './dom.js';
import { api, query, problemView, session } from './api.js';
import { onLive } from './live.js';
import { flows, contact, contactName, bestScore, gradeBadge, sla, slaBadge, moveDialog, reasonDialog, stageName, canAccept, acceptDialog } from './leads.js';

const PAGE = 50;
/** Overdue leads read before the by-score list (the SLA-due order puts them first; a queue with more is a backlog). */
const MAX_OVERDUE = 200;

export function renderQueue(main) {
  let alive = true;
  const prefs = JSON.parse(sessionStorage.getItem('leadsuite.console.queue') || '{}');
  const teams = ['telesales', 'sales'].filter((t) => session.has(t, 'admin'));
  const views = [['mine', 'My leads'], ['team', 'My team\'s open leads'], ...(canAccept() ? [['ready', 'Sales-ready, to accept']] : [])];
  const whose = h('select', { id: 'queue-whose', name: 'view', onchange: changed },
    views.map(([v, l]) => h('option', { value: v, selected: prefs.view === v }, l)));
  const team = h('select', { id: 'queue-team', name: 'team', onchange: changed },
    teams.map((t) => h('option', { value: t, selected: prefs.team === t }, humanise(t))));
  const status = h('select', { id: 'queue-status', name: 'status', onchange: changed },
    [['OPEN', 'Open'], ['ACCEPTED', 'Accepted'], ['CONVERTED', 'Opportunity'], ['', 'Any']]
      .map(([v, l]) => h('option', { value: v, selected: (prefs.status ?? 'OPEN') === v }, l)));
  const grade = h('select', { id: 'queue-grade', name: 'grade', onchange: changed },
    h('option', { value: '' }, 'Any'), ['A', 'B', 'C', 'D'].map((g) => h('option', { value: g, selected: prefs.grade === g }, g)));
  const teamField = h('div', { class: 'field field-inline' }, h('label', { for: 'queue-team' }, 'Team'), team);
  const statusField = h('div', { class: 'field field-inline' }, h('label', { for: 'queue-status' }, 'Status'), status);
  const answer = h('div', { id: 'queue-answer', 'aria-live': 'assertive' });
  const list = h('div', { id: 'queue-list', 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Work queue'), h('p', { class: 'muted' }, 'Overdue first, then by score.')),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Choose the queue', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field field-inline' }, h('label', { for: 'queue-whose' }, 'Show'), whose), teamField, statusField,
      h('div', { class: 'field field-inline' }, h('label', { for: 'queue-grade' }, 'Grade'), grade)),
    answer, list);

  let flowMap = new Map();
  let overdue = [];
  let rest = [];
  let next = null;
  let generation = 0;
  load();

  function changed() {
    sessionStorage.setItem('leadsuite.console.queue', JSON.stringify({ view: whose.value, team: team.value, status: status.value, grade: grade.value }));
    replace(answer);
    load();
  }

  /** The queue's filters as the API takes them. */
  function filters() {
    teamField.hidden = whose.value !== 'team';
    statusField.hidden = whose.value !== 'mine';
    if (whose.value === 'ready') return { salesReady: true, status: 'OPEN', grade: grade.value };
    if (whose.value === 'team') return { team: team.value, status: 'OPEN', grade: grade.value };
    return { owner: session.user, status: status.value, grade: grade.value };
  }

  async function load() {
    const mine = ++generation;
    const f = filters();
    list.setAttribute('aria-busy', 'true');
    try {
      const [fl, late, first] = await Promise.all([flows(), overdueLeads(f), api('GET', `/leads${query({ ...f, sort: '-score', limit: PAGE })}`)]);
      if (mine !== generation || !alive) return;
      flowMap = new Map(fl.map((x) => [x.id, x]));
      overdue = late;
      rest = first.items;
      next = first.next;
    } catch (e) {
      if (mine === generation) replace(list, problemView(e));
      return;
    } finally {
      if (mine === generation) list.removeAttribute('aria-busy');
    }
    list.dataset.loaded = [whose.value, whose.value === 'team' ? team.value : '', whose.value === 'mine' ? status.value : '', grade.value].join('|');
    draw();
  }

  /** The leads whose stage SLA has run out, most overdue first: the SLA-due order's head, while it is overdue. */
  async function overdueLeads(f) {
    const fl = new Map((await flows()).map((x) => [x.id, x]));
    const found = [];
    let after = null;
    for (;;) {
      const page = await api('GET', `/leads${query({ ...f, sort: 'slaDue', limit: PAGE, after })}`);
      for (const lead of page.items) {
        const s = sla(lead, fl.get(lead.flow));
        if (!s || !s.overdue) return found;
        found.push(lead);
      }
      after = page.next;
      if (!after || found.length >= MAX_OVERDUE) return found;
    }
  }

  async function more(button) {
    button.disabled = true;
    const mine = generation;
    try {
      const page = await api('GET', `/leads${query({ ...filters(), sort: '-score', limit: PAGE, after: next })}`);
      if (mine !== generation) return;
      rest.push(...page.items);
      next = page.next;
      draw();
    } catch (e) {
      replace(answer, problemView(e));
      button.disabled = false;
    }
  }

  function draw() {
    const late = new Set(overdue.map((l) => l.id));
    const shown = [...overdue, ...rest.filter((l) => !late.has(l.id))];
    if (!shown.length) {
      replace(list, h('p', { class: 'empty' }, {
        mine: 'No leads of yours here. Your team\'s open leads are there to claim.',
        team: 'Your team has no open leads here.',
        ready: 'No sales-ready lead is waiting for acceptance.',
      }[whose.value]));
      return;
    }
    replace(list, h('table', { class: 'table queue', id: 'queue' },
      h('caption', { class: 'visually-hidden' }, `${shown.length} leads, ${overdue.length} overdue`),
      h('thead', null, h('tr', null, ['Score', 'Contact', 'Topic', 'Stage', 'Time in stage', 'Owner', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, shown.map(row))),
    next ? h('p', null, h('button', { type: 'button', class: 'btn', id: 'queue-more', onclick: (e) => more(e.currentTarget) }, 'Show more')) : null);
  }

  function row(l) {
    const who = h('a', { href: `#/leads/${l.id}` }, 'Contact');
    contact(l.contactId).then((c) => { who.textContent = contactName(c); });
    const f = flowMap.get(l.flow);
    const open = ['OPEN', 'ACCEPTED'].includes(l.status);
    const s = sla(l, f);
    return h('tr', { class: s && s.overdue ? 'row-overdue' : null, dataset: { leadId: l.id, stage: l.stage } },
      h('td', null, gradeBadge(bestScore(l.scores))), h('td', null, who), h('td', null, l.topic),
      h('td', null, h('span', { class: 'stage-name' }, stageName(f, l.stage)), ' ', h('span', { class: 'muted' }, `(${f ? f.name || f.id : l.flow})`),
        l.salesReady ? h('span', { class: 'badge badge-ok' }, 'Sales-ready') : null,
        l.status !== 'OPEN' ? h('span', { class: 'badge' }, humanise(l.status)) : null),
      h('td', null, duration(Date.now() - new Date(l.stageEnteredAt).getTime()), ' ', slaBadge(l, f)),
      h('td', { class: 'owner' }, l.owner || '–'),
      h('td', { class: 'row-actions' },
        open && l.owner !== session.user ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => act(() => api('PATCH', `/leads/${l.id}`, { body: { owner: session.user }, headers: { 'If-Match': `"${l.version}"` } }), 'Claimed.') }, 'Claim') : null,
        h('a', { class: 'btn btn-small', href: `#/leads/${l.id}` }, 'Qualify'),
        session.has('telesales', 'admin') && l.status === 'OPEN' && !l.salesReady ? h('button', { type: 'button', class: 'btn btn-small', onclick: async () => {
          const reason = await reasonDialog('Mark sales-ready', 'Why is this lead ready for sales?');
          if (reason !== null) act(() => api('POST', `/leads/${l.id}/sales-ready`, { body: { reason: reason || undefined } }), 'Marked sales-ready.');
        } }, 'Sales-ready') : null,
        canAccept() && l.status === 'OPEN' ? h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: async () => {
          const body = await acceptDialog(l);
          if (body) act(() => api('POST', `/leads/${l.id}/accept`, { body }), 'Accepted: the lead is yours in the sales flow.');
        } }, 'Accept') : null,
        f && open ? h('button', { type: 'button', class: 'btn btn-small', onclick: async () => { if (await moveDialog(l, f)) { toast('Moved.', 'ok'); load(); } } }, 'Move…') : null,
        open ? h('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: async () => {
          const reason = await reasonDialog('Disqualify lead', 'Reason', { required: true, confirm: 'Disqualify' });
          if (reason) act(() => api('POST', `/leads/${l.id}/disqualify`, { body: { reason } }), 'Disqualified.');
        } }, 'Disqualify') : null));
  }

  /** An action of a row: done, the queue reloads; refused, the API's problem is shown above the queue. */
  async function act(fn, done) {
    replace(answer);
    try {
      await fn();
      toast(done, 'ok');
      load();
    } catch (e) {
      replace(answer, problemView(e));
    }
  }

  const off = onLive((e) => {
    if (e.type === 'reset' || e.type === 'stage-changed' || e.type === 'sales-ready' || e.type === 'lead-created'
      || overdue.some((l) => l.id === e.leadId) || rest.some((l) => l.id === e.leadId)) load();
  });
  return () => {
    alive = false;
    off();
  };
}
