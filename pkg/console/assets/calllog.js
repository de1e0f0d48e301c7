// calllog.js: the call log, every visible webhook's deliveries newest first
// (GET /api/v1/admin/deliveries), filtered by status, event type, webhook,
// tenant and time, with where each was sent and what matched it. The log is
// paged by cursor: "Older" asks for the page after the last row shown
// (next_after). While on screen the newest page is asked again every 2 s:
// deliveries made since appear on top, and the rows shown take their new
// status, without a reload.
import { call, hooks, enc } from './api.js';
import { h, mount, when } from './dom.js';
import { statusBadge, statuses, matchText } from './deliveries.js';

const path = '/api/v1/admin/deliveries';
const perPage = 50;

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

  const shown = new Map(); // delivery id → its row, in the table's order
  let after = null; // the cursor of the page after the last row shown
  let generation = 0; // a new filter makes the answers of the old one stale

  const query = () => {
    const q = new URLSearchParams({ per_page: String(perPage) });
    for (const n of ['status', 'event_type', 'webhook_id', 'tenant_id']) {
      const c = form.elements[n];
      if (c && c.value.trim()) q.set(n, c.value.trim());
    }
    for (const n of ['since', 'until']) if (form.elements[n].value) q.set(n, new Date(form.elements[n].value).toISOString());
    return q;
  };
  const sig = (d) => `${d.status} ${(d.attempts || []).length}`;
  const row = (d) => h('tr', { 'data-id': d.id, 'data-status': d.status, 'data-webhook': d.webhook_id, 'data-sig': sig(d) },
    h('td', {}, h('a', { href: `#/webhooks/${enc(d.webhook_id)}/deliveries/${enc(d.id)}` }, when(d.created_at))),
    h('td', {}, h('a', { href: '#/webhooks/' + enc(d.webhook_id) }, names.get(d.webhook_id) || d.webhook_id)),
    h('td', {}, d.event_type), h('td', {}, statusBadge(d.status)), h('td', {}, String((d.attempts || []).length)),
    h('td', { class: 'url' }, d.url || '—'), h('td', { class: 'match' }, matchText(d.match)));
  const say = () => {
    if (!shown.size) mount(body, h('tr', {}, h('td', { colspan: 7 }, 'No deliveries.')));
    note.textContent = `${shown.size} shown, newest first; new deliveries appear on top as they are made.`;
    older.hidden = after == null;
  };
  const fetchPage = async (cursor) => {
    const q = query();
    if (cursor != null) q.set('after', String(cursor));
    return call('GET', `${path}?${q}`);
  };

  // load shows the newest page of the current filter instead of the rows
  // shown (cursor null: the filter is new), or appends the page after cursor.
  const load = async (cursor) => {
    const gen = cursor == null ? ++generation : generation;
    const page = await fetchPage(cursor);
    if (!ctx.alive() || gen !== generation) return;
    if (cursor == null) { error.textContent = ''; shown.clear(); mount(body); }
    for (const d of page.items) {
      if (shown.has(d.id)) continue;
      const r = row(d);
      shown.set(d.id, r);
      body.append(r);
    }
    after = page.next_after;
    say();
  };
  // poll asks the newest page again: rows shown take their new state, newer
  // deliveries go on top. More new ones than a page holds leave a gap
  // between them and the rows shown: the log then starts again from the top.
  const poll = async () => {
    const gen = generation;
    const page = await fetchPage(null);
    if (!ctx.alive() || gen !== generation) return;
    const top = shown.size ? Math.max(...shown.keys()) : 0;
    const fresh = page.items.filter((d) => d.id > top);
    if (fresh.length === page.items.length && page.next_after != null && page.next_after > top && shown.size) return load(null);
    for (const d of page.items) {
      const old = shown.get(d.id);
      // Replaced only when changed: a row replaced would lose the keyboard focus.
      if (old && old.dataset.sig !== sig(d)) { const r = row(d); old.replaceWith(r); shown.set(d.id, r); }
    }
    if (fresh.length) {
      if (!shown.size) { mount(body); after = page.next_after; }
      const rows = fresh.map((d) => { const r = row(d); shown.set(d.id, r); return r; });
      body.prepend(...rows);
    }
    say();
  };

  const show = (p) => p.catch((e) => { if (ctx.alive()) error.textContent = e.message; });
  form.addEventListener('submit', (e) => { e.preventDefault(); show(load(null)); });
  older.addEventListener('click', () => show(load(after)));
  const list = await call('GET', hooks + '?per_page=100');
  for (const w of list.items) {
    names.set(w.id, w.name || w.id);
    webhooks.append(h('option', { value: w.id }, w.name || w.id));
  }
  await load(null);
  ctx.every(2000, () => poll().catch(() => {}));
  return h('section', {}, h('h1', {}, 'Call log'), form, error, note,
    h('table', { id: 'call-log' },
      h('thead', {}, h('tr', {}, ['Created', 'Webhook', 'Event type', 'Status', 'Attempts', 'Sent to', 'Matched by'].map((t) => h('th', { scope: 'col' }, t)))),
      body), older);
}
