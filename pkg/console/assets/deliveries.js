// deliveries.js: a webhook's deliveries (its call log, see logpager.js:
// filtered by status, event type and time by the API, paged by Older),
// refreshed while on screen; recovering the failed ones of a window; one
// delivery's attempts and payload; retry, and sending a succeeded one again
// after a confirmation.
import { call, hooks, enc, ApiError } from './api.js';
import { h, mount, when, badge, say, confirm, clearErrors, showErrors } from './dom.js';
import { logPager, timeFilters } from './logpager.js';

export const statuses = ['pending', 'succeeded', 'failed', 'paused'];
const statusKind = { succeeded: 'ok', failed: 'bad', pending: 'muted', paused: 'warn' };

export function statusBadge(s) {
  return badge(s, statusKind[s] || 'muted');
}

// matchText says what in its webhook's subscription matched a delivery's
// event: the category, or the events pattern, or every event; and the
// filters it passed. Deliveries older than the field have none ("—").
export function matchText(m) {
  if (!m) return '—';
  const what = m.category ? `category ${m.category}` : m.pattern ? `pattern ${m.pattern}` : 'every event';
  const filters = (m.filters || []).map((f) => `${f.field} ${f.op}${f.value === undefined ? '' : ' ' + JSON.stringify(f.value)}`);
  return filters.length ? `${what}; filters ${filters.join(', ')}` : what;
}

// retried says what a retry did, from the answer's "retry".
const retried = {
  next_attempt_now: 'its next attempt is being made now; the rest of its retry schedule follows',
  manual_attempt: 'one more attempt is being made now (one shot: if it fails, the delivery is failed again)',
  forced_resend: 'it is being sent once more, recorded as a new attempt',
};
export function retryText(r) {
  return `Retry (${r.retry}): ${retried[r.retry] || 'done'}.`;
}

export function deliveriesPanel(ctx, w) {
  const write = ctx.session.can('webhooks:write');
  const form = h('form', { id: 'delivery-filter', class: 'filters', 'aria-label': 'Filter deliveries' },
    h('label', { for: 'filter-status' }, 'Status'),
    h('select', { id: 'filter-status', name: 'status' }, h('option', { value: '' }, 'any'),
      statuses.map((s) => h('option', { value: s }, s))),
    h('label', { for: 'filter-type' }, 'Event type'),
    h('input', { id: 'filter-type', name: 'event_type', placeholder: 'exact, e.g. user.created' }),
    h('label', { for: 'filter-since' }, 'Since'),
    h('input', { id: 'filter-since', name: 'since', type: 'datetime-local' }),
    h('label', { for: 'filter-until' }, 'Until'),
    h('input', { id: 'filter-until', name: 'until', type: 'datetime-local' }),
    h('button', { type: 'submit' }, 'Apply'));
  const body = h('tbody', { id: 'delivery-rows' });
  const note = h('p', { class: 'muted', id: 'delivery-count', role: 'status' });
  const error = h('p', { class: 'error', id: 'delivery-error', role: 'alert' });
  const older = h('button', { type: 'button', id: 'delivery-older', class: 'secondary', hidden: true }, 'Older');
  const query = () => {
    const q = new URLSearchParams({ webhook_id: w.id });
    for (const n of ['status', 'event_type']) if (form.elements[n].value.trim()) q.set(n, form.elements[n].value.trim());
    return timeFilters(form, q);
  };
  const pager = logPager(ctx, { query, columns: 6, body, older, note, error,
    row: (d) => row(ctx, w.id, d, write, () => pager.poll()) });
  form.addEventListener('submit', (e) => { e.preventDefault(); pager.reload(); });
  pager.reload();
  return h('section', { 'aria-labelledby': 'deliveries-h' },
    h('h2', { id: 'deliveries-h' }, 'Deliveries'), form, write && recoverForm(w, () => pager.poll()), error, note,
    h('table', { id: 'deliveries' },
      h('thead', {}, h('tr', {}, ['Created', 'Event type', 'Status', 'Attempts', 'Last answer', ''].map((t) => h('th', { scope: 'col' }, t)))),
      body), older);
}

function lastAnswer(d) {
  const a = (d.attempts || [])[d.attempts.length - 1];
  if (!a) return '—';
  return a.status_code ? `${a.status_code} in ${a.duration_ms} ms` : (a.error || 'no answer');
}

function row(ctx, id, d, write, refresh) {
  return h('tr', { 'data-id': d.id, 'data-status': d.status },
    h('td', {}, h('a', { href: `#/webhooks/${enc(id)}/deliveries/${enc(d.id)}` }, when(d.created_at))),
    h('td', {}, d.event_type),
    h('td', {}, statusBadge(d.status)),
    h('td', {}, String((d.attempts || []).length)),
    h('td', {}, lastAnswer(d)),
    h('td', {}, write && d.status === 'failed' && h('button', { type: 'button', class: 'retry', 'aria-label': `Retry the ${d.event_type} delivery of ${when(d.created_at)}`, onclick: async () => {
      try { say(retryText(await call('POST', `${hooks}${enc(id)}/deliveries/${enc(d.id)}/retry`))); await refresh(); } catch (e) { say(`Retry: ${e.message}`, 'bad'); }
    } }, 'Retry')));
}

