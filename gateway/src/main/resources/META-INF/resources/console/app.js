// The console's shell: sign-in (a pasted token, or the cluster's identity provider), navigation (only the screens the
// caller's roles allow), hash routes.
import { h, replace, toast } from './dom.js';
import { api, session, whenUnauthorised, STAFF, ALL, problemView, decode } from './api.js';
import { startLive, stopLive, onLiveState } from './live.js';
import { renderBoard } from './board.js';
import { renderLead } from './lead.js';
import { renderImports } from './imports.js';
import { renderContacts, renderContact } from './contact.js';
import { renderQueue } from './queue.js';
import { renderModels, renderModel } from './models.js';
import { renderFunnel } from './funnel.js';
import { renderCampaigns, renderCampaign, CAMPAIGN_ROLES } from './campaigns.js';
import { renderReport } from './report.js';
import { consoleConfig, beginSignIn, completeSignIn } from './oidc.js';

/** The screens, the roles that may see each (the gateway's role table), and their routes. */
const SCREENS = [
  { path: 'board', label: 'Pipeline', roles: ALL, render: renderBoard },
  { path: 'queue', label: 'Work queue', roles: ['telesales', 'sales', 'admin'], render: renderQueue },
  { path: 'contacts', label: 'Contacts', roles: STAFF, render: renderContacts },
  { path: 'imports', label: 'Imports', roles: ['marketing', 'admin'], render: renderImports },
  { path: 'models', label: 'Scoring models', roles: STAFF, render: renderModels },
  { path: 'funnel', label: 'Funnel', roles: STAFF, render: renderFunnel },
  { path: 'campaigns', label: 'Campaigns', roles: CAMPAIGN_ROLES, render: renderCampaigns },
  { path: 'report', label: 'Closed loop', roles: CAMPAIGN_ROLES, render: renderReport },
];
const DETAILS = [
  { pattern: /^leads\/([0-9a-f-]{36})$/, roles: ALL, render: renderLead, nav: 'board' },
  { pattern: /^contacts\/([0-9a-f-]{36})$/, roles: ALL, render: renderContact, nav: 'contacts' },
  { pattern: /^models\/([0-9a-f-]{36}|new)$/, roles: STAFF, render: renderModel, nav: 'models' },
  { pattern: /^campaigns\/([0-9a-f-]{36}|new)$/, roles: CAMPAIGN_ROLES, render: renderCampaign, nav: 'campaigns' },
];

const app = document.getElementById('app');
let cleanups = [];

whenUnauthorised(() => {
  session.clear();
  stopLive();
  toast('Your session has ended: sign in again.', 'error');
  location.hash = '#/signin';
});

window.addEventListener('hashchange', route);
start();

/** A return from the identity provider is completed (its token checked as a pasted one) before the first screen. */
async function start() {
  let refusal = null;
  try {
    const back = await completeSignIn();
    if (back) {
      refusal = await signIn(back.token);
      if (!refusal) location.replace(`#/${back.returnTo || ''}`);
    }
  } catch (e) {
    refusal = h('p', { class: 'error', role: 'alert' }, e.message);
  }
  route();
  if (refusal) replace(document.querySelector('.signin-message') || app, refusal);
}

/** Checks a token and keeps it for the session: null when signed in, else what to show on the sign-in form. */
async function signIn(token) {
  let claims;
  try {
    claims = decode(token);
  } catch (err) {
    return h('p', { class: 'error', role: 'alert' }, err.message);
  }
  if (claims.exp && claims.exp * 1000 <= Date.now()) {
    return h('p', { class: 'error', role: 'alert' }, 'This token has expired: make a new one.');
  }
  session.save(token);
  try {
    // the gateway verifies the token (signature, issuer, audience, expiry) on this first call
    await api('GET', '/flows', { probe: true });
  } catch (err) {
    session.clear();
    return problemView(err);
  }
  if (!session.roles.size) {
    session.clear();
    return h('p', { class: 'error', role: 'alert' }, 'This token carries none of the suite\'s roles.');
  }
  return null;
}

