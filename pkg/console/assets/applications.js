// applications.js: OAuth applications (admin:read to list, admin:write to
// create, edit, rotate and delete); a client secret is shown once.
import { call, apps, enc, ApiError } from './api.js';
import { h, mount, when, say, confirm, field, clearErrors, showErrors } from './dom.js';
import { showSecret } from './webhooks.js';

const allScopes = ['webhooks:read', 'webhooks:write', 'events:publish', 'admin:read', 'admin:write'];

export async function showApplications(ctx) {
  const write = ctx.session.can('admin:write');
  const body = h('tbody', { id: 'application-rows' });
  const result = h('div', { id: 'application-result', 'aria-live': 'polite' });
  const editing = h('div', { id: 'application-edit' });
  const refresh = async () => {
    const list = await call('GET', apps + '?per_page=100');
    if (!ctx.alive()) return;
    mount(body, list.items.length ? list.items.map((a) => h('tr', { 'data-id': a.id },
      h('th', { scope: 'row' }, a.name, a.description && h('small', { class: 'muted' }, a.description)),
      h('td', {}, h('code', {}, a.client_id)), h('td', {}, a.scopes.join(' ')),
      h('td', {}, [a.tenant_id && `tenant ${a.tenant_id}`, a.partner_id && `partner ${a.partner_id}`].filter(Boolean).join(', ') || 'all'),
      h('td', {}, when(a.created_at)),
      h('td', {}, write && [
        h('button', { type: 'button', class: 'edit', 'aria-label': `Edit ${a.name}`, onclick: () => editForm(a, editing, refresh) }, 'Edit'), ' ',
        h('button', { type: 'button', 'aria-label': `Rotate the secret of ${a.name}`, onclick: async () => {
          try { showSecret(result, await call('POST', `${apps}${enc(a.id)}/rotate-secret`, {})); } catch (e) { say(e.message, 'bad'); }
        } }, 'Rotate secret'), ' ',
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${a.name}`, onclick: () => remove(a, refresh) }, 'Delete')]))) :
      h('tr', {}, h('td', { colspan: 6 }, 'No applications.')));
  };
  await refresh();
  return h('section', {}, h('h1', {}, 'Applications'),
    write && createForm(result, refresh), result, editing,
    h('table', { id: 'applications' },
      h('thead', {}, h('tr', {}, ['Name', 'Client id', 'Scopes', 'Bound to', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
      body));
}

function createForm(result, refresh) {
  const err = h('p', { class: 'error', role: 'alert', id: 'app-error' });
  const form = h('form', { id: 'application-form', 'aria-labelledby': 'new-app-h' },
    h('h2', { id: 'new-app-h' }, 'New application'),
    h('label', { for: 'app-name' }, 'Name'), h('input', { id: 'app-name', name: 'name', required: true }),
    h('fieldset', {}, h('legend', {}, 'Scopes'), allScopes.map((sc) => h('label', { class: 'inline' },
      h('input', { type: 'checkbox', name: 'scopes', value: sc }), ' ', sc))),
    h('label', { for: 'app-tenant' }, 'Tenant (optional)'), h('input', { id: 'app-tenant', name: 'tenant_id' }),
    h('label', { for: 'app-partner' }, 'Partner (optional)'), h('input', { id: 'app-partner', name: 'partner_id' }),
    err, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create application')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    const body = { name: form.name.value.trim(), scopes: [...form.querySelectorAll('input[name=scopes]:checked')].map((c) => c.value) };
    if (form.tenant_id.value.trim()) body.tenant_id = form.tenant_id.value.trim();
    if (form.partner_id.value.trim()) body.partner_id = form.partner_id.value.trim();
    try {
      const a = await call('POST', apps, body);
      showSecret(result, a);
      mount(result.querySelector('.once p'), 'Client id ', h('code', { id: 'new-client-id' }, a.client_id), '; its secret, shown only now:');
      form.reset();
      await refresh();
    } catch (x) { err.textContent = x.message; }
  });
  return form;
}

// editForm shows in place a form that edits a (PATCH: name, description,
// scopes and token lifetime; the binding is fixed at create), sending only
// what changed, with the API's 422 messages next to their fields.
function editForm(a, place, refresh) {
  const scopes = allScopes.map((sc) => h('label', { class: 'inline' },
    h('input', { type: 'checkbox', name: 'scopes', value: sc, checked: a.scopes.includes(sc) }), ' ', sc));
  const formError = h('p', { class: 'error', role: 'alert', id: 'edit-app-error' });
  const form = h('form', { id: 'application-edit-form', novalidate: true, 'aria-labelledby': 'edit-app-h' },
    h('h2', { id: 'edit-app-h' }, `Edit ${a.name}`),
    field('name', 'Name', h('input', { value: a.name }), null, 'app-'),
    field('description', 'Description', h('input', { value: a.description || '' }), null, 'app-'),
    h('fieldset', { 'aria-describedby': 'e-app-scopes' }, h('legend', {}, 'Scopes'), scopes,
      h('p', { id: 'e-app-scopes', class: 'field-error' })),
    field('token_lifetime', 'Token lifetime (seconds)', h('input', { type: 'number', value: a.token_lifetime }),
      'For tokens issued from now on. Dropped scopes leave tokens already issued at once.', 'app-'),
    h('p', { class: 'muted' }, `Bound to ${[a.tenant_id && `tenant ${a.tenant_id}`, a.partner_id && `partner ${a.partner_id}`].filter(Boolean).join(', ') || 'all tenants'}: fixed at create.`),
    formError,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'save-app' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', id: 'cancel-app', onclick: () => mount(place) }, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, formError);
    const f = form.elements;
    const body = {};
    if (f.name.value.trim() !== a.name) body.name = f.name.value.trim();
    if (f.description.value.trim() !== (a.description || '')) body.description = f.description.value.trim();
    const checked = [...form.querySelectorAll('input[name=scopes]:checked')].map((c) => c.value);
    if (checked.join(' ') !== allScopes.filter((sc) => a.scopes.includes(sc)).join(' ')) body.scopes = checked;
    // An empty or unreadable number is sent as it is, for the API to judge.
    const life = f.token_lifetime.value.trim();
    if (life !== String(a.token_lifetime)) body.token_lifetime = life === '' || isNaN(Number(life)) ? life : Number(life);
    try {
      if (Object.keys(body).length) await call('PATCH', apps + enc(a.id), body);
      mount(place);
      say('Saved.');
      await refresh();
    } catch (x) {
      if (x instanceof ApiError && x.status === 422 && Array.isArray(x.body.detail)) showErrors(form, formError, x.body.detail, 'app-');
      else formError.textContent = x.message;
    }
  });
  mount(place, form);
  form.elements.name.focus();
}

function remove(a, refresh) {
  confirm(`Delete ${a.name}?`, 'Its tokens stop working at once.', 'Delete', async () => {
    try { await call('DELETE', apps + enc(a.id)); say('Deleted.'); await refresh(); } catch (e) { say(e.message, 'bad'); }
  });
}
