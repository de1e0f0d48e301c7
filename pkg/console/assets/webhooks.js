// webhooks.js: the webhook list with health at a glance, and one webhook's
// page: its settings, its actions and its deliveries.
import { call, hooks, enc } from './api.js';
import { h, mount, when, badge, say, confirm } from './dom.js';
import { deliveriesPanel } from './deliveries.js';
import { chartsPanel } from './charts.js';

// health returns the badges of a webhook view.
export function health(w) {
  return [
    w.enabled ? badge('enabled', 'ok') : badge('disabled', 'bad'),
    w.paused && badge('paused', 'warn'),
    w.unhealthy && badge('unhealthy', 'bad'),
    w.validated ? badge('validated', 'ok') : badge('not validated', 'muted'),
  ].filter(Boolean);
}

export async function listWebhooks(ctx) {
  const body = h('tbody', { id: 'webhook-rows' });
  const note = h('p', { class: 'muted', id: 'webhook-count' });
  const lastSuccess = lastSuccessCache();
  const refresh = async () => {
    const list = await call('GET', hooks + '?per_page=100');
    if (!ctx.alive()) return;
    note.textContent = list.total > list.items.length ? `The first ${list.items.length} of ${list.total}.` : '';
    mount(body, list.items.length ? list.items.map((w) => row(w, lastSuccess)) :
      h('tr', {}, h('td', { colspan: 5 }, 'No webhooks yet.')));
  };
  await refresh();
  ctx.every(5000, () => refresh().catch(() => {}));
  return h('section', {},
    h('div', { class: 'bar' }, h('h1', {}, 'Webhooks'),
      ctx.session.can('webhooks:write') && h('a', { class: 'button', href: '#/webhooks/new', id: 'new-webhook' }, 'New webhook')),
    note,
    h('table', { id: 'webhooks' },
      h('caption', { class: 'visually-hidden' }, 'Webhooks and their health'),
      h('thead', {}, h('tr', {}, ['Webhook', 'Health', 'Events', 'Last success', 'Consecutive failures']
        .map((t) => h('th', { scope: 'col' }, t)))),
      body));
}

// lastSuccessCache reads a webhook's last success from its stats at most
// every 30 s, so refreshing the list does not ask for every webhook's stats.
function lastSuccessCache() {
  const seen = new Map(); // id → {at, promise}
  return (id) => {
    const c = seen.get(id);
    if (c && Date.now() - c.at < 30000) return c.promise;
    const promise = call('GET', hooks + enc(id) + '/stats').then((s) => when(s.last_success_at), () => '—');
    seen.set(id, { at: Date.now(), promise });
    return promise;
  };
}

function row(w, lastSuccess) {
  const last = h('td', { class: 'last-success' }, '…');
  lastSuccess(w.id).then((t) => { last.textContent = t; });
  return h('tr', { 'data-id': w.id },
    h('th', { scope: 'row' }, h('a', { href: '#/webhooks/' + enc(w.id) }, w.name || w.id), h('div', { class: 'muted' }, w.url)),
    h('td', { class: 'health' }, health(w)),
    h('td', {}, (w.events || []).join(', ') || (w.categories || []).join(', ') || 'all'),
    last,
    h('td', { class: 'failures' }, String(w.consecutive_failures ?? 0)));
}

// webhookFacts lists what a webhook is and how it is doing, redrawn with
// each refresh (its health and validation change while it is shown).
function webhookFacts(w) {
  return h('dl', { class: 'facts' },
    fact('URL', w.url), fact('Id', w.id),
    fact('Events', (w.events || []).join(', ') || '—'), fact('Categories', (w.categories || []).join(', ') || '—'),
    fact('Tenant', w.tenant_id || '—'), fact('Partner', w.partner_id || '—'),
    fact('Retry schedule', (w.retry_schedule || []).join(', ') || 'deployment default'),
    h('dt', {}, 'Consecutive failures'), h('dd', { id: 'webhook-failures' }, String(w.consecutive_failures ?? 0)),
    fact('Failing since', when(w.failing_since)), fact('Validated at', when(w.validated_at)),
    w.validation_error && fact('Validation error', w.validation_error),
    w.disabled_reason && fact('Disabled because', w.disabled_reason));
}