function route() {
  cleanups.splice(0).forEach((fn) => {
    try {
      fn();
    } catch (e) {
      console.error(e);
    }
  });
  const path = location.hash.replace(/^#\/?/, '');
  if (!session.signedIn) {
    stopLive();
    renderSignIn(path === 'signin' ? '' : path);
    return;
  }
  if (path === 'signin' || path === '') {
    location.replace(`#/${SCREENS.find((s) => session.has(s.roles)).path}`);
    return;
  }
  startLive();
  const screen = SCREENS.find((s) => s.path === path);
  const detail = screen ? null : DETAILS.map((d) => ({ d, m: path.match(d.pattern) })).find((x) => x.m);
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  replace(app, shell(screen ? screen.path : detail ? detail.d.nav : ''), main);
  const target = screen || (detail && detail.d);
  if (!target) {
    main.append(h('h1', null, 'Not found'), h('p', null, 'No screen at this address.'));
    return;
  }
  if (!session.has(target.roles)) {
    main.append(h('h1', null, 'Not for your role'),
      h('p', null, `This screen needs one of the roles ${target.roles.join(', ')}; you have ${[...session.roles].join(', ') || 'none'}.`));
    return;
  }
  try {
    const done = target.render(main, detail ? detail.m[1] : undefined);
    if (typeof done === 'function') cleanups.push(done);
  } catch (e) {
    main.append(problemView(e));
  }
  main.focus({ preventScroll: true });
}

function shell(active) {
  const live = h('span', { class: 'live', id: 'live-state', 'aria-live': 'polite' });
  const unsubscribe = onLiveState((s) => {
    live.className = `live live-${s}`;
    live.textContent = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', refused: 'Live updates refused', off: 'Offline' }[s] || s;
  });
  cleanups.push(unsubscribe);
  const exp = session.claims && session.claims.exp ? new Date(session.claims.exp * 1000) : null;
  return h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/board' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'L'), 'Lead console'),
    h('nav', { 'aria-label': 'Screens' }, h('ul', null,
      SCREENS.filter((s) => session.has(s.roles)).map((s) => h('li', null,
        h('a', { href: `#/${s.path}`, 'aria-current': s.path === active ? 'page' : null }, s.label))))),
    h('div', { class: 'who' }, live,
      h('span', { class: 'user', title: exp ? `Token valid until ${exp.toLocaleString()}` : '' },
        session.user, ' ', h('span', { class: 'roles' }, [...session.roles].join(' · '))),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: signOut }, 'Sign out')));
}

function signOut() {
  session.clear();
  stopLive();
  location.hash = '#/signin';
  route();
}

function renderSignIn(returnTo) {
  const message = h('div', { class: 'signin-message', 'aria-live': 'polite' });
  const input = h('textarea', { id: 'token', name: 'token', rows: '6', required: true, spellcheck: 'false',
    autocomplete: 'off', placeholder: 'eyJhbGciOi…', oninput: () => replace(message) });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');
  const provider = h('div', { class: 'signin-provider' });
  const form = h('form', { class: 'signin-form', onsubmit: submit },
    h('label', { for: 'token' }, 'Bearer token'), input,
    h('small', { class: 'hint' }, 'Locally: the token that ', h('code', null, 'scripts/suite.sh up'),
      ' prints, or ', h('code', null, 'scripts/suite.sh token marketing telesales'),
      '. It is kept in this browser tab only, until you sign out or close the tab.'),
    message, button);
  replace(app, h('main', { id: 'main', class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'L'), 'Lead console'),
      h('h1', null, 'Sign in'),
      h('p', { class: 'muted' }, 'The pipeline, every lead\'s scores and moves, live.'), provider, form)));
  input.focus();
  // in a cluster, the gateway names the identity provider it trusts: sign in there (the pasted token stays possible)
  consoleConfig().then((config) => {
    if (!config.oidc || !provider.isConnected) return;
    const go = h('button', { type: 'button', class: 'btn btn-primary', id: 'signin-oidc', onclick: async () => {
      go.disabled = true;
      try {
        await beginSignIn(config.oidc, returnTo);
      } catch (err) {
        go.disabled = false;
        replace(message, h('p', { class: 'error', role: 'alert' }, err.message));
      }
    } }, 'Sign in with your organisation\'s account');
    replace(provider, go, h('p', { class: 'signin-or muted' }, 'or paste a token'));
  }).catch((err) => replace(provider, h('p', { class: 'muted' }, err.message)));

  async function submit(e) {
    e.preventDefault();
    // the token alone, or as scripts/suite.sh prints it (export TOKEN=...) or as a header value (Bearer ...)
    const token = input.value.trim().replace(/^export\s+TOKEN=/, '').replace(/^Bearer\s+/i, '').replace(/^["']|["']$/g, '');
    replace(message);
    button.disabled = true;
    const refusal = await signIn(token);
    if (refusal) {
      button.disabled = false;
      replace(message, refusal);
      return;
    }
    location.hash = returnTo ? `#/${returnTo}` : '#/';
    route();
  }
}
