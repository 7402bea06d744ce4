// Scoring models: the list, and the editor of a model's draft (rules, grades, threshold, scope) with publish and
// retire; publishing or retiring starts a re-scoring job whose progress is shown until it ends.
import { h, replace, humanise, timeEl, field, toast } from './dom.js';
import { api, problemView, session } from './api.js';

const KINDS = ['BEHAVIOUR', 'DEMOGRAPHIC', 'LEAD'];
const OPERATORS = ['', 'EQUALS', 'CONTAINS', 'STARTS_WITH', 'IN', 'GREATER_OR_EQUAL'];
const TYPES = ['', 'EMAIL_OPENED', 'EMAIL_CLICKED', 'PAGE_VISITED', 'FORM_SUBMITTED', 'EVENT_REGISTERED', 'EVENT_ATTENDED', 'UNSUBSCRIBED'];
const canEdit = () => session.has('marketing', 'admin');

export function renderModels(main) {
  const list = h('div', { 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Scoring models'),
    canEdit() ? h('a', { class: 'btn btn-primary', href: '#/models/new' }, 'New model') : null), list);
  api('GET', '/scoring/models?limit=200').then((page) => {
    replace(list, h('table', { class: 'table', id: 'models' },
      h('thead', null, h('tr', null, ['Model', 'Status', 'Version', 'Draft', 'Topics', 'Sales-ready at', 'Rules', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, page.items.map((m) => h('tr', null,
        h('td', null, h('a', { href: `#/models/${m.id}` }, m.name)),
        h('td', null, h('span', { class: ['badge', m.status === 'PUBLISHED' ? 'badge-ok' : m.status === 'RETIRED' ? '' : 'badge-warn'] }, humanise(m.status))),
        h('td', { class: 'num' }, String(m.version)), h('td', { class: 'num' }, m.draftVersion ? `v${m.draftVersion}` : '–'),
        h('td', null, m.scope && m.scope.topics && m.scope.topics.length ? m.scope.topics.join(', ') : 'every topic'),
        h('td', { class: 'num' }, String(m.salesReadyThreshold)), h('td', { class: 'num' }, String((m.rules || []).length)),
        h('td', null, timeEl(m.updatedAt)))))));
  }).catch((e) => replace(list, problemView(e)));
}

export function renderModel(main, id) {
  const body = h('div');
  replace(main, h('p', { class: 'crumbs' }, h('a', { href: '#/models' }, '← Scoring models')), body);
  load();

  async function load() {
    let model;
    let draft = null;
    try {
      if (id === 'new') {
        model = { name: '', description: '', scope: { topics: [] }, salesReadyThreshold: 50, status: 'NEW',
          grades: [{ name: 'D', minScore: 0 }, { name: 'C', minScore: 25 }, { name: 'B', minScore: 50 }, { name: 'A', minScore: 75 }],
          rules: [{ id: 'form-submitted', kind: 'BEHAVIOUR', interactionType: 'FORM_SUBMITTED', points: 10 }] };
      } else {
        model = await api('GET', `/scoring/models/${id}`);
        if (model.draftVersion && model.draftVersion !== model.version) draft = await api('GET', `/scoring/models/${id}/versions/${model.draftVersion}`);
      }
    } catch (e) {
      replace(body, problemView(e));
      return;
    }
    draw(model, draft);
  }

  function draw(model, draft) {
    const edited = draft || model;
    const editable = canEdit() && model.status !== 'RETIRED';
    const name = h('input', { id: 'model-name', required: true, maxlength: '200', value: edited.name, disabled: !editable });
    const description = h('textarea', { id: 'model-description', rows: '2', disabled: !editable }, edited.description || '');
    const topics = h('input', { id: 'model-topics', value: (edited.scope && edited.scope.topics || []).join(', '), disabled: !editable, placeholder: 'every topic' });
    const threshold = h('input', { id: 'model-threshold', type: 'number', min: '0', value: String(edited.salesReadyThreshold), disabled: !editable });
    const grades = h('tbody');
    const rules = h('tbody');
    (edited.grades || []).forEach((g) => grades.append(gradeRow(g, editable)));
    (edited.rules || []).forEach((r) => rules.append(ruleRow(r, editable)));
    const answer = h('div', { 'aria-live': 'polite' });
    const job = h('div', { 'aria-live': 'polite' });
    const status = model.status === 'NEW' ? 'New' : `${humanise(model.status)} v${model.version}${draft ? ` · draft v${draft.version}` : ''}`;
    replace(body,
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, model.name || 'New scoring model'), h('p', { class: 'muted', id: 'model-status' }, status)),
        canEdit() && model.id ? h('div', { class: 'actions' },
          model.status !== 'RETIRED' && (draft || model.status === 'DRAFT') ? h('button', { type: 'button', class: 'btn btn-primary', id: 'model-publish', onclick: () => transition('publish') }, 'Publish draft') : null,
          model.status !== 'RETIRED' ? h('button', { type: 'button', class: 'btn btn-danger', onclick: () => { if (confirmRetire()) transition('retire'); } }, 'Retire') : null) : null),
      job,
      h('form', { class: 'panel', onsubmit: save, 'aria-labelledby': 'model-edit-title' },
        h('h2', { id: 'model-edit-title' }, editable ? (model.status === 'PUBLISHED' && !draft ? 'Edit (saving makes a draft; the published version scores until you publish)' : 'Edit the draft') : 'Model'),
        h('div', { class: 'form-grid' }, field('Name', name), field('Sales-ready threshold', threshold, 'points'),
          field('Topics', topics, 'comma-separated; empty for every topic'), field('Description', description)),
        h('h3', null, 'Grades'),
        h('table', { class: 'table table-edit table-grades' }, h('thead', null, h('tr', null, ['Grade', 'From score', ''].map((c) => h('th', { scope: 'col' }, c)))), grades),
        editable ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => grades.append(gradeRow({ name: '', minScore: 0 }, true)) }, 'Add grade') : null,
        h('h3', null, 'Rules'),
        h('div', { class: 'table-scroll' }, h('table', { class: 'table table-edit' },
          h('thead', null, h('tr', null, ['Id', 'Kind', 'Interaction', 'Attribute', 'Operator', 'Value', 'Points', 'Max times', 'Window (days)', ''].map((c) => h('th', { scope: 'col' }, c)))), rules)),
        editable ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => rules.append(ruleRow({ kind: 'BEHAVIOUR', points: 1 }, true)) }, 'Add rule') : null,
        answer,
        editable ? h('div', { class: 'dialog-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'model-save' }, model.id ? 'Save draft' : 'Create draft')) : null));

    function confirmRetire() {
      // a native confirm is keyboard- and screen-reader-friendly and enough for this one question
      return window.confirm(`Retire ${model.name}? It stops scoring and its scores are withdrawn from every lead.`);
    }

    async function save(e) {
      e.preventDefault();
      replace(answer);
      const doc = {
        name: name.value.trim(), description: description.value.trim() || null,
        scope: { topics: topics.value.split(',').map((t) => t.trim()).filter(Boolean) },
        salesReadyThreshold: Number(threshold.value),
        grades: [...grades.children].map((tr) => ({ name: tr.querySelector('[name=grade]').value.trim(), minScore: Number(tr.querySelector('[name=minScore]').value) })),
        rules: [...rules.children].map((tr) => {
          const v = (n) => tr.querySelector(`[name=${n}]`).value.trim();
          const num = (n) => (v(n) === '' ? null : Number(v(n)));
          const op = v('operator') || null;
          const raw = v('value');
          return { id: v('id'), kind: v('kind'), interactionType: v('interactionType') || null, attribute: v('attribute') || null, operator: op,
            value: raw === '' ? null : op === 'IN' ? raw.split(',').map((x) => x.trim()) : op === 'GREATER_OR_EQUAL' ? Number(raw) : raw,
            points: num('points'), maxTimes: num('maxTimes'), windowDays: num('windowDays') };
        }),
      };
      try {
        const saved = model.id ? await api('PUT', `/scoring/models/${model.id}`, { body: doc }) : await api('POST', '/scoring/models', { body: doc });
        toast('Draft saved.', 'ok');
        if (!model.id) location.hash = `#/models/${saved.id}`;
        else load();
      } catch (err) {
        replace(answer, problemView(err));
      }
    }

    async function transition(kind) {
      replace(job);
      try {
        const result = await api('POST', `/scoring/models/${model.id}/${kind}`);
        toast(kind === 'publish' ? 'Published; re-scoring the leads.' : 'Retired.', 'ok');
        if (result && result.job) followJob(result.job, job, load);
        else load();
      } catch (err) {
        replace(job, problemView(err));
      }
    }
  }
}

