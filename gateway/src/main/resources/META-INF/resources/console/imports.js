// Imports: upload a CSV of leads (POST /api/leads/imports: each row a capture, its contact matched or created) or of
// contacts (POST /api/contacts/imports), follow the job with a progress bar, then its counts and per-line errors. The
// jobs of this tab are remembered so that their results can be looked at again.
import { h, replace, humanise, timeEl, field, toast } from './dom.js';
import { api, problemView } from './api.js';

const KEY = 'leadsuite.console.imports';
const FINAL = ['DONE', 'FAILED', 'CANCELLED'];

/** What can be imported: where the API takes it, the columns it reads, and the counts of its job. */
const KINDS = {
  leads: {
    label: 'Leads', path: '/leads/imports',
    columns: 'A header row names the columns, in any order: email and topic (both required), first_name, last_name, company, job_title, industry, country, phone, source (a lead source; Import when empty), source_ref, campaign, consent (true/false). Each row is a capture: its contact is matched by e-mail or created, and its lead created or, when the contact has an open lead on the topic, touched.',
    counts: (job) => [['Contacts created', job.created], ['Contacts matched', job.unchanged], ['Leads created', job.leadsCreated], ['Leads touched', job.leadsTouched], ['Failed', job.failed]],
  },
  contacts: {
    label: 'Contacts', path: '/contacts/imports',
    columns: 'A header row names the columns, in any order: email (required), first_name, last_name, company, job_title, industry, country, phone. A contact whose e-mail is known gets the row\'s non-empty values.',
    counts: (job) => [['Created', job.created], ['Updated', job.updated], ['Unchanged', job.unchanged], ['Failed', job.failed]],
  },
};

