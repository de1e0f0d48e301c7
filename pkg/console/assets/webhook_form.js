// webhook_form.js: create and edit a webhook. The API judges the input; its
// 422 messages are shown next to the fields they name.
import { call, hooks, enc, ApiError } from './api.js';
import { h, items, say, field, clearErrors, showErrors } from './dom.js';
import { showSecret } from './webhooks.js';

const text = (v) => h('input', { value: v ?? '' });
const num = (v) => h('input', { type: 'number', value: v ?? '' });
const area = (v, rows = 3) => { const t = h('textarea', { rows }); t.value = v ?? ''; return t; };

export async function webhookForm(ctx, id) {
  const w = id ? await call('GET', hooks + enc(id)) : { enabled: true };
  const bound = ctx.session.tenant_id || ctx.session.partner_id;
  const enabled = h('input', { type: 'checkbox', checked: w.enabled !== false });
  const format = h('select', {}, ['envelope', 'as_published'].map((f) =>
    h('option', { value: f, selected: (w.payload_format || 'envelope') === f }, f)));
  const headerLines = Object.entries(w.headers || {}).map(([k, v]) => `${k}: ${v}`).join('\n');
  const formError = h('p', { class: 'error', id: 'form-error', role: 'alert' });
  const form = h('form', { id: 'webhook-form', novalidate: true },
    field('name', 'Name', text(w.name)),
    field('url', 'Endpoint URL', h('input', { type: 'url', value: w.url ?? '', required: true })),
    field('description', 'Description', text(w.description)),
    field('events', 'Event types', area((w.events || []).join('\n')), 'One pattern a line: user.created, user.*, **. None (and no category): every event.'),
    field('categories', 'Categories', text((w.categories || []).join(', ')), 'Comma-separated.'),
    field('filters', 'Filters (JSON)', area(w.filters && w.filters.length ? JSON.stringify(w.filters, null, 2) : ''), 'A list of {"field", "op", "value"}.'),
    field('headers', 'Custom headers', area(headerLines), 'One "Name: value" a line; ******** keeps a stored value.'),
    field('retry_schedule', 'Retry schedule', text((w.retry_schedule || []).join(', ')), 'Go durations, comma-separated (30s, 5m, 1h). Empty: the deployment default.'),
    field('timeout_seconds', 'Timeout (seconds)', num(w.timeout_seconds)),
    field('unhealthy_after', 'Unhealthy after (failed attempts)', num(w.unhealthy_after)),
    field('disable_after', 'Disable after (duration)', text(w.disable_after)),
    field('max_in_flight', 'Attempts in flight at most', num(w.max_in_flight)),
    field('pause_queue_limit', 'Held while paused at most', num(w.pause_queue_limit)),
    field('payload_format', 'Payload format', format),
    !id && !bound && field('tenant_id', 'Tenant', text(w.tenant_id)),
    !id && !bound && field('partner_id', 'Partner', text(w.partner_id)),
    field('enabled', 'Enabled', enabled),
    formError,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'save' }, id ? 'Save' : 'Create webhook'),
      h('a', { class: 'button secondary', href: id ? '#/webhooks/' + enc(id) : '#/webhooks' }, 'Cancel')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, formError);
    let body;
    try {
      body = read(form, id);
    } catch (err) {
      return showErrors(form, formError, [{ loc: ['body', err.field], msg: err.message }]);
    }
    try {
      const saved = id ? await call('PATCH', hooks + enc(id), body) : await call('POST', hooks, body);
      say(id ? 'Saved.' : 'Created.');
      if (id) return ctx.go('#/webhooks/' + enc(saved.id));
      // The signing secret is in the create answer only: show it now.
      const out = h('div', { id: 'created' });
      showSecret(out, saved);
      section.replaceChildren(h('h1', { tabindex: -1 }, `Created ${saved.name || saved.id}`), out,
        h('p', {}, h('a', { class: 'button', id: 'open-webhook', href: '#/webhooks/' + enc(saved.id) }, 'Open the webhook')));
      section.querySelector('h1').focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.body.detail)) showErrors(form, formError, err.body.detail);
      else formError.textContent = err.message;
    }
  });
  const section = h('section', {}, h('h1', {}, id ? `Edit ${w.name || w.id}` : 'New webhook'), form);
  return section;
}

class InputError extends Error {
  constructor(fieldName, msg) { super(msg); this.field = fieldName; }
}

// read turns the form into a WebhookCreate or WebhookPatch body.
function read(f, id) {
  const v = (n) => (f.elements[n] ? f.elements[n].value.trim() : '');
  const body = { name: v('name'), url: v('url'), description: v('description'),
    events: items(v('events')), categories: items(v('categories')),
    retry_schedule: items(v('retry_schedule')), payload_format: v('payload_format'),
    enabled: f.elements.enabled.checked, disable_after: v('disable_after') };
  if (v('filters')) {
    try { body.filters = JSON.parse(v('filters')); } catch { throw new InputError('filters', 'not valid JSON'); }
  } else body.filters = [];
  body.headers = {};
  for (const line of v('headers').split('\n').map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf(':');
    if (i < 1) throw new InputError('headers', `"${line}" is not "Name: value"`);
    body.headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  for (const n of ['timeout_seconds', 'unhealthy_after', 'max_in_flight', 'pause_queue_limit']) {
    if (v(n) !== '') body[n] = Number(v(n));
  }
  if (!id) {
    for (const n of ['tenant_id', 'partner_id']) if (v(n)) body[n] = v(n);
    if (!body.description) delete body.description;
    if (!body.disable_after) delete body.disable_after;
  }
  return body;
}