function followJob(first, host, done) {
  const progress = h('progress', { class: 'progress', max: '1', value: '0', id: 'rescore-progress', 'aria-labelledby': 'rescore-label' });
  const label = h('span', { id: 'rescore-label' });
  replace(host, h('section', { class: 'panel' }, h('h2', null, 'Re-scoring'), h('div', { class: 'progress-row' }, progress, label)));
  let job = first;
  const tick = async () => {
    progress.max = Math.max(job.total, 1);
    progress.value = job.state === 'DONE' ? Math.max(job.total, 1) : job.done;
    label.textContent = `${humanise(job.state)}: ${job.done} of ${job.total} leads${job.changed ? `, ${job.changed} changed` : ''}${job.failed ? `, ${job.failed} failed` : ''}`;
    if (job.state === 'DONE' || job.state === 'FAILED') {
      done();
      return;
    }
    if (!host.isConnected) return;
    setTimeout(async () => {
      try {
        job = await api('GET', `/scoring/jobs/${job.id}`);
      } catch (e) {
        replace(host, problemView(e));
        return;
      }
      tick();
    }, 500);
  };
  tick();
}

function gradeRow(g, editable) {
  const tr = h('tr', null,
    h('td', null, h('input', { name: 'grade', 'aria-label': 'Grade name', value: g.name, disabled: !editable, size: '4' })),
    h('td', null, h('input', { name: 'minScore', type: 'number', 'aria-label': 'From score', value: String(g.minScore), disabled: !editable })),
    h('td', null, editable ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Remove grade ${g.name}`, onclick: () => tr.remove() }, 'Remove') : null));
  return tr;
}

function ruleRow(r, editable) {
  const sel = (name, options, value, label) => h('select', { name, 'aria-label': label, disabled: !editable },
    options.map((o) => h('option', { value: o, selected: o === (value || '') }, o ? humanise(o) : '–')));
  const types = r.interactionType && !TYPES.includes(r.interactionType) ? [...TYPES, r.interactionType] : TYPES;
  const input = (name, value, label, type = 'text') => h('input', { name, type, 'aria-label': label, value: value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value), disabled: !editable });
  const tr = h('tr', null,
    h('td', null, input('id', r.id, 'Rule id')), h('td', null, sel('kind', KINDS, r.kind, 'Kind')),
    h('td', null, sel('interactionType', types, r.interactionType, 'Interaction type')), h('td', null, input('attribute', r.attribute, 'Attribute')),
    h('td', null, sel('operator', OPERATORS, r.operator, 'Operator')), h('td', null, input('value', r.value, 'Value')),
    h('td', null, input('points', r.points, 'Points', 'number')), h('td', null, input('maxTimes', r.maxTimes, 'Max times', 'number')),
    h('td', null, input('windowDays', r.windowDays, 'Window in days', 'number')),
    h('td', null, editable ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Remove rule ${r.id || ''}`, onclick: () => tr.remove() }, 'Remove') : null));
  return tr;
}