export async function showDelivery(ctx, id, did) {
  const path = `${hooks}${enc(id)}/deliveries/${enc(did)}`;
  const write = ctx.session.can('webhooks:write');
  const status = h('span', { id: 'delivery-status' });
  const attempts = h('tbody', { id: 'attempt-rows' });
  const result = h('p', { id: 'retry-result', role: 'status' });
  const post = async (body) => {
    try {
      const r = await call('POST', path + '/retry', body);
      result.textContent = retryText(r);
      render(r);
    } catch (e) { result.textContent = `Retry: ${e.message}`; }
  };
  // A succeeded delivery is sent again only on purpose: "Send again" asks
  // first, then posts {"force": true}. Any other gets "Retry now".
  const retry = write && h('button', { type: 'button', id: 'retry', onclick: () => post() }, 'Retry now');
  const resend = write && h('button', { type: 'button', id: 'resend', class: 'secondary', onclick: () =>
    confirm('Send this delivery again?', 'It succeeded already. The receiver gets it once more, recorded as a new attempt.',
      'Send again', () => post({ force: true })) }, 'Send again');
  const render = (d) => {
    mount(status, statusBadge(d.status));
    if (write) { retry.hidden = d.status === 'succeeded'; resend.hidden = d.status !== 'succeeded'; }
    mount(attempts, (d.attempts || []).length ? d.attempts.map((a) => h('tr', {},
      h('td', {}, String(a.attempt)), h('td', {}, when(a.at)), h('td', { class: 'code' }, a.status_code ?? '—'),
      h('td', {}, `${a.duration_ms ?? '—'} ms`), h('td', {}, a.error || '—'),
      h('td', {}, a.response_body_hidden ? h('em', {}, 'hidden (private target)') : h('pre', { class: 'excerpt' }, a.response_body || '')))) :
      h('tr', {}, h('td', { colspan: 6 }, 'No attempt yet.')));
  };
  const d = await call('GET', path);
  render(d);
  ctx.every(2000, () => call('GET', path).then((x) => ctx.alive() && render(x)).catch(() => {}));
  return h('section', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' / ',
      h('a', { href: '#/webhooks/' + enc(id) }, id), ' / ', did),
    h('h1', {}, `Delivery of ${d.event_type}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', {}, status),
      h('dt', {}, 'Event'), h('dd', {}, d.event_id),
      h('dt', {}, 'Sent to'), h('dd', { id: 'delivery-url' }, d.url || '—'),
      h('dt', {}, 'Matched by'), h('dd', { id: 'delivery-match' }, matchText(d.match)),
      h('dt', {}, 'Created'), h('dd', {}, when(d.created_at)),
      h('dt', {}, 'Next attempt'), h('dd', {}, when(d.next_attempt_at))),
    write && h('div', { class: 'actions' }, retry, resend), result,
    h('h2', {}, 'Attempts'),
    h('table', { id: 'attempts' },
      h('thead', {}, h('tr', {}, ['#', 'At', 'Status code', 'Duration', 'Error', 'Response excerpt'].map((t) => h('th', { scope: 'col' }, t)))),
      attempts),
    h('h2', {}, 'Payload'),
    h('pre', { id: 'payload', class: 'payload' }, JSON.stringify(d.payload, null, 2)));
}

// recoverForm asks POST …/recover to attempt again the failed deliveries
// of a window (until: now when empty) and shows how many it took on; the
// API's 422s are shown next to their fields.
function recoverForm(w, refresh) {
  const out = h('p', { id: 'recover-result', role: 'status' });
  const fieldError = (name) => h('span', { id: 'e-recover-' + name, class: 'field-error' });
  const form = h('form', { id: 'recover-form', 'aria-label': 'Recover failed deliveries' },
    h('div', { class: 'filters' },
      h('label', { for: 'recover-since' }, 'Recover the failed since'),
      h('input', { id: 'recover-since', name: 'since', type: 'datetime-local', required: true, 'aria-describedby': 'e-recover-since' }),
      h('label', { for: 'recover-until' }, 'until (empty: now)'),
      h('input', { id: 'recover-until', name: 'until', type: 'datetime-local', 'aria-describedby': 'e-recover-until' }),
      h('button', { type: 'submit' }, 'Recover')),
    fieldError('since'), fieldError('until'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, out);
    const body = { since: new Date(form.since.value).toISOString() };
    if (form.until.value) body.until = new Date(form.until.value).toISOString();
    try {
      const r = await call('POST', `${hooks}${enc(w.id)}/recover`, body);
      out.textContent = `Recovering ${r.recovering} failed ${r.recovering === 1 ? 'delivery' : 'deliveries'}.`;
      await refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.body.detail)) {
        showErrors(form, out, err.body.detail, 'recover-');
      } else out.textContent = err.message;
    }
  });
  return form;
}
