// Campaigns: the list, a campaign's editor (name, channel, period, cost; saved with If-Match on its version, so a
// campaign someone changed meanwhile is a 412 shown as the API gives it, a name another campaign has a 409) and what
// it produced (members, leads, won revenue it sourced and influenced). Marketing and admin edit; sales reads.
import { h, replace, field, toast } from './dom.js';
import { api, problemView, session } from './api.js';

export const CAMPAIGN_ROLES = ['marketing', 'sales', 'admin'];
const canEdit = () => session.has('marketing', 'admin');
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234.5 -> "1,234.50" (in the browser's locale); null -> "–" */
export function amount(value) {
  return value === null || value === undefined ? '–' : money.format(Number(value));
}

export function renderCampaigns(main) {
  const list = h('div', { 'aria-live': 'polite' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Campaigns'),
    canEdit() ? h('a', { class: 'btn btn-primary', id: 'campaign-new', href: '#/campaigns/new' }, 'New campaign') : null), list);
  api('GET', '/campaigns').then((page) => {
    if (!page.items.length) {
      replace(list, h('p', { class: 'empty' }, 'No campaign yet.'));
      return;
    }
    replace(list, h('table', { class: 'table', id: 'campaigns' },
      h('thead', null, h('tr', null, ['Campaign', 'Channel', 'From', 'To', 'Cost'].map((c) => h('th', { scope: 'col', class: c === 'Cost' ? 'num' : null }, c)))),
      h('tbody', null, page.items.map((c) => h('tr', { dataset: { campaignId: c.id } },
        h('td', null, h('a', { href: `#/campaigns/${c.id}` }, c.name)), h('td', null, c.channel || '–'),
        h('td', null, c.startsOn || '–'), h('td', null, c.endsOn || '–'), h('td', { class: 'num' }, amount(c.cost)))))));
  }).catch((e) => replace(list, problemView(e)));
}

export function renderCampaign(main, id) {
  const body = h('div');
  replace(main, h('p', { class: 'crumbs' }, h('a', { href: '#/campaigns' }, '← Campaigns')), body);
  load();

  async function load() {
    if (id === 'new') {
      draw({ name: '', channel: '', startsOn: null, endsOn: null, cost: null }, null);
      return;
    }
    try {
      const campaign = await api('GET', `/campaigns/${id}`);
      draw(campaign, campaign.results);
    } catch (e) {
      replace(body, problemView(e));
    }
  }

  function draw(campaign, results) {
    const editable = canEdit();
    const input = (name, value, props = {}) => h('input', { id: `campaign-${name}`, name, value: value === null || value === undefined ? '' : String(value), disabled: !editable, ...props });
    const name = input('name', campaign.name, { required: true, maxlength: '200' });
    const channel = input('channel', campaign.channel, { maxlength: '100', placeholder: 'EMAIL, EVENT, SOCIAL, …' });
    const startsOn = input('startsOn', campaign.startsOn, { type: 'date' });
    const endsOn = input('endsOn', campaign.endsOn, { type: 'date' });
    const cost = input('cost', campaign.cost, { type: 'number', min: '0', step: '0.01' });
    const answer = h('div', { id: 'campaign-answer', 'aria-live': 'assertive' });
    replace(body,
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, campaign.id ? campaign.name : 'New campaign'),
        campaign.id ? h('p', { class: 'muted', id: 'campaign-version', dataset: { version: String(campaign.version) } }, `Version ${campaign.version}`) : null)),
      h('form', { class: 'panel', onsubmit: save, 'aria-labelledby': 'campaign-edit-title' },
        h('h2', { id: 'campaign-edit-title' }, editable ? (campaign.id ? 'Edit' : 'Create') : 'Campaign'),
        h('div', { class: 'form-grid' }, field('Name', name), field('Channel', channel), field('Starts on', startsOn),
          field('Ends on', endsOn), field('Cost', cost)),
        answer,
        editable ? h('div', { class: 'dialog-actions' },
          h('button', { type: 'submit', class: 'btn btn-primary', id: 'campaign-save' }, campaign.id ? 'Save' : 'Create')) : null),
      results ? resultsPanel(campaign, results) : null);

    async function save(e) {
      e.preventDefault();
      replace(answer);
      const doc = {
        name: name.value.trim(), channel: channel.value.trim() || null, startsOn: startsOn.value || null,
        endsOn: endsOn.value || null, cost: cost.value === '' ? null : Number(cost.value),
      };
      try {
        if (!campaign.id) {
          const created = await api('POST', '/campaigns', { body: doc });
          toast('Campaign created.', 'ok');
          location.hash = `#/campaigns/${created.id}`;
          return;
        }
        // the version this editor was drawn from: someone else's save in between makes it stale (412)
        await api('PUT', `/campaigns/${campaign.id}`, { body: doc, headers: { 'If-Match': `"${campaign.version}"` } });
        toast('Campaign saved.', 'ok');
        load();
      } catch (err) {
        // the edits stay in the form; after a 412 the current version can be read (the edits are then lost)
        replace(answer, problemView(err), err.status === 412 ? h('button', { type: 'button', class: 'btn', id: 'campaign-reload', onclick: load }, 'Load the current version') : null);
      }
    }
  }
}

function resultsPanel(campaign, r) {
  const items = [
    ['members', 'Members', r.members, 'contacts with a lead it touched'],
    ['leads', 'Leads touched', r.leads, 'leads it sourced or touched later (a capture, an import row or an interaction named it)'],
    ['sourcedLeads', 'Leads sourced', r.sourcedLeads, 'leads that came from it'],
    ['wonLeads', 'Won', r.wonLeads, 'leads it touched, closed won'],
    ['sourcedRevenue', 'Sourced revenue', amount(r.sourcedRevenue), 'won revenue of the leads it sourced'],
    ['influencedRevenue', 'Influenced revenue', amount(r.influencedRevenue), 'won revenue of every lead it touched'],
    ['pipelineRevenue', 'Pipeline', amount(r.pipelineRevenue), 'estimated revenue of the leads it touched still open in sales'],
  ];
  return h('section', { class: 'panel', 'aria-labelledby': 'campaign-results-title' },
    h('h2', { id: 'campaign-results-title' }, 'Results'),
    h('dl', { class: 'counts', id: 'campaign-results' }, items.map(([key, label, value, title]) =>
      h('div', { class: 'count-item', title }, h('dt', null, label), h('dd', { dataset: { field: key } }, String(value))))),
    h('p', { class: 'muted' }, campaign.cost ? `Cost ${amount(campaign.cost)}. ` : null,
      'Its leads step by step: the ', h('a', { href: '#/report' }, 'closed-loop report'), ' by campaign.'));
}
