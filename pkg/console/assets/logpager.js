// logpager.js: a table body of deliveries from the call log
// (GET /api/v1/admin/deliveries), newest first, for the call log and for a
// webhook's deliveries panel (the log of one webhook). Every filter is the
// API's, so it applies to all deliveries, not to the rows loaded. The log is
// paged by cursor: "Older" asks for the page after the last row shown
// (next_after). While on screen the newest page is asked again every 2 s:
// deliveries made since appear on top, and the rows shown take their new
// state, without a reload.
import { call } from './api.js';
import { h, mount } from './dom.js';

const path = '/api/v1/admin/deliveries';
const perPage = 50;

// logPager shows in body the rows that row(d) makes of the deliveries that
// query() (URLSearchParams of filters) selects; older is the Older button,
// note says how many are shown, error shows why a load failed; columns is
// the table's width. It returns load (the newest page of the current query:
// a promise that throws), reload (load, its failure shown in error) and
// poll (the newest page again, merged into the rows shown).
export function logPager(ctx, { query, row, columns, body, older, note, error }) {
  const shown = new Map(); // delivery id → its row, in the table's order
  let after = null; // the cursor of the page after the last row shown
  let generation = 0; // a new query makes the answers of the old one stale

  const sig = (d) => `${d.status} ${(d.attempts || []).length}`;
  const make = (d) => { const r = row(d); r.dataset.sig = sig(d); shown.set(d.id, r); return r; };
  const say = () => {
    if (!shown.size) mount(body, h('tr', {}, h('td', { colspan: columns }, 'No deliveries.')));
    note.textContent = `${shown.size} shown, newest first; new deliveries appear on top as they are made.`;
    older.hidden = after == null;
  };
  const fetchPage = async (cursor) => {
    const q = query();
    q.set('per_page', String(perPage));
    if (cursor != null) q.set('after', String(cursor));
    return call('GET', `${path}?${q}`);
  };

  // load shows the newest page of the current query instead of the rows
  // shown (cursor null: the query is new), or appends the page after cursor.
  const load = async (cursor) => {
    const gen = cursor == null ? ++generation : generation;
    const page = await fetchPage(cursor);
    if (!ctx.alive() || gen !== generation) return;
    if (cursor == null) { error.textContent = ''; shown.clear(); mount(body); }
    for (const d of page.items) if (!shown.has(d.id)) body.append(make(d));
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
      if (old && old.dataset.sig !== sig(d)) old.replaceWith(make(d));
    }
    if (fresh.length) {
      if (!shown.size) { mount(body); after = page.next_after; }
      body.prepend(...fresh.map(make));
    }
    say();
  };

  const show = (p) => p.catch((e) => { if (ctx.alive()) error.textContent = e.message; });
  older.addEventListener('click', () => show(load(after)));
  ctx.every(2000, () => poll().catch(() => {}));
  return { load: () => load(null), reload: () => show(load(null)), poll };
}

// timeFilters sets since and until in q from the datetime-local controls of
// those names in form, when they are set.
export function timeFilters(form, q) {
  for (const n of ['since', 'until']) if (form.elements[n].value) q.set(n, new Date(form.elements[n].value).toISOString());
  return q;
}
