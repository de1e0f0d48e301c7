// calllog.js: the call log, every visible webhook's deliveries newest first
// (GET /api/v1/admin/deliveries, paged by cursor), filtered by status,
// event type, webhook and time. A Herald without that endpoint answers 404:
// the page then says so and points to each webhook's deliveries.
import { call, enc, ApiError } from './api.js';
import { h, mount, when } from './dom.js';
import { statusBadge, statuses } from './deliveries.js';

const path = '/api/v1/admin/deliveries';

export async function showCallLog(ctx) {
  const form = h('form', { id: 'log-filter', class: 'filters', 'aria-label': 'Filter the call log' },
    h('label', { for: 'log-status' }, 'Status'),
    h('select', { id: 'log-status', name: 'status' }, h('option', { value: '' }, 'any'), statuses.map((s) => h('option', { value: s }, s))),
    h('label', { for: 'log-type' }, 'Event type'), h('input', { id: 'log-type', name: 'event_type' }),
    h('label', { for: 'log-webhook' }, 'Webhook id'), h('input', { id: 'log-webhook', name: 'webhook_id' }),
    h('label', { for: 'log-since' }, 'Since'), h('input', { id: 'log-since', name: 'since', type: 'datetime-local' }),
    h('label', { for: 'log-until' }, 'Until'), h('input', { id: 'log-until', name: 'until', type: 'datetime-local' }),
    h('button', { type: 'submit' }, 'Apply'));
  const body = h('tbody', { id: 'log-rows' });
  const more = h('button', { type: 'button', id: 'log-more', hidden: true }, 'Older');
  const note = h('p', { id: 'log-note', role: 'status' });
  let after = null;
  const query = () => {
    const q = new URLSearchParams({ per_page: '50' });
    for (const n of ['status', 'event_type', 'webhook_id']) if (form.elements[n].value.trim()) q.set(n, form.elements[n].value.trim());
    for (const n of ['since', 'until']) if (form.elements[n].value) q.set(n, new Date(form.elements[n].value).toISOString());
    return q;
  };
  const load = async (append) => {
    const q = query();
    if (append && after != null) q.set('after', String(after));
    let page;
    try {
      page = await call('GET', `${path}?${q}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.body && e.body.detail === 'Not Found') {
        form.hidden = true;
        mount(note, 'This Herald has no call log (GET /api/v1/admin/deliveries): see the deliveries of each ', h('a', { href: '#/webhooks' }, 'webhook'), '.');
        return;
      }
      throw e;
    }
    if (!ctx.alive()) return;
    after = page.next_after;
    more.hidden = after == null;
    const rows = page.items.map((d) => h('tr', { 'data-id': d.id, 'data-status': d.status },
      h('td', {}, h('a', { href: `#/webhooks/${enc(d.webhook_id)}/deliveries/${enc(d.id)}` }, when(d.created_at))),
      h('td', {}, h('a', { href: '#/webhooks/' + enc(d.webhook_id) }, d.webhook_id)),
      h('td', {}, d.event_type), h('td', {}, statusBadge(d.status)), h('td', {}, String((d.attempts || []).length))));
    if (append) body.append(...rows);
    else mount(body, rows.length ? rows : h('tr', {}, h('td', { colspan: 5 }, 'No deliveries.')));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(false).catch((err) => mount(note, err.message)); });
  more.addEventListener('click', () => load(true).catch((err) => mount(note, err.message)));
  await load(false);
  ctx.every(5000, () => { if (more.hidden) load(false).catch(() => {}); });
  return h('section', {}, h('h1', {}, 'Call log'), note, form,
    h('table', { id: 'call-log' },
      h('thead', {}, h('tr', {}, ['Created', 'Webhook', 'Event type', 'Status', 'Attempts'].map((t) => h('th', { scope: 'col' }, t)))),
      body), more);
}
