// api.js is the console's only way to Herald: the documented admin API,
// called with the user's bearer token from sessionStorage.

const KEY = 'herald.console.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

// ApiError is a non-2xx answer: status, and the body (detail is a string or,
// for a 422, a list of {loc, msg, type}).
export class ApiError extends Error {
  constructor(status, body) {
    super(message(status, body));
    this.status = status;
    this.body = body;
  }
}

function message(status, body) {
  const d = body && body.detail;
  if (typeof d === 'string') return d;
  if (Array.isArray(d)) return d.map((e) => `${(e.loc || []).slice(1).join('.')}: ${e.msg}`).join('; ');
  if (body && body.error_description) return body.error_description;
  return `HTTP ${status}`;
}

// call sends method path with a JSON body (or none) and returns the decoded
// answer; it throws ApiError for a non-2xx answer. A 401 signs out.
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!resp.ok) {
    if (resp.status === 401 && t) window.dispatchEvent(new Event('herald:signed-out'));
    throw new ApiError(resp.status, data);
  }
  return data;
}

// exchange trades an application's client id and secret for a token
// (POST /oauth/token, client_credentials, form credentials).
export async function exchange(clientId, clientSecret) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const resp = await fetch('/oauth/token', { method: 'POST', body: form, credentials: 'omit', cache: 'no-store' });
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data.access_token;
}

export const hooks = '/api/v1/admin/webhooks/';
export const apps = '/api/v1/admin/applications/';
export const enc = encodeURIComponent;
