// events.js: the event catalogue (webhooks:read) and publishing an event
// (events:publish).
import { call, hooks, ApiError } from './api.js';
import { h, mount } from './dom.js';

export async function showEvents(ctx) {
  const parts = [h('h1', {}, 'Events')];
  if (ctx.session.can('events:publish')) parts.push(publishForm());
  if (ctx.session.can('webhooks:read')) {
    const cat = await call('GET', hooks + 'events');
    parts.push(h('h2', {}, 'Catalogue'),
      h('p', {}, 'Categories: ', cat.categories.join(', ') || '—'),
      h('table', { id: 'catalogue' },
        h('thead', {}, h('tr', {}, ['Type', 'Category', 'Source', 'Description'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, cat.event_types.map((e) => h('tr', {},
          h('th', { scope: 'row' }, h('code', {}, e.type)), h('td', {}, e.category || '—'), h('td', {}, e.source || '—'), h('td', {}, e.description || ''))))));
  }
  return h('section', {}, parts);
}

function publishForm() {
  const out = h('p', { id: 'publish-result', role: 'status' });
  const data = h('textarea', { id: 'publish-data', name: 'data', rows: 4 });
  data.value = '{}';
  const form = h('form', { id: 'publish-form', 'aria-labelledby': 'publish-h' },
    h('h2', { id: 'publish-h' }, 'Publish an event'),
    h('label', { for: 'publish-type' }, 'Event type'),
    h('input', { id: 'publish-type', name: 'event_type', required: true, placeholder: 'user.created' }),
    h('label', { for: 'publish-data' }, 'Data (JSON object)'), data,
    h('button', { type: 'submit' }, 'Publish'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let body;
    try { body = { event_type: form.event_type.value.trim(), data: JSON.parse(data.value || '{}') }; } catch {
      return mount(out, h('span', { class: 'error' }, 'Data is not valid JSON.'));
    }
    try {
      const r = await call('POST', '/api/v1/events', body);
      mount(out, 'Accepted: ', h('code', {}, r.event_id));
    } catch (err) {
      mount(out, h('span', { class: 'error' }, err instanceof ApiError ? err.message : String(err)));
    }
  });
  return form;
}
