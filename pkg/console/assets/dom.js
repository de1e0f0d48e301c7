// dom.js builds elements without innerHTML: every text is a text node, so
// nothing the API returns is ever parsed as markup.

// h returns a new element: attrs are attributes ("on…" functions become
// listeners, booleans toggle, null/undefined/false skip), children are
// nodes, strings or arrays of them.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// mount replaces the children of parent.
export function mount(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

// when formats an ISO time for people ("—" for none).
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

// badge is a short coloured word; kind picks the colour (ok, warn, bad, muted).
export function badge(text, kind) {
  return h('span', { class: 'badge ' + kind }, text);
}

let sayTimer = 0;

// say shows a message in the polite live region at the foot of the page
// for a few seconds.
export function say(text, kind = 'ok') {
  const s = document.getElementById('status');
  s.className = 'status ' + kind;
  s.textContent = text;
  clearTimeout(sayTimer);
  if (text) sayTimer = setTimeout(() => { s.textContent = ''; }, 5000);
}

// lines splits a textarea's value into trimmed non-empty lines or comma items.
export function items(value) {
  return value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

// confirm asks in a modal dialog (keyboard: Tab between the buttons, Escape
// cancels) and runs onConfirm when the user chooses the action button.
export function confirm(title, text, action, onConfirm) {
  const dialog = h('dialog', { id: 'confirm-dialog', 'aria-labelledby': 'confirm-h' },
    h('h2', { id: 'confirm-h' }, title), h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'confirm-cancel', onclick: () => dialog.close('cancel') }, 'Cancel'),
      h('button', { type: 'button', id: 'confirm-ok', class: 'danger', onclick: () => dialog.close('confirm') }, action)));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (dialog.returnValue === 'confirm') onConfirm();
  });
  document.body.append(dialog);
  dialog.showModal();
}

// field returns a labelled control named name (id f-<prefix><name>) with a
// place for its error (e-<prefix><name>, where showErrors puts it) and an
// optional hint.
export function field(name, label, control, hint, prefix = '') {
  const id = prefix + name;
  control.id = 'f-' + id;
  control.name = name;
  control.setAttribute('aria-describedby', `e-${id}${hint ? ` h-${id}` : ''}`);
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: control.id }, label), control,
    hint && h('small', { id: 'h-' + id, class: 'muted' }, hint),
    h('p', { id: 'e-' + id, class: 'field-error' }));
}

// clearErrors empties a form's field errors and its general error.
export function clearErrors(form, formError) {
  formError.textContent = '';
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

// showErrors puts each {loc: ["body", field, …], msg} of a 422 next to its
// field (the element #e-<prefix><field>, the controls named field), and the
// rest in formError; the first invalid field gets the focus.
export function showErrors(form, formError, detail, prefix = '') {
  const rest = [];
  let first = null;
  for (const e of detail) {
    const name = (e.loc || [])[1];
    const p = form.querySelector(`#e-${CSS.escape(prefix + String(name))}`);
    if (!p) { rest.push(`${(e.loc || []).slice(1).join('.')}: ${e.msg}`); continue; }
    const where = (e.loc || []).slice(2).join('.');
    p.textContent = (p.textContent ? p.textContent + '; ' : '') + (where ? `${where}: ` : '') + e.msg;
    // A group of checkboxes of one name is a list of controls.
    const control = form.elements[name];
    const controls = !control ? [] : control instanceof Element ? [control] : [...control];
    for (const c of controls) c.setAttribute('aria-invalid', 'true');
    first = first || controls[0] || null;
  }
  formError.textContent = rest.length ? rest.join('; ') : 'Some fields need a fix.';
  if (first) first.focus();
}