export async function showWebhook(ctx, id) {
  const w = await call('GET', hooks + enc(id));
  const write = ctx.session.can('webhooks:write');
  const result = h('div', { id: 'action-result', class: 'result', 'aria-live': 'polite' });
  const badges = h('p', { class: 'health', id: 'webhook-health' }, health(w));
  const facts = h('div', { id: 'webhook-facts' }, webhookFacts(w));
  const pauseButton = h('button', { type: 'button', id: 'pause' }, w.paused ? 'Resume' : 'Pause');
  const refresh = async () => {
    const now = await call('GET', hooks + enc(id));
    if (!ctx.alive()) return;
    mount(badges, health(now));
    mount(facts, webhookFacts(now));
    pauseButton.textContent = now.paused ? 'Resume' : 'Pause';
    Object.assign(w, now);
  };
  ctx.every(3000, () => refresh().catch(() => {}));
  const act = (label, fn) => async (e) => {
    const b = e.currentTarget;
    b.disabled = true;
    try { await fn(); } catch (err) { mount(result, h('p', { class: 'error', role: 'alert' }, `${label}: ${err.message}`)); }
    finally { b.disabled = false; }
  };
  pauseButton.addEventListener('click', act('Pause', async () => {
    await call('POST', hooks + enc(id) + (w.paused ? '/resume' : '/pause'));
    await refresh();
    say(w.paused ? 'Paused.' : 'Resumed.');
  }));
  const actions = write && h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' },
    h('a', { class: 'button', href: `#/webhooks/${enc(id)}/edit`, id: 'edit' }, 'Edit'),
    pauseButton,
    h('button', { type: 'button', id: 'send-test', onclick: act('Test', async () => showTest(result, await call('POST', hooks + enc(id) + '/test', {}))) }, 'Send test'),
    h('button', { type: 'button', id: 'validate', onclick: act('Validate', async () => {
      const v = await call('POST', hooks + enc(id) + '/validate');
      mount(result, h('p', { id: 'validate-result' }, v.validated ? 'Validated.' : `Not validated: ${v.validation_error || 'no answer'}`));
      await refresh();
    }) }, 'Validate'),
    h('button', { type: 'button', id: 'rotate', onclick: act('Rotate', async () => showSecret(result, await call('POST', hooks + enc(id) + '/rotate-secret', {}))) }, 'Rotate secret'),
    h('button', { type: 'button', id: 'delete', class: 'danger', onclick: () => confirmDelete(ctx, w) }, 'Delete'));
  return h('section', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' / ', w.name || w.id),
    h('h1', {}, w.name || w.id),
    badges,
    facts,
    actions, result,
    chartsPanel(ctx, id),
    deliveriesPanel(ctx, w));
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function showTest(out, r) {
  mount(out, h('div', { id: 'test-result' },
    h('p', {}, r.success ? badge('test delivered', 'ok') : badge('test failed', 'bad'),
      ` status ${r.status_code ?? 'none'} in ${r.duration_ms} ms`, r.error ? ` — ${r.error}` : ''),
    r.response_body && h('pre', { class: 'excerpt' }, r.response_body)));
}

// showSecret shows a new signing secret once, with a copy button.
export function showSecret(out, r) {
  const secret = h('output', { id: 'new-secret', class: 'secret' }, r.secret || r.client_secret);
  mount(out, h('div', { class: 'once' },
    h('p', {}, 'The new secret, shown only now', r.grace_period ? ` (the old one works for ${r.grace_period} more)` : '', ':'),
    secret, ' ',
    h('button', { type: 'button', id: 'copy-secret', onclick: async () => {
      try { await navigator.clipboard.writeText(secret.textContent); say('Copied.'); } catch { say('Copy failed: select the text and copy it.', 'bad'); }
    } }, 'Copy')));
}

// confirmDelete asks before DELETE.
function confirmDelete(ctx, w) {
  confirm(`Delete ${w.name || w.id}?`, 'Its pending deliveries are dropped. This cannot be undone.', 'Delete', async () => {
    try {
      await call('DELETE', hooks + enc(w.id));
      say('Deleted.');
      ctx.go('#/webhooks');
    } catch (e) { say(`Delete: ${e.message}`, 'bad'); }
  });
}
