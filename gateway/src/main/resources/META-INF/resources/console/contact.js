// Contacts: search, and a contact's page (details, consent, every lead with its scores, merge, erase).
import { h, replace, humanise, timeEl, field, toast, debounce } from './dom.js';
import { api, all, query, problemView, session, STAFF } from './api.js';
import { contactName, bestScore, gradeBadge, forgetContact } from './leads.js';

export function renderContacts(main) {
  const q = h('input', { id: 'contacts-q', type: 'search', placeholder: 'name, e-mail or company', oninput: debounce(search, 300) });
  const results = h('div', { 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Contacts')),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); search(); } }, field('Search', q)), results);
  search();
  q.focus();
  async function search() {
    try {
      const page = await api('GET', `/contacts${query({ q: q.value.trim(), limit: 50 })}`);
      replace(results, page.items.length ? h('table', { class: 'table' },
        h('thead', null, h('tr', null, ['Name', 'E-mail', 'Company', 'Country', 'Consent', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, page.items.map((c) => h('tr', null,
          h('td', null, h('a', { href: `#/contacts/${c.id}` }, contactName(c))), h('td', null, c.email), h('td', null, c.company || ''),
          h('td', null, c.country || ''), h('td', null, c.consent && c.consent.marketing ? 'Yes' : 'No'), h('td', null, timeEl(c.createdAt))))))
        : h('p', { class: 'muted' }, 'No contact matches.'));
    } catch (e) {
      replace(results, problemView(e));
    }
  }
}

export function renderContact(main, id) {
  const body = h('div');
  const notice = h('div', { 'aria-live': 'polite' });
  replace(main, h('p', { class: 'crumbs' }, h('a', { href: session.has(STAFF) ? '#/contacts' : '#/board' }, '← Contacts')), notice, body);
  load();

  async function load() {
    let o;
    try {
      o = await api('GET', `/contacts/${id}/overview`);
    } catch (e) {
      replace(body, problemView(e));
      return;
    }
    const c = o.contact;
    const consent = c.consent || {};
    const manage = session.has('marketing', 'admin');
    replace(body,
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, contactName(c)), h('p', { class: 'lead-sub muted' }, [c.jobTitle, c.company].filter(Boolean).join(' · '))),
        manage ? h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => merge(c) }, 'Merge a duplicate…'),
          h('button', { type: 'button', class: 'btn btn-danger', onclick: () => erase(c) }, 'Erase…')) : null),
      o.complete === false ? h('p', { class: 'notice' }, 'Part of this overview is missing: ', (o.reasons || o.missing || []).join ? (o.reasons || o.missing).join('; ') : '') : null,
      h('div', { class: 'lead-grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title' }, 'Details'),
          h('dl', { class: 'details' }, [['E-mail', c.email], ['Phone', c.phone], ['Company', c.company], ['Job title', c.jobTitle], ['Industry', c.industry], ['Country', c.country], ['Status', humanise(c.status)]]
            .map(([k, v]) => [h('dt', null, k), h('dd', null, v || '–')]), h('dt', null, 'Created'), h('dd', null, timeEl(c.createdAt)), h('dt', null, 'Updated'), h('dd', null, timeEl(c.updatedAt)))),
        h('section', { class: 'panel', 'aria-labelledby': 'consent-title' }, h('h2', { id: 'consent-title' }, 'Consent'),
          h('p', null, h('span', { class: ['badge', consent.marketing ? 'badge-ok' : consent.pending ? 'badge-warn' : ''] },
            consent.marketing ? 'Marketing consent given' : consent.pending ? 'Waiting for confirmation' : 'No marketing consent')),
          h('dl', { class: 'details' }, h('dt', null, 'Since'), h('dd', null, timeEl(consent.at)), h('dt', null, 'Source'), h('dd', null, consent.source || '–')))),
      h('section', { class: 'panel', 'aria-labelledby': 'leads-title' }, h('h2', { id: 'leads-title' }, `Leads (${o.leads.length})`),
        o.leads.length ? h('table', { class: 'table' },
          h('thead', null, h('tr', null, ['Topic', 'Flow', 'Stage', 'Status', 'Score', 'Created'].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', null, o.leads.map(({ lead, scores }) => h('tr', null,
            h('td', null, h('a', { href: `#/leads/${lead.id}` }, lead.topic)), h('td', null, lead.flow), h('td', null, humanise(lead.stage)),
            h('td', null, humanise(lead.status)), h('td', null, gradeBadge(bestScore(scores || lead.scores))), h('td', null, timeEl(lead.createdAt))))))
          : h('p', { class: 'muted' }, 'No leads.')));
  }

  async function merge(c) {
    const email = h('input', { id: 'merge-email', type: 'email', required: true, placeholder: 'duplicate@example.com' });
    const found = h('div', { 'aria-live': 'polite' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, 'Merge');
    let duplicate = null;
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'merge-title' },
      h('form', { onsubmit: send },
        h('h2', { id: 'merge-title' }, `Merge a duplicate into ${contactName(c)}`),
        h('p', { class: 'muted' }, 'The duplicate\'s leads move over to this contact; the duplicate is then gone.'),
        field('E-mail of the duplicate', email), h('button', { type: 'button', class: 'btn btn-small', onclick: find }, 'Find'), found,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), ok)));
    document.body.append(dialog);
    dialog.showModal();
    email.focus();
    function close() {
      dialog.close();
      dialog.remove();
    }
    async function find() {
      ok.disabled = true;
      duplicate = null;
      try {
        const page = await api('GET', `/contacts${query({ email: email.value.trim(), limit: 5 })}`);
        duplicate = page.items.find((d) => d.id !== c.id) || null;
        replace(found, duplicate ? h('p', null, `${contactName(duplicate)} · ${duplicate.email} · ${duplicate.company || ''}`) : h('p', { class: 'error' }, 'No other contact has this e-mail.'));
        ok.disabled = !duplicate;
      } catch (e) {
        replace(found, problemView(e));
      }
    }
    async function send(e) {
      e.preventDefault();
      if (!duplicate) return find();
      try {
        const moving = (await all(`/leads${query({ contactId: duplicate.id })}`)).map((l) => l.id);
        await api('POST', `/contacts/${c.id}/merge`, { body: { duplicateId: duplicate.id } });
        forgetContact(duplicate.id);
        close();
        toast('Merged.', 'ok');
        await leadsMovedOver(moving);
        load();
      } catch (err) {
        replace(found, problemView(err));
      }
    }
  }

  /** lead-service moves the duplicate's leads over when it hears of the merge: shown until they are all here. */
  async function leadsMovedOver(ids) {
    let delay = 250;
    for (let tries = 0; ids.length && tries < 40 && main.isConnected; tries++) {
      const here = new Set((await all(`/leads${query({ contactId: id })}`)).map((l) => l.id));
      const moved = ids.filter((x) => here.has(x)).length;
      if (moved === ids.length) break;
      replace(notice, h('p', { class: 'notice', id: 'merge-progress' }, `Moving the duplicate's leads over: ${moved} of ${ids.length}…`));
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 1.5, 2000);
    }
    replace(notice);
  }

  async function erase(c) {
    const confirmInput = h('input', { id: 'erase-confirm', autocomplete: 'off' });
    const answer = h('div', { 'aria-live': 'polite' });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'erase-title' },
      h('form', { onsubmit: send },
        h('h2', { id: 'erase-title' }, `Erase ${contactName(c)}?`),
        h('p', null, 'Every personal detail of this contact is removed from the suite, its leads are closed and their scores dropped. This cannot be undone.'),
        field(`Type the e-mail ${c.email} to confirm`, confirmInput), answer,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Keep the contact'),
          h('button', { type: 'submit', class: 'btn btn-danger' }, 'Erase for good'))));
    document.body.append(dialog);
    dialog.showModal();
    confirmInput.focus();
    function close() {
      dialog.close();
      dialog.remove();
    }
    async function send(e) {
      e.preventDefault();
      if (confirmInput.value.trim().toLowerCase() !== String(c.email).toLowerCase()) {
        replace(answer, h('p', { class: 'error', role: 'alert' }, 'The e-mail does not match.'));
        return;
      }
      try {
        await api('DELETE', `/contacts/${c.id}`);
        forgetContact(c.id);
        close();
        toast('The contact was erased.', 'ok');
        location.hash = '#/contacts';
      } catch (err) {
        replace(answer, problemView(err));
      }
    }
  }
}
