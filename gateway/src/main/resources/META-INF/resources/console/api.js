// The session (the bearer token, kept in sessionStorage for this browser tab) and calls to the public API.
import { h } from './dom.js';

const KEY = 'leadsuite.console.token';

export const ROLES = ['marketing', 'telesales', 'sales', 'admin', 'crm'];
export const STAFF = ['marketing', 'telesales', 'sales', 'admin'];
export const ALL = [...STAFF, 'crm'];

/** The claims of a JWT (not verified here: the gateway verifies every call). */
export function decode(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('This is not a JSON Web Token (three parts separated by dots).');
  let json;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error('The token\'s claims cannot be read.');
  }
  return json;
}

class Session {
  constructor() {
    this.load(sessionStorage.getItem(KEY));
  }

  load(token) {
    this.token = null;
    this.claims = null;
    this.roles = new Set();
    if (!token) return;
    try {
      const claims = decode(token);
      this.token = token;
      this.claims = claims;
      this.roles = new Set((claims.groups || []).filter((g) => ROLES.includes(g)));
    } catch (e) {
      sessionStorage.removeItem(KEY);
    }
  }

  get signedIn() {
    return !!this.token && !this.expired;
  }

  get expired() {
    return this.claims && typeof this.claims.exp === 'number' && this.claims.exp * 1000 <= Date.now();
  }

  /** The caller's name as the services record it (actor, owner). */
  get user() {
    return (this.claims && (this.claims.upn || this.claims.preferred_username || this.claims.sub)) || '';
  }

  has(...roles) {
    return roles.flat().some((r) => this.roles.has(r));
  }

  save(token) {
    sessionStorage.setItem(KEY, token);
    this.load(token);
  }

  clear() {
    sessionStorage.removeItem(KEY);
    this.load(null);
  }
}

export const session = new Session();

/** A refusal of the API: its status and the problem+json body (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

let onUnauthorised = () => {};
export function whenUnauthorised(fn) {
  onUnauthorised = fn;
}

/** Calls /api{path}; JSON in and out (or the text of another type it accepts, e.g. text/csv); throws ApiError for any
 * status >= 400. A 401 ends the session (except for the sign-in's probe, whose refusal is shown on the sign-in form). */
export async function api(method, path, { body, contentType, accept = 'application/json', headers = {}, signal, probe = false } = {}) {
  const init = { method, headers: { Accept: accept, ...headers }, signal };
  if (session.token) init.headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) {
    if (contentType) {
      init.headers['Content-Type'] = contentType;
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(`/api${path}`, init);
  const text = await response.text();
  if (response.ok && accept !== 'application/json') return text;
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = { detail: text };
    }
  }
  if (response.status === 401 && session.token && !probe) {
    onUnauthorised(data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Every page of a cursor-paged list (up to max items). */
export async function all(path, max = 1000) {
  const items = [];
  let after = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...(page.items || []));
    after = page.next;
  } while (after && items.length < max);
  return items;
}

export function query(params) {
  const q = Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return q ? `?${q}` : '';
}

const STATUS_TEXT = {
  400: 'The request was not accepted',
  401: 'The token was not accepted',
  403: 'Your role does not allow this',
  404: 'Not found',
  409: 'Not possible from here',
  412: 'Someone changed it meanwhile',
  422: 'More information is needed',
  429: 'Too many requests',
  503: 'The service is unavailable',
};

/** The API's answer to a refused action, as a panel: title, detail and each field it names. */
export function problemView(error) {
  if (!(error instanceof ApiError)) {
    return h('div', { class: 'problem', role: 'alert' }, h('strong', null, 'Something went wrong'),
      h('p', null, String(error && error.message ? error.message : error)));
  }
  const p = error.problem;
  const errors = Array.isArray(p.errors) ? p.errors : [];
  return h('div', { class: 'problem', role: 'alert', dataset: { status: String(error.status) } },
    h('strong', null, `${STATUS_TEXT[error.status] || p.title || 'Refused'} (${error.status})`),
    p.detail ? h('p', { class: 'problem-detail' }, p.detail) : null,
    errors.length ? h('ul', { class: 'problem-fields' },
      errors.map((e) => h('li', null, h('code', null, e.field || ''), ' ', e.message || ''))) : null);
}
