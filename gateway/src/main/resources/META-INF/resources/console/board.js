// The pipeline board: the chosen flow's stages as columns, its leads as cards, live from /api/stream. The filters
// (topic from the managed list, source, owner, grade, sales-ready, status) are the lead list's own: the API answers
// which leads match, on the first load and for each lead a live event names.
import { h, replace, clear, humanise, duration, toast, debounce } from './dom.js';
import { api, query, problemView } from './api.js';
import { onLive } from './live.js';
import { flows, contact, contactName, bestScore, slaBadge, gradeBadge, moveDialog, canMove } from './leads.js';

const SOURCES = ['MARKETING_PAGE', 'MARKETING_FORM', 'CUSTOMER_JOURNEY', 'EMAIL', 'LINKEDIN', 'EVENT', 'IMPORT', 'MANUAL', 'CRM'];
const PER_COLUMN = 100;
const ACTIVE = ['OPEN', 'ACCEPTED'];

export function renderBoard(main) {
  const prefs = JSON.parse(sessionStorage.getItem('leadsuite.console.board') || '{}');
  const state = { flow: null, flows: [], leads: new Map(), filters: { topic: '', source: '', owner: '', grade: '', salesReady: '', status: 'active', ...prefs } };
  let alive = true;

  const flowSelect = h('select', { id: 'board-flow', name: 'flow', onchange: () => { state.filters.flowId = flowSelect.value; save(); load(); } });
  const topic = h('select', { id: 'board-topic', name: 'topic', onchange: () => set('topic', topic.value) }, h('option', { value: '' }, 'Any'));
  const source = h('select', { id: 'board-source', name: 'source', onchange: () => set('source', source.value) },
    h('option', { value: '' }, 'Any'), SOURCES.map((s) => h('option', { value: s, selected: state.filters.source === s }, humanise(s))));
  const owner = h('input', { id: 'board-owner', type: 'search', name: 'owner', value: state.filters.owner, placeholder: 'anyone', autocomplete: 'off', oninput: debounce(() => set('owner', owner.value.trim()), 400) });
  const grade = h('select', { id: 'board-grade', name: 'grade', onchange: () => set('grade', grade.value) },
    h('option', { value: '' }, 'Any'), ['A', 'B', 'C', 'D'].map((g) => h('option', { value: g, selected: state.filters.grade === g }, g)));
  const salesReady = h('select', { id: 'board-sales-ready', name: 'salesReady', onchange: () => set('salesReady', salesReady.value) },
    h('option', { value: '' }, 'Any'), h('option', { value: 'true', selected: state.filters.salesReady === 'true' }, 'Sales-ready'),
    h('option', { value: 'false', selected: state.filters.salesReady === 'false' }, 'Not yet'));
  const status = h('select', { id: 'board-status', name: 'status', onchange: () => set('status', status.value) },
    [['active', 'Open and accepted'], ['', 'Any'], ['OPEN', 'Open'], ['ACCEPTED', 'Accepted'], ['CONVERTED', 'Converted'], ['WON', 'Won'], ['LOST', 'Lost'], ['DISQUALIFIED', 'Disqualified']]
      .map(([v, l]) => h('option', { value: v, selected: state.filters.status === v }, l)));
  const summary = h('p', { class: 'muted board-summary', 'aria-live': 'polite' });
  const columns = h('div', { class: 'board', id: 'board' });
  const error = h('div');

  replace(main,
    h('div', { class: 'page-head' }, h('h1', null, 'Pipeline'), summary),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter leads', onsubmit: (e) => e.preventDefault() },
      field('Flow', flowSelect), field('Topic', topic), field('Source', source), field('Owner', owner, 'board-owner-hint'),
      field('Grade', grade), field('Sales-ready', salesReady), field('Status', status)),
    h('p', { class: 'hint filters-hint', id: 'board-owner-hint' }, 'Owner: a user name as the leads show it. Grade: the grade of a lead\'s highest score.'),
    error, columns);

  function field(label, control, hint) {
    if (hint) control.setAttribute('aria-describedby', hint);
    return h('div', { class: 'field field-inline' }, h('label', { for: control.id }, label), control);
  }

  function save() {
    sessionStorage.setItem('leadsuite.console.board', JSON.stringify(state.filters));
  }

  function set(key, value) {
    state.filters[key] = value;
    save();
    load();
  }

  init();

  async function init() {
    try {
      const [found, topics] = await Promise.all([flows(), api('GET', '/topics')]);
      state.flows = found;
      topic.append(...topics.items.map((t) => h('option', { value: t.id, selected: state.filters.topic === t.id }, t.name || t.id)));
      if (topic.value !== state.filters.topic) state.filters.topic = '';
    } catch (e) {
      replace(error, problemView(e));
      return;
    }
    replace(flowSelect, state.flows.map((f) => h('option', { value: f.id }, f.name || f.id)));
    const preferred = state.flows.find((f) => f.id === state.filters.flowId) || state.flows.find((f) => f.id === 'marketing-lead') || state.flows[0];
    if (preferred) flowSelect.value = preferred.id;
    load();
  }

  let generation = 0;
  async function load() {
    const mine = ++generation;
    state.flow = state.flows.find((f) => f.id === flowSelect.value);
    state.leads.clear();
    replace(error);
    if (!state.flow) return;
    columns.setAttribute('aria-busy', 'true');
    draw();
    const f = state.filters;
    try {
      // one page per column, highest score first: GET /api/leads?stage=...&sort=-score (the list has no flow parameter;
      // other flows' leads are dropped)
      const pages = await Promise.all(state.flow.stages.map((stage) => api('GET', `/leads${listQuery({ stage: stage.id, sort: '-score', limit: PER_COLUMN })}`)));
      if (mine !== generation || !alive) return;
      pages.forEach((page, i) => {
        const stage = state.flow.stages[i];
        state.truncated = state.truncated || {};
        state.truncated[stage.id] = !!page.next;
        page.items.filter(onBoard).forEach((l) => state.leads.set(l.id, l));
      });
    } catch (e) {
      replace(error, problemView(e));
    }
    columns.removeAttribute('aria-busy');
    columns.dataset.loaded = [state.flow.id, f.topic, f.source, f.owner, f.grade, f.salesReady, f.status].join('|');
    draw();
  }

  /** The board's filters as GET /api/leads takes them (status "active" is OPEN or ACCEPTED: the list takes one status,
   * so those two are asked without a status and the others dropped by {@link onBoard}). */
  function listQuery(extra) {
    const f = state.filters;
    return query({ topic: f.topic, source: f.source, owner: f.owner, grade: f.grade, salesReady: f.salesReady,
      status: f.status === 'active' ? '' : f.status, ...extra });
  }

  /** Whether a lead the API listed for the board's filters belongs on it: its flow, and open or accepted for "active". */
  function onBoard(lead) {
    return !!state.flow && lead.flow === state.flow.id && (state.filters.status !== 'active' || ACTIVE.includes(lead.status));
  }

  function draw() {
    if (!state.flow) {
      clear(columns);
      return;
    }
    const shown = [...state.leads.values()].filter(onBoard);
    summary.textContent = `${shown.length} lead${shown.length === 1 ? '' : 's'} in ${state.flow.name || state.flow.id}`;
    replace(columns, state.flow.stages.map((stage) => {
      const leads = shown.filter((l) => l.stage === stage.id)
        .sort((a, b) => (bestScore(b.scores)?.score ?? -1) - (bestScore(a.scores)?.score ?? -1));
      const list = h('ol', { class: 'cards', 'aria-label': `${stage.name || humanise(stage.id)}: ${leads.length} leads` }, leads.map(card));
      const col = h('section', { class: 'column', dataset: { stage: stage.id }, 'aria-labelledby': `col-${stage.id}` },
        h('header', { class: 'column-head' },
          h('h2', { id: `col-${stage.id}` }, stage.name || humanise(stage.id)),
          h('span', { class: 'count', 'aria-hidden': 'true' }, String(leads.length)),
          h('div', { class: 'column-meta' }, stage.team ? humanise(stage.team) : '', stage.slaHours ? ` · SLA ${stage.slaHours} h` : '')),
        list,
        state.truncated && state.truncated[stage.id] ? h('p', { class: 'hint' }, `Showing the first ${PER_COLUMN}; narrow the filters to see others.`) : null);
      if (canMove()) {
        col.addEventListener('dragover', (e) => {
          if (e.dataTransfer.types.includes('text/x-lead-id')) {
            e.preventDefault();
            col.classList.add('drop-target');
          }
        });
        col.addEventListener('dragleave', () => col.classList.remove('drop-target'));
        col.addEventListener('drop', (e) => {
          e.preventDefault();
          col.classList.remove('drop-target');
          const lead = state.leads.get(e.dataTransfer.getData('text/x-lead-id'));
          if (lead && lead.stage !== stage.id) move(lead, stage.id);
        });
      }
      return col;
    }));
  }

  function card(lead) {
    const best = bestScore(lead.scores);
    const name = h('a', { class: 'card-title', href: `#/leads/${lead.id}` }, 'Contact');
    contact(lead.contactId).then((c) => {
      name.textContent = contactName(c);
      if (c && c.company) name.after(h('span', { class: 'card-company' }, c.company));
    });
    const el = h('li', { class: ['card', lead.salesReady && 'card-ready'], id: `lead-${lead.id}`,
      dataset: { leadId: lead.id, stage: lead.stage, score: best ? String(best.score) : '' }, draggable: canMove() ? 'true' : null },
    h('div', { class: 'card-top' }, h('div', { class: 'card-who' }, name), gradeBadge(best)),
    h('div', { class: 'card-tags' },
      h('span', { class: 'tag' }, lead.topic),
      h('span', { class: 'tag tag-muted' }, humanise(lead.source)),
      lead.salesReady ? h('span', { class: 'badge badge-ok' }, lead.salesReadyBy === 'MANUAL' ? 'Sales-ready (manual)' : 'Sales-ready') : null,
      ACTIVE.includes(lead.status) ? null : h('span', { class: 'badge' }, humanise(lead.status))),
    h('div', { class: 'card-foot' },
      h('span', { class: 'in-stage', title: `In this stage since ${lead.stageEnteredAt}` }, `${duration(Date.now() - new Date(lead.stageEnteredAt || lead.createdAt).getTime())} in stage`),
      lead.owner ? h('span', { class: 'owner' }, lead.owner) : null,
      slaBadge(lead, state.flow)),
    canMove() ? h('button', { type: 'button', class: 'btn btn-small card-move', 'aria-label': `Move lead ${lead.topic}`, onclick: () => move(lead) }, 'Move…') : null);
    el.addEventListener('dragstart', (e) => {
      e.dataTransfer.setData('text/x-lead-id', lead.id);
      e.dataTransfer.effectAllowed = 'move';
    });
    if (state.flash && state.flash.has(lead.id)) {
      el.classList.add('flash');
      state.flash.delete(lead.id);
    }
    return el;
  }

  async function move(lead, to) {
    const moved = await moveDialog(lead, state.flow, to);
    if (moved) {
      state.leads.set(moved.id, moved);
      toast(`Moved to ${moved.stage.replace(/_/g, ' ').toLowerCase()}.`, 'ok');
      flash(moved.id);
      const el = document.getElementById(`lead-${moved.id}`);
      if (el) el.querySelector('.card-move')?.focus();
    }
  }

  function flash(id) {
    state.flash = state.flash || new Set();
    state.flash.add(id);
    draw();
  }

  // live: a new lead appears, a moved lead changes column, a score changes on its card
  // scores from score-changed events: the gateway may pass them on before lead-service has stored them, so a lead read
  // back meanwhile keeps the newer scores of the event
  const liveScores = new Map();
  const eventTime = (t) => (typeof t === 'number' ? (t < 1e12 ? t * 1000 : t) : t ? new Date(t).getTime() : Date.now());
  const refresh = new Map();
  /** A lead a live event names: read again, and kept on the board when the list with the board's filters has it. */
  function refetch(leadId) {
    if (refresh.has(leadId)) return;
    const mine = generation;
    refresh.set(leadId, api('GET', `/leads/${leadId}`).then(async (lead) => {
      const page = await api('GET', `/leads${listQuery({ contactId: lead.contactId, stage: lead.stage, limit: 200 })}`);
      if (!alive || mine !== generation) return;
      const listed = page.items.find((l) => l.id === leadId);
      if (!listed || !onBoard(listed)) {
        if (state.leads.delete(leadId)) draw();
        return;
      }
      const live = liveScores.get(listed.id);
      if (live && new Date(listed.updatedAt).getTime() < live.at) listed.scores = live.scores;
      state.leads.set(listed.id, listed);
      flash(listed.id);
    }).catch(() => {}).finally(() => refresh.delete(leadId)));
  }
  const off = onLive((event) => {
    if (event.type === 'reset') {
      load();
      return;
    }
    if (!state.flow || !event.leadId) return;
    const d = event.data || {};
    if (event.type === 'lead-created' || event.type === 'stage-changed' || event.type === 'sales-ready') {
      if (state.leads.has(event.leadId) || !d.flow || d.flow === state.flow.id) refetch(event.leadId);
    } else if (event.type === 'score-changed') {
      const lead = state.leads.get(event.leadId);
      if (Array.isArray(d.scores)) liveScores.set(event.leadId, { scores: d.scores, at: eventTime(event.time) });
      if (lead && Array.isArray(d.scores)) {
        lead.scores = d.scores;
        lead.salesReady = d.salesReady || lead.salesReady;
        flash(lead.id);
        // a grade or sales-ready filter may no longer hold: the API says
        if (state.filters.grade || state.filters.salesReady) refetch(lead.id);
      }
    }
  });
  const tick = setInterval(() => alive && draw(), 60_000);
  return () => {
    alive = false;
    off();
    clearInterval(tick);
  };
}
