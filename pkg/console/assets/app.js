// app.js signs in, learns what the token may do (GET /api/v1/admin/whoami)
// and routes the hash (#/webhooks/…) to the views. Views get a context
// whose timers stop when the route changes.
import { call, exchange, token, ApiError } from './api.js';
import { h, mount, say } from './dom.js';
import { listWebhooks, showWebhook } from './webhooks.js';
import { webhookForm } from './webhook_form.js';
import { showDelivery } from './deliveries.js';
import { showEvents } from './events.js';
import { showApplications } from './applications.js';
import { showCallLog } from './calllog.js';

const main = () => document.getElementById('main');
let session = null; // {subject, kind, scopes, tenant_id, partner_id, can(scope)}
let current = null; // the context of the view on screen

async function start() {
  window.addEventListener('hashchange', route);
  window.addEventListener('herald:signed-out', () => signOut('The token was refused: sign in again.'));
  if (token.get()) {
    try {
      await learn();
    } catch (e) {
      token.clear();
      return signIn(e.message);
    }
    return route();
  }
  signIn();
}

// learn asks the API who the token is and shows it.
async function learn() {
  const me = await call('GET', '/api/v1/admin/whoami');
  session = { ...me, can: (s) => me.scopes.includes(s) };
  const bound = [me.tenant_id && `tenant ${me.tenant_id}`, me.partner_id && `partner ${me.partner_id}`].filter(Boolean);
  mount(document.getElementById('who'),
    h('span', { id: 'identity' }, `${me.subject} · ${bound.length ? bound.join(', ') : 'all tenants'}`),
    h('span', { class: 'scopes', id: 'scopes' }, me.scopes.join(' ')),
    h('button', { type: 'button', id: 'sign-out', onclick: () => signOut('Signed out.') }, 'Sign out'));
  document.getElementById('who').hidden = false;
  const nav = document.getElementById('nav');
  mount(nav,
    session.can('webhooks:read') && h('a', { href: '#/webhooks' }, 'Webhooks'),
    session.can('webhooks:read') && h('a', { href: '#/deliveries' }, 'Call log'),
    (session.can('webhooks:read') || session.can('events:publish')) && h('a', { href: '#/events' }, 'Events'),
    session.can('admin:read') && h('a', { href: '#/applications' }, 'Applications'));
  nav.hidden = false;
}

function signOut(msg) {
  token.clear();
  session = null;
  document.getElementById('who').hidden = true;
  document.getElementById('nav').hidden = true;
  stopCurrent();
  history.replaceState(null, '', '#/');
  signIn(msg);
}

function signIn(msg) {
  const err = h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, msg || '');
  const tokenForm = h('form', { id: 'token-form', 'aria-labelledby': 'token-h' },
    h('h2', { id: 'token-h' }, 'With a bearer token'),
    h('label', { for: 'token' }, 'Bearer token'),
    h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true }),
    h('button', { type: 'submit' }, 'Sign in'));
  const appForm = h('form', { id: 'app-form', 'aria-labelledby': 'app-h' },
    h('h2', { id: 'app-h' }, "With an application's credentials"),
    h('label', { for: 'client-id' }, 'Client id'),
    h('input', { id: 'client-id', name: 'client_id', autocomplete: 'off', required: true }),
    h('label', { for: 'client-secret' }, 'Client secret'),
    h('input', { id: 'client-secret', name: 'client_secret', type: 'password', autocomplete: 'off', required: true }),
    h('button', { type: 'submit' }, 'Get a token and sign in'));
  const use = async (get) => {
    err.textContent = '';
    try {
      token.set(await get());
      await learn();
      if (!location.hash || location.hash === '#/') location.hash = defaultRoute();
      else route();
    } catch (e) {
      token.clear();
      err.textContent = e instanceof ApiError && e.status === 401 ? 'That token is not valid.' : e.message;
    }
  };
  tokenForm.addEventListener('submit', (e) => { e.preventDefault(); use(async () => tokenForm.token.value.trim()); });
  appForm.addEventListener('submit', (e) => {
    e.preventDefault();
    use(() => exchange(appForm.client_id.value.trim(), appForm.client_secret.value));
  });
  mount(main(), h('section', { class: 'sign-in' }, h('h1', {}, 'Sign in'),
    h('p', {}, 'The token stays in this tab (sessionStorage) and is sent only to this API.'), err, tokenForm, appForm));
}

function defaultRoute() {
  if (session.can('webhooks:read')) return '#/webhooks';
  if (session.can('admin:read')) return '#/applications';
  return '#/events';
}

function stopCurrent() {
  if (current) current.stop();
  current = null;
}

// context is what a view gets: the session, every(ms, fn) for polling, and
// alive() to tell whether the view is still on screen.
function context() {
  const timers = [];
  let alive = true;
  return {
    session,
    alive: () => alive,
    every(ms, fn) { timers.push(setInterval(() => { if (alive && !document.hidden) fn(); }, ms)); },
    stop() { alive = false; timers.forEach(clearInterval); },
    go(hash) { location.hash = hash; },
  };
}

const routes = [
  [/^#\/webhooks\/?$/, (c) => listWebhooks(c)],
  [/^#\/webhooks\/new$/, (c) => webhookForm(c, null)],
  [/^#\/webhooks\/([^/]+)\/edit$/, (c, id) => webhookForm(c, id)],
  [/^#\/webhooks\/([^/]+)\/deliveries\/([^/]+)$/, (c, id, did) => showDelivery(c, id, did)],
  [/^#\/webhooks\/([^/]+)$/, (c, id) => showWebhook(c, id)],
  [/^#\/deliveries$/, (c) => showCallLog(c)],
  [/^#\/events$/, (c) => showEvents(c)],
  [/^#\/applications$/, (c) => showApplications(c)],
];

async function route() {
  if (!session) return;
  stopCurrent();
  const hash = location.hash || defaultRoute();
  for (const [re, view] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    current = context();
    const ctx = current;
    try {
      const node = await view(ctx, ...m.slice(1).map(decodeURIComponent));
      if (ctx.alive()) {
        mount(main(), node);
        const h1 = main().querySelector('h1');
        if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
      }
    } catch (e) {
      if (ctx.alive()) mount(main(), h('p', { class: 'error', role: 'alert' }, e.message));
    }
    return;
  }
  location.hash = defaultRoute();
}

say('');
start();
