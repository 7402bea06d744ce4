// The lead page: header and actions, the stage timeline (history), scores per model with their explanation, the
// interactions and score changes behind them, and the qualification; reloaded live when the lead changes.
import { h, replace, humanise, duration, timeEl, toast, field } from './dom.js';
import { api, all, problemView, session, STAFF } from './api.js';
import { onLive } from './live.js';
import { flow as flowOf, contact, contactName, bestScore, slaBadge, gradeBadge, moveDialog, reasonDialog, stageName, canMove, canAccept, acceptDialog } from './leads.js';

const TIMEFRAMES = ['IMMEDIATE', 'THIS_QUARTER', 'NEXT_QUARTER', 'THIS_YEAR', 'NEXT_YEAR', 'LATER'];

export function renderLead(main, id) {
  let alive = true;
  const head = h('div', { class: 'page-head' }, h('h1', null, 'Lead'));
  const actions = h('div', { class: 'actions' });
  const notice = h('div', { 'aria-live': 'polite' });
  const timeline = h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Stage timeline'));
  const scores = h('section', { class: 'panel', 'aria-labelledby': 'scores-title' }, h('h2', { id: 'scores-title' }, 'Scores'));
  const interactions = h('section', { class: 'panel', 'aria-labelledby': 'interactions-title' }, h('h2', { id: 'interactions-title' }, 'Interactions and score changes'));
  const qualification = h('section', { class: 'panel', 'aria-labelledby': 'qualification-title' }, h('h2', { id: 'qualification-title' }, 'Qualification'));
  replace(main, h('p', { class: 'crumbs' }, h('a', { href: '#/board' }, '← Pipeline')), head, actions, notice,
    h('div', { class: 'lead-grid' }, h('div', { class: 'lead-main' }, scores, timeline),
      h('div', { class: 'lead-side' }, qualification, interactions)));
  const open = new Set();
  let lead = null;
  let flowDef = null;

  load();

  async function load() {
    try {
      lead = await api('GET', `/leads/${id}`);
      flowDef = await flowOf(lead.flow);
    } catch (e) {
      replace(notice, problemView(e));
      return;
    }
    if (!alive) return;
    drawHead();
    loadTimeline();
    loadScores();
    drawQualification();
  }

  function drawHead() {
    const who = h('a', { href: `#/contacts/${lead.contactId}` }, 'Contact');
    contact(lead.contactId).then((c) => {
      who.textContent = contactName(c);
      if (c && c.email && !c.erased) who.after(h('span', { class: 'muted' }, ` · ${c.email}${c.company ? ` · ${c.company}` : ''}`));
    });
    const best = bestScore(lead.scores);
    replace(head,
      h('div', null,
        h('h1', null, h('span', { class: 'muted' }, 'Lead · '), lead.topic),
        h('p', { class: 'lead-sub' }, who)),
      h('div', { class: 'lead-facts' },
        gradeBadge(best),
        h('span', { class: 'badge badge-stage', id: 'lead-stage', dataset: { stage: lead.stage } }, stageName(flowDef, lead.stage)),
        h('span', { class: 'badge' }, humanise(lead.status)),
        lead.salesReady ? h('span', { class: 'badge badge-ok' }, `Sales-ready by ${humanise(lead.salesReadyBy || 'score')}`) : null,
        slaBadge(lead, flowDef),
        h('span', { class: 'muted' }, `${flowDef.name || lead.flow} · team ${lead.team || '–'} · owner ${lead.owner || 'none'} · ${duration(Date.now() - new Date(lead.stageEnteredAt).getTime())} in stage`)));
    const open = ['OPEN', 'ACCEPTED'].includes(lead.status);
    replace(actions,
      canMove() && open ? h('button', { type: 'button', class: 'btn btn-primary', id: 'lead-move', onclick: move }, 'Move…') : null,
      session.has('telesales', 'admin') && open && !lead.salesReady ? h('button', { type: 'button', class: 'btn', onclick: salesReady }, 'Mark sales-ready') : null,
      canAccept() && lead.status === 'OPEN' ? h('button', { type: 'button', class: 'btn', id: 'lead-accept', onclick: accept }, 'Accept for sales') : null,
      session.has(STAFF) && open && lead.owner !== session.user ? h('button', { type: 'button', class: 'btn', onclick: claim }, 'Make me the owner') : null,
      session.has(STAFF) && open ? h('button', { type: 'button', class: 'btn btn-danger', onclick: disqualify }, 'Disqualify…') : null);
  }

  async function act(fn, done) {
    replace(notice);
    try {
      await fn();
      toast(done, 'ok');
      load();
    } catch (e) {
      replace(notice, problemView(e));
    }
  }

  async function move() {
    const moved = await moveDialog(lead, flowDef);
    if (moved) {
      toast(`Moved to ${stageName(flowDef, moved.stage)}.`, 'ok');
      load();
    }
  }

  async function salesReady() {
    const reason = await reasonDialog('Mark sales-ready', 'Why is this lead ready for sales?');
    if (reason !== null) act(() => api('POST', `/leads/${id}/sales-ready`, { body: { reason: reason || undefined } }), 'Marked sales-ready.');
  }

  async function accept() {
    const body = await acceptDialog(lead);
    if (body) act(() => api('POST', `/leads/${id}/accept`, { body }), 'Accepted: the lead is yours in the sales flow.');
  }

  async function disqualify() {
    const reason = await reasonDialog('Disqualify lead', 'Reason', { required: true, confirm: 'Disqualify' });
    if (reason) act(() => api('POST', `/leads/${id}/disqualify`, { body: { reason } }), 'Disqualified.');
  }

  function claim() {
    act(() => api('PATCH', `/leads/${id}`, { body: { owner: session.user }, contentType: undefined, headers: { 'If-Match': `"${lead.version}"` } }), 'You own this lead now.');
  }

  async function loadTimeline() {
    let entries;
    try {
      entries = await all(`/leads/${id}/history`);
    } catch (e) {
      replace(timeline, h('h2', { id: 'timeline-title' }, 'Stage timeline'), problemView(e));
      return;
    }
    if (!alive) return;
    replace(timeline, h('h2', { id: 'timeline-title' }, 'Stage timeline'),
      h('ol', { class: 'timeline', id: 'timeline' }, entries.map((e, i) => {
        const next = entries.slice(i + 1).find((n) => n.kind === 'STAGE_CHANGED' || n.kind === 'CREATED');
        const stageEntry = e.kind === 'STAGE_CHANGED' || e.kind === 'CREATED';
        const spent = stageEntry ? (next ? next.secondsInStage * 1000 : Date.now() - new Date(e.at).getTime()) : null;
        return h('li', { class: ['timeline-item', `kind-${(e.kind || '').toLowerCase()}`] },
          h('div', { class: 'timeline-dot', 'aria-hidden': 'true' }),
          h('div', { class: 'timeline-body' },
            h('div', { class: 'timeline-title' },
              h('strong', null, humanise(e.kind)),
              e.from && e.to && e.from !== e.to ? ` ${stageName(flowDef, e.from)} → ${stageName(flowDef, e.to)}` : e.to ? ` ${stageName(flowDef, e.to)}` : ''),
            h('div', { class: 'timeline-meta' },
              timeEl(e.at), ' · ', h('span', { class: ['cause', `cause-${(e.cause || '').toLowerCase()}`] }, humanise(e.cause)),
              e.actor ? ` · by ${e.actor}` : '',
              stageEntry && spent !== null && !Number.isNaN(spent) ? ` · ${next ? '' : 'so far '}${duration(spent)} in ${stageName(flowDef, e.to)}` : ''),
            e.reason ? h('p', { class: 'timeline-reason' }, e.reason) : null));
      })));
  }

  async function loadScores() {
    let list;
    let history = [];
    try {
      [list, history] = await Promise.all([api('GET', `/leads/${id}/scores`), all(`/leads/${id}/scores/history`).catch(() => [])]);
    } catch (e) {
      replace(scores, h('h2', { id: 'scores-title' }, 'Scores'), problemView(e));
      return;
    }
    if (!alive) return;
    // the explanations name each interaction's type (the score history has only its id)
    const types = new Map();
    const explanations = await Promise.all(list.map((s) => api('GET', `/leads/${id}/scores/${s.modelId}/explanation`).catch(() => null)));
    explanations.forEach((ex) => ex && ex.hits.forEach((hit) => hit.interactionId && types.set(hit.interactionId, hit.interactionType)));
    if (!alive) return;
    replace(scores, h('h2', { id: 'scores-title' }, 'Scores'),
      list.length ? h('div', { class: 'score-models' }, list.map((s) => modelScore(s, types))) : h('p', { class: 'muted' }, 'Not scored by any published model yet.'));
    drawInteractions(history, types);
  }

  function modelScore(s, types) {
    const body = h('div', { class: 'explanation', id: `explanation-${s.modelId}` });
    const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false', 'aria-controls': body.id, onclick: toggle }, 'Why this score?');
    async function toggle() {
      const opening = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(opening));
      if (!opening) {
        open.delete(s.modelId);
        replace(body);
        return;
      }
      open.add(s.modelId);
      try {
        const [ex, model] = await Promise.all([api('GET', `/leads/${id}/scores/${s.modelId}/explanation`),
          session.has(STAFF) ? api('GET', `/scoring/models/${s.modelId}`).catch(() => null) : null]);
        const rules = new Map((model && model.rules || []).map((r) => [r.id, r]));
        ex.hits.forEach((hit) => hit.interactionId && types.set(hit.interactionId, hit.interactionType));
        replace(body, h('table', { class: 'table' },
          h('caption', null, `${ex.hits.length} rule hit${ex.hits.length === 1 ? '' : 's'} make ${ex.score} points`),
          h('thead', null, h('tr', null, ['Rule', 'Why', 'Points', 'When', 'Expires'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, ex.hits.map((hit) => h('tr', null,
            h('td', null, h('code', null, hit.ruleId)),
            h('td', null, describe(hit, rules.get(hit.ruleId))),
            h('td', { class: ['num', hit.points < 0 ? 'neg' : 'pos'] }, hit.points > 0 ? `+${hit.points}` : String(hit.points)),
            h('td', null, timeEl(hit.occurredAt)),
            h('td', null, hit.expiresAt ? timeEl(hit.expiresAt) : 'never'))))));
      } catch (e) {
        replace(body, problemView(e));
      }
    }
    if (open.has(s.modelId)) setTimeout(toggle);
    return h('article', { class: 'score-model', dataset: { modelId: s.modelId } },
      h('div', { class: 'score-model-head' },
        gradeBadge(s),
        h('div', null, h('h3', null, s.modelName || s.modelId),
          h('p', { class: 'muted' }, s.salesReady ? 'At or above the sales-ready threshold' : 'Below the sales-ready threshold', ' · updated ', timeEl(s.updatedAt))),
        button),
      body);
  }

  function describe(hit, rule) {
    const what = hit.interactionType ? humanise(hit.interactionType) : humanise(hit.kind);
    if (!rule) return what;
    const cond = rule.attribute ? ` where ${rule.attribute} ${humanise(rule.operator).toLowerCase()} ${Array.isArray(rule.value) ? rule.value.join(', ') : rule.value}` : '';
    const cap = rule.maxTimes ? ` (counted up to ${rule.maxTimes}×${rule.windowDays ? ` in ${rule.windowDays} d` : ''})` : '';
    return `${what}${cond}${cap}`;
  }

  function drawInteractions(history, types) {
    const items = history.slice().reverse();
    replace(interactions, h('h2', { id: 'interactions-title' }, 'Interactions and score changes'),
      items.length ? h('ol', { class: 'feed' }, items.map((e) => h('li', null,
        h('div', null, h('strong', null, e.interactionId ? humanise(types.get(e.interactionId) || 'Interaction') : humanise(e.cause)),
          ` → ${e.score}${e.grade ? ` (${e.grade})` : ''}`, e.salesReady ? ' · sales-ready' : ''),
        h('div', { class: 'muted' }, timeEl(e.at), ` · ${humanise(e.cause)}`, e.interactionId ? h('code', { class: 'id' }, ` ${e.interactionId.slice(0, 8)}`) : null))))
        : h('p', { class: 'muted' }, 'No interactions scored yet.'),
      h('p', { class: 'hint' }, 'Newest first; each score change with the interaction that caused it.'));
  }

  function drawQualification() {
    const q = lead.qualification || {};
    const editable = session.has(STAFF) && ['OPEN', 'ACCEPTED'].includes(lead.status);
    const budget = h('input', { id: 'q-budget', type: 'number', min: '0', step: '0.01', value: q.budget ?? '', disabled: !editable });
    const currency = h('input', { id: 'q-currency', maxlength: '3', value: q.currency ?? '', placeholder: 'EUR', disabled: !editable });
    const timeframe = h('select', { id: 'q-timeframe', disabled: !editable }, h('option', { value: '' }, 'Not known'),
      TIMEFRAMES.map((t) => h('option', { value: t, selected: q.timeframe === t }, humanise(t))));
    const need = h('textarea', { id: 'q-need', rows: '2', disabled: !editable }, q.need ?? '');
    const dm = h('select', { id: 'q-decision-maker', disabled: !editable }, h('option', { value: '' }, 'Not known'),
      h('option', { value: 'true', selected: q.decisionMaker === true }, 'Yes'), h('option', { value: 'false', selected: q.decisionMaker === false }, 'No'));
    const answer = h('div', { 'aria-live': 'polite' });
    replace(qualification, h('h2', { id: 'qualification-title' }, 'Qualification'),
      h('form', { class: 'form-grid', onsubmit: save },
        field('Budget', budget), field('Currency', currency, 'ISO 4217, e.g. EUR'), field('Timeframe', timeframe),
        field('Need', need), field('Decision maker', dm), answer,
        editable ? h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save qualification') : null));
    async function save(e) {
      e.preventDefault();
      replace(answer);
      const body = { qualification: {
        budget: budget.value === '' ? null : Number(budget.value), currency: currency.value.trim().toUpperCase() || null,
        timeframe: timeframe.value || null, need: need.value.trim() || null,
        decisionMaker: dm.value === '' ? null : dm.value === 'true' } };
      try {
        await api('PATCH', `/leads/${id}`, { body: JSON.stringify(body), contentType: 'application/merge-patch+json', headers: { 'If-Match': `"${lead.version}"` } });
        toast('Qualification saved.', 'ok');
        load();
      } catch (err) {
        replace(answer, problemView(err));
      }
    }
  }

  const off = onLive((event) => {
    if (event.type === 'reset' || event.leadId === id) load();
  });
  return () => {
    alive = false;
    off();
  };
}