export function renderImports(main) {
  let alive = true;
  const timers = new Set();
  const kinds = Object.entries(KINDS).map(([value, k], i) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'kind', value, checked: i === 0, id: `import-kind-${value}`, onchange: describe }), ` ${k.label}`));
  const columns = h('p', { class: 'muted', id: 'import-columns' });
  const file = h('input', { id: 'import-file', type: 'file', name: 'file', accept: '.csv,text/csv,text/plain', required: true });
  const delimiter = h('select', { id: 'import-delimiter', name: 'delimiter' },
    [[',', 'Comma ,'], [';', 'Semicolon ;'], ['tab', 'Tab'], ['|', 'Pipe |']].map(([v, l]) => h('option', { value: v }, l)));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'import-submit' }, 'Upload and import');
  const answer = h('div', { 'aria-live': 'polite' });
  const jobsEl = h('div', { class: 'jobs', id: 'import-jobs' });
  replace(main,
    h('div', { class: 'page-head' }, h('h1', null, 'Imports')),
    h('section', { class: 'panel', 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, 'Import from a CSV file'),
      h('form', { onsubmit: upload },
        h('fieldset', { class: 'choices' }, h('legend', null, 'What the file holds'), kinds),
        columns,
        h('div', { class: 'form-row' }, field('CSV file', file), field('Delimiter', delimiter), submit)), answer),
    h('section', { class: 'panel', 'aria-labelledby': 'jobs-title' }, h('h2', { id: 'jobs-title' }, 'Imports of this session'), jobsEl));
  describe();

  function kind() {
    return main.querySelector('input[name=kind]:checked').value;
  }

  function describe() {
    columns.textContent = KINDS[kind()].columns;
  }

  /** The jobs of this tab, newest first: {jobId, kind, name}. */
  function remembered() {
    return JSON.parse(sessionStorage.getItem(KEY) || '[]').filter((j) => j && KINDS[j.kind]);
  }

  remembered().forEach((j) => follow(j));

  async function upload(e) {
    e.preventDefault();
    replace(answer);
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    submit.disabled = true;
    const what = kind();
    try {
      const accepted = await api('POST', `${KINDS[what].path}?delimiter=${encodeURIComponent(delimiter.value)}`,
        { body: chosen, contentType: 'text/csv' });
      const job = { jobId: accepted.jobId, kind: what, name: chosen.name };
      sessionStorage.setItem(KEY, JSON.stringify([job, ...remembered()].slice(0, 10)));
      toast(`${chosen.name} uploaded; importing ${KINDS[what].label.toLowerCase()}.`, 'ok');
      follow(job, true);
      file.value = '';
    } catch (err) {
      replace(answer, problemView(err));
    } finally {
      submit.disabled = false;
    }
  }

  function follow({ jobId, kind: what, name }, first) {
    const path = `${KINDS[what].path}/${jobId}`;
    const progress = h('progress', { class: 'progress', max: '1', value: '0', 'aria-labelledby': `job-${jobId}-label` });
    const label = h('span', { id: `job-${jobId}-label` }, 'Queued');
    const counts = h('dl', { class: 'counts' });
    const errors = h('div', { class: 'job-errors' });
    const cancel = h('button', { type: 'button', class: 'btn btn-small', onclick: () => api('POST', `${path}/cancel`).then(poll).catch((e) => replace(errors, problemView(e))) }, 'Cancel');
    const card = h('article', { class: 'job', id: `job-${jobId}`, dataset: { jobId, kind: what, state: 'QUEUED' } },
      h('div', { class: 'job-head' }, h('h3', null, `${KINDS[what].label}: ${name || jobId.slice(0, 8)}`), h('span', { class: 'badge job-state' }, 'Queued'), cancel),
      h('div', { class: 'progress-row' }, progress, label), counts, errors);
    if (first) jobsEl.prepend(card);
    else jobsEl.append(card);
    let delay = 300;
    poll();

    async function poll() {
      if (!alive) return;
      let job;
      try {
        job = await api('GET', path);
      } catch (e) {
        if (e.status === 404) {
          card.remove();
          return;
        }
        replace(errors, problemView(e));
        schedule();
        return;
      }
      draw(job);
      if (!FINAL.includes(job.state)) schedule();
    }

    function schedule() {
      const t = setTimeout(() => {
        timers.delete(t);
        poll();
      }, delay);
      timers.add(t);
      delay = Math.min(delay * 1.5, 2000);
    }

    function draw(job) {
      card.dataset.state = job.state;
      card.querySelector('.job-state').textContent = humanise(job.state);
      card.querySelector('.job-state').className = `badge job-state ${job.state === 'DONE' ? 'badge-ok' : job.state === 'FAILED' ? 'badge-danger' : ''}`;
      progress.max = Math.max(job.total, 1);
      progress.value = job.state === 'DONE' ? Math.max(job.total, 1) : job.processed;
      label.textContent = job.total ? `${job.processed} of ${job.total} rows (${Math.round((job.processed / job.total) * 100)} %)` : humanise(job.state);
      cancel.hidden = FINAL.includes(job.state);
      replace(counts, KINDS[what].counts(job)
        .map(([k, v]) => h('div', { class: ['count-item', k === 'Failed' && v ? 'count-bad' : ''] }, h('dt', null, k), h('dd', null, String(v ?? 0)))),
      h('div', { class: 'count-item' }, h('dt', null, 'Started'), h('dd', null, timeEl(job.startedAt || job.createdAt))));
      const errs = job.errors || [];
      replace(errors,
        job.failure ? h('p', { class: 'error', role: 'alert' }, job.failure) : null,
        errs.length ? h('table', { class: 'table', id: `job-${jobId}-errors` },
          h('caption', null, `${errs.length} line${errs.length === 1 ? '' : 's'} refused`),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Why'))),
          h('tbody', null, errs.map((e) => h('tr', null, h('td', { class: 'num' }, String(e.line)), h('td', null, e.message))))) : null);
    }
  }

  return () => {
    alive = false;
    timers.forEach(clearTimeout);
  };
}
