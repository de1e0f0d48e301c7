// calllog.js: the call log, every visible webhook's deliveries newest first
// (see logpager.js), filtered by status, event type, webhook, tenant and
// time, with where each was sent and what matched it.
import { hooks, enc, call } from './api.js';
import { h, when } from './dom.js';
import { statusBadge, statuses, matchText } from './deliveries.js';
import { logPager, timeFilters } from './logpager.js';

export async function showCallLog(ctx) {
  const names = new Map(); // webhook id → name, for the rows and the webhook filter
  const webhooks = h('datalist', { id: 'log-webhook-ids' });
  const unbound = !ctx.session.tenant_id && !ctx.session.partner_id;
  // pair keeps a filter's label above its control when the row wraps.
  const pair = (id, label, control) => h('div', { class: 'pair' }, h('label', { for: id }, label), control);
  const form = h('form', { id: 'log-filter', class: 'filters', 'aria-label': 'Filter the call log' },
    pair('log-status', 'Status', h('select', { id: 'log-status', name: 'status' }, h('option', { value: '' }, 'any'),
      statuses.map((s) => h('option', { value: s }, s)))),
    pair('log-type', 'Event type', h('input', { id: 'log-type', name: 'event_type', placeholder: 'exact, e.g. order.paid' })),
    pair('log-webhook', 'Webhook id', h('input', { id: 'log-webhook', name: 'webhook_id', list: 'log-webhook-ids' })), webhooks,
    unbound && pair('log-tenant', 'Tenant', h('input', { id: 'log-tenant', name: 'tenant_id' })),
    pair('log-since', 'Since', h('input', { id: 'log-since', name: 'since', type: 'datetime-local' })),
    pair('log-until', 'Until', h('input', { id: 'log-until', name: 'until', type: 'datetime-local' })),
    h('button', { type: 'submit' }, 'Apply'));
  const body = h('tbody', { id: 'log-rows' });
  const older = h('button', { type: 'button', id: 'log-older', class: 'secondary', hidden: true }, 'Older');
  const note = h('p', { id: 'log-note', class: 'muted', role: 'status' });
  const error = h('p', { id: 'log-error', class: 'error', role: 'alert' });

  const query = () => {
    const q = new URLSearchParams();
    for (const n of ['status', 'event_type', 'webhook_id', 'tenant_id']) {
      const c = form.elements[n];
      if (c && c.value.trim()) q.set(n, c.value.trim());
    }
    return timeFilters(form, q);
  };
  const row = (d) => h('tr', { 'data-id': d.id, 'data-status': d.status, 'data-webhook': d.webhook_id },
    h('td', {}, h('a', { href: `#/webhooks/${enc(d.webhook_id)}/deliveries/${enc(d.id)}` }, when(d.created_at))),
    h('td', {}, h('a', { href: '#/webhooks/' + enc(d.webhook_id) }, names.get(d.webhook_id) || d.webhook_id)),
    h('td', {}, d.event_type), h('td', {}, statusBadge(d.status)), h('td', {}, String((d.attempts || []).length)),
    h('td', { class: 'url' }, d.url || '—'), h('td', { class: 'match' }, matchText(d.match)));
  const pager = logPager(ctx, { query, row, columns: 7, body, older, note, error });
  form.addEventListener('submit', (e) => { e.preventDefault(); pager.reload(); });
  const list = await call('GET', hooks + '?per_page=100');
  for (const w of list.items) {
    names.set(w.id, w.name || w.id);
    webhooks.append(h('option', { value: w.id }, w.name || w.id));
  }
  await pager.load();
  return h('section', {}, h('h1', {}, 'Call log'), form, error, note,
    h('table', { id: 'call-log' },
      h('thead', {}, h('tr', {}, ['Created', 'Webhook', 'Event type', 'Status', 'Attempts', 'Sent to', 'Matched by'].map((t) => h('th', { scope: 'col' }, t)))),
      body), older);
}
