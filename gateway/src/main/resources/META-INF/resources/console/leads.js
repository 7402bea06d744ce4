// What the board, the lead page and the work queue share: flows, contact names, scores, SLA, the move dialog.
import { h, replace, humanise, duration } from './dom.js';
import { api, problemView, session, STAFF } from './api.js';

let flowsPromise = null;
/** GET /api/flows, once per page load. */
export function flows() {
  if (!flowsPromise) {
    flowsPromise = api('GET', '/flows').then((page) => (Array.isArray(page) ? page : page.items || []))
      .catch((e) => {
        flowsPromise = null;
        throw e;
      });
  }
  return flowsPromise;
}

export async function flow(id) {
  return (await flows()).find((f) => f.id === id) || api('GET', `/flows/${encodeURIComponent(id)}`);
}

const contacts = new Map();
/** The contact of a lead (GET /api/contacts/{id}), cached for the page's life. */
export function contact(id) {
  if (!id) return Promise.resolve(null);
  if (!contacts.has(id)) {
    contacts.set(id, api('GET', `/contacts/${id}`).catch((e) => {
      contacts.delete(id);
      return e.status === 404 ? { id, erased: true } : null;
    }));
  }
  return contacts.get(id);
}

export function forgetContact(id) {
  contacts.delete(id);
}

export function contactName(c) {
  if (!c) return 'Contact';
  if (c.erased) return 'Erased contact';
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name || c.email || 'Contact';
}

/** The highest of a lead's scores (one per published model), or null. */
export function bestScore(scores) {
  if (!Array.isArray(scores) || !scores.length) return null;
  return scores.reduce((a, b) => (b.score > a.score ? b : a));
}

/** The SLA of the lead's stage: {hours, dueAt, overdue, soon} or null when the stage has none. */
export function sla(lead, flowDef) {
  const stage = flowDef && flowDef.stages.find((s) => s.id === lead.stage);
  if (!stage || !stage.slaHours || !lead.stageEnteredAt || !['OPEN', 'ACCEPTED'].includes(lead.status)) return null;
  const entered = new Date(lead.stageEnteredAt).getTime();
  const dueAt = entered + stage.slaHours * 3600_000;
  const now = Date.now();
  return { hours: stage.slaHours, dueAt, overdue: now > dueAt, soon: now <= dueAt && now > entered + stage.slaHours * 2700_000 };
}

export function slaBadge(lead, flowDef) {
  const s = sla(lead, flowDef);
  if (!s) return null;
  if (s.overdue) {
    return h('span', { class: 'badge badge-danger sla', title: `SLA ${s.hours} h` },
      h('span', { 'aria-hidden': 'true' }, '⚠ '), `Overdue by ${duration(Date.now() - s.dueAt)}`);
  }
  if (s.soon) {
    return h('span', { class: 'badge badge-warn sla', title: `SLA ${s.hours} h` },
      h('span', { 'aria-hidden': 'true' }, '⏱ '), `Due in ${duration(s.dueAt - Date.now())}`);
  }
  return null;
}

export function gradeBadge(score) {
  if (!score) return h('span', { class: 'score score-none', title: 'Not scored yet' }, '–');
  return h('span', { class: ['score', `grade-${String(score.grade || '').toLowerCase()}`],
    title: `${score.modelName || 'Score'}: ${score.score}${score.grade ? `, grade ${score.grade}` : ''}` },
  h('span', { class: 'score-value' }, String(score.score)),
  score.grade ? h('span', { class: 'score-grade' }, score.grade) : null);
}

export function stageName(flowDef, stageId) {
  const stage = flowDef && flowDef.stages.find((s) => s.id === stageId);
  return stage ? stage.name || humanise(stage.id) : humanise(stageId);
}

export const canMove = () => session.has(STAFF);

/**
 * The move dialog: the target stage (every other stage of the flow: the API decides, and its refusal is shown here),
 * a reason, then POST /api/leads/{id}/transitions. Resolves with the moved lead, or null when cancelled.
 */
export function moveDialog(lead, flowDef, preselected) {
  return new Promise((resolve) => {
    const from = lead.stage;
    const options = flowDef.stages.filter((s) => s.id !== from).map((s) => {
      const t = flowDef.transitions.find((tr) => tr.from === from && tr.to === s.id);
      const note = t ? (t.teams && t.teams.length ? `teams: ${t.teams.join(', ')}` : 'any team') : 'no transition from here';
      return h('option', { value: s.id, selected: s.id === preselected }, `${s.name || humanise(s.id)} (${note})`);
    });
    const select = h('select', { id: 'move-to', name: 'to', required: true }, options);
    const reason = h('textarea', { id: 'move-reason', name: 'reason', rows: '3', maxlength: '1000' });
    const answer = h('div', { class: 'dialog-answer', 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'move-submit' }, 'Move');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'move-title' },
      h('form', { method: 'dialog', onsubmit: send },
        h('h2', { id: 'move-title' }, 'Move lead'),
        h('p', { class: 'muted' }, `From ${stageName(flowDef, from)} in ${flowDef.name || flowDef.id}.`),
        h('div', { class: 'field' }, h('label', { for: 'move-to' }, 'To stage'), select),
        h('div', { class: 'field' }, h('label', { for: 'move-reason' }, 'Reason (kept in the lead\'s history)'), reason),
        answer,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancel'), submit)));
    document.body.appendChild(dialog);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    dialog.showModal();
    select.focus();

    function close(result) {
      dialog.close();
      dialog.remove();
      resolve(result);
    }

    async function send(e) {
      e.preventDefault();
      submit.disabled = true;
      replace(answer);
      try {
        const moved = await api('POST', `/leads/${lead.id}/transitions`,
          { body: { to: select.value, reason: reason.value.trim() || undefined } });
        close(moved);
      } catch (err) {
        replace(answer, problemView(err),
          err.status === 422 ? h('p', null, h('a', { href: `#/leads/${lead.id}`, onclick: () => close(null) },
            'Open the lead to fill in its qualification')) : null);
        submit.disabled = false;
      }
    }
  });
}

/** A dialog that asks for a reason (disqualify, sales-ready); resolves with the text or null. */
export function reasonDialog(title, label, { required = false, confirm = 'Confirm' } = {}) {
  return new Promise((resolve) => {
    const text = h('textarea', { id: 'reason-text', rows: '3', maxlength: '1000', required });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'reason-title' },
      h('form', { method: 'dialog', onsubmit: (e) => {
        e.preventDefault();
        if (required && !text.value.trim()) return;
        done(text.value.trim());
      } },
      h('h2', { id: 'reason-title' }, title),
      h('div', { class: 'field' }, h('label', { for: 'reason-text' }, label), text),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => done(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-primary' }, confirm))));
    document.body.appendChild(dialog);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(null);
    });
    dialog.showModal();
    text.focus();
    function done(v) {
      dialog.close();
      dialog.remove();
      resolve(v);
    }
  });
}

/** Sales acceptance is for sales and admin (POST /api/leads/{id}/accept); the API refuses a lead that is not sales-ready. */
export const canAccept = () => session.has('sales', 'admin');

/** Asks for the acceptance's note; resolves with the body of POST /api/leads/{id}/accept (the caller becomes the owner), or null. */
export async function acceptDialog(lead) {
  const reason = await reasonDialog(`Accept the lead on ${lead.topic} for sales`, 'Note (kept in the lead\'s history)', { confirm: 'Accept' });
  return reason === null ? null : { reason: reason || undefined };
}
