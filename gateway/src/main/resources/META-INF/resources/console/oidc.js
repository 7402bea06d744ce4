// Sign-in with the cluster's identity provider: OpenID Connect authorisation code flow with PKCE (RFC 7636, S256).
// The gateway names the provider and the console's client id at /console/config.json; without them only the pasted
// token is offered. The access token the provider issues is the bearer token of the session, as a pasted one is.

const PENDING = 'leadsuite.console.oidc';

/** The gateway's console settings: {oidc: {issuer, clientId, scopes}} or {oidc: null}. */
export async function consoleConfig() {
  const response = await fetch('/console/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`The console's settings could not be read (${response.status}).`);
  return response.json();
}

async function discovery(issuer) {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`The identity provider's configuration could not be read (${response.status}).`);
  return response.json();
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n) {
  return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

function redirectUri() {
  return `${location.origin}/`;
}

/** Goes to the provider's sign-in; it comes back to / with ?code=...&state=..., read by {@link completeSignIn}. */
export async function beginSignIn(oidc, returnTo) {
  const meta = await discovery(oidc.issuer);
  const verifier = random(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, tokenEndpoint: meta.token_endpoint, clientId: oidc.clientId, returnTo }));
  const params = new URLSearchParams({ response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(),
    scope: oidc.scopes || 'openid', state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${meta.authorization_endpoint}?${params}`);
}

/**
 * On the way back from the provider: the code exchanged for tokens (with the PKCE verifier), the address cleaned.
 * Resolves with {token, returnTo}, or null when this page load is not a return from the provider; throws when the
 * provider refused or the answer does not belong to this tab's sign-in.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `/${location.hash}`);
  if (params.has('error')) {
    throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') || params.get('error')}.`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('This sign-in answer was not asked for by this tab: sign in again.');
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) {
    throw new Error(`The identity provider did not issue a token: ${answer.error_description || answer.error || response.status}.`);
  }
  return { token: answer.access_token, returnTo: pending.returnTo };
}
