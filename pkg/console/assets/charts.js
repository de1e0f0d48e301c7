// charts.js draws a webhook's last hour or last day as SVG: deliveries
// finished per minute (per 30 minutes over a day), succeeded up and failed
// down, and attempt latency p50/p95 (per 5 minutes, per hour over a day),
// from the call log of the webhook's deliveries in the window, with the
// stats endpoint's totals beside them. Drawn with DOM calls: no inline style.
import { call, hooks, enc } from './api.js';
import { h, mount } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const MIN = 60000;
// ranges: the window, the buckets of each chart, how often it is drawn
// again, and how many pages of the call log it reads at most.
const ranges = {
  hour: { label: 'last hour', span: 60 * MIN, bar: MIN, barName: 'minute', lat: 5 * MIN, latName: '5 minutes', every: 3000, pages: 5 },
  day: { label: 'last day', span: 24 * 60 * MIN, bar: 30 * MIN, barName: '30 minutes', lat: 60 * MIN, latName: 'hour', every: 30000, pages: 20 },
};

export function chartsPanel(ctx, id) {
  const totals = h('dl', { class: 'facts', id: 'stats' });
  const bars = h('figure', { id: 'chart-outcomes' });
  const latency = h('figure', { id: 'chart-latency' });
  let range = 'hour';
  let drawn = 0; // when the current range was last drawn
  const buttons = Object.entries(ranges).map(([name, r]) => h('button', {
    type: 'button', id: 'range-' + name, class: 'secondary', 'aria-pressed': String(name === range),
    onclick: () => {
      range = name;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.id === 'range-' + name));
      draw().catch(() => {});
    },
  }, r.label[0].toUpperCase() + r.label.slice(1)));
  const draw = async () => {
    const name = range, r = ranges[name], now = Date.now();
    const [st, win] = await Promise.all([call('GET', `${hooks}${enc(id)}/stats`), deliveries(id, now - r.span, r.pages)]);
    if (!ctx.alive() || name !== range) return;
    drawn = now;
    const rate = st.success_rate == null ? '—' : `${Math.round(st.success_rate * 100)} %`;
    const lat = st.latency_ms ? `${fmt(st.latency_ms.p50)} / ${fmt(st.latency_ms.p95)} ms` : '—';
    mount(totals, ...[['Succeeded', st.counts.succeeded], ['Failed', st.counts.failed], ['Pending', st.counts.pending],
      ['Success rate', rate], ['Latency p50 / p95', lat]].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
    const partial = win.more ? ` (its newest ${win.items.length} deliveries only)` : '';
    mount(bars, outcomes(win.items, now, r, name),
      h('figcaption', {}, `Finished per ${r.barName}, ${r.label}${partial}: succeeded above the line, failed below`));
    mount(latency, latencies(win.items, now, r, name),
      h('figcaption', {}, `Attempt latency p50 (solid) and p95 (dashed) per ${r.latName}, ${r.label}${partial}`));
  };
  draw().catch(() => {});
  ctx.every(1000, () => { if (Date.now() - drawn >= ranges[range].every) draw().catch(() => {}); });
  return h('section', { 'aria-labelledby': 'charts-h', class: 'charts' },
    h('div', { class: 'bar' }, h('h2', { id: 'charts-h' }, 'Health'),
      h('div', { class: 'toggle', role: 'group', 'aria-label': 'Chart window' }, buttons)),
    totals, h('div', { class: 'chart-row' }, bars, latency));
}

// deliveries reads the webhook's deliveries of events ingested since from
// the call log, at most pages pages of 100; more says there were others.
async function deliveries(id, since, pages) {
  const items = [];
  let after = null;
  for (let i = 0; i < pages; i++) {
    const q = new URLSearchParams({ webhook_id: id, since: new Date(since).toISOString(), per_page: '100' });
    if (after != null) q.set('after', String(after));
    const page = await call('GET', `/api/v1/admin/deliveries?${q}`);
    items.push(...page.items);
    after = page.next_after;
    if (after == null) return { items, more: false };
  }
  return { items, more: true };
}

const fmt = (x) => (x == null ? '—' : Math.round(x));
const W = 360, H = 120;

function finishedAt(d) {
  const a = d.attempts || [];
  return a.length ? new Date(a[a.length - 1].at).getTime() : null;
}

// frame is an empty chart: its axis at y, the window's ends labelled.
function frame(r, name, label, y) {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, 'data-range': name });
  svg.append(s('line', { x1: 0, x2: W, y1: y, y2: y, class: 'axis' }),
    s('text', { x: 2, y: H - 2, class: 'label' }, name === 'hour' ? '1 h ago' : '24 h ago'),
    s('text', { x: W - 2, y: H - 2, class: 'label end' }, 'now'));
  return svg;
}

function outcomes(items, now, r, name) {
  const M = r.span / r.bar;
  const ok = new Array(M).fill(0), bad = new Array(M).fill(0);
  for (const d of items) {
    const t = finishedAt(d);
    if (t == null || (d.status !== 'succeeded' && d.status !== 'failed')) continue;
    const i = M - 1 - Math.floor((now - t) / r.bar);
    if (i < 0 || i >= M) continue;
    (d.status === 'succeeded' ? ok : bad)[i]++;
  }
  const top = Math.max(1, ...ok, ...bad), mid = H / 2, bw = W / M;
  const svg = frame(r, name, `${sum(ok)} succeeded and ${sum(bad)} failed, ${r.label}`, mid);
  ok.forEach((n, i) => n && svg.append(s('rect', { x: i * bw, width: bw - 1, y: mid - (n / top) * (mid - 12), height: (n / top) * (mid - 12), class: 'ok' }, s('title', {}, `${n} succeeded`))));
  bad.forEach((n, i) => n && svg.append(s('rect', { x: i * bw, width: bw - 1, y: mid, height: (n / top) * (mid - 12), class: 'bad' }, s('title', {}, `${n} failed`))));
  svg.append(s('text', { x: 2, y: 10, class: 'label' }, `max ${top} per ${r.barName}`));
  return svg;
}

const sum = (a) => a.reduce((x, y) => x + y, 0);

function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function latencies(items, now, r, name) {
  const N = r.span / r.lat, buckets = Array.from({ length: N }, () => []);
  for (const d of items) {
    for (const a of d.attempts || []) {
      if (a.duration_ms == null) continue;
      const i = N - 1 - Math.floor((now - new Date(a.at).getTime()) / r.lat);
      if (i >= 0 && i < N) buckets[i].push(a.duration_ms);
    }
  }
  buckets.forEach((b) => b.sort((x, y) => x - y));
  const p50 = buckets.map((b) => quantile(b, 0.5)), p95 = buckets.map((b) => quantile(b, 0.95));
  const top = Math.max(1, ...p95.filter((x) => x != null));
  const svg = frame(r, name, `attempt latency, ${r.label}, at most ${top} ms at p95`, H - 12);
  const line = (vals, cls) => {
    const pts = vals.map((v, i) => (v == null ? null : `${(i + 0.5) * (W / N)},${H - 12 - (v / top) * (H - 24)}`)).filter(Boolean);
    if (pts.length) svg.append(s('polyline', { points: pts.join(' '), class: cls }));
    vals.forEach((v, i) => v != null && svg.append(s('circle', { cx: (i + 0.5) * (W / N), cy: H - 12 - (v / top) * (H - 24), r: 2.5, class: cls }, s('title', {}, `${v} ms`))));
  };
  line(p95, 'p95');
  line(p50, 'p50');
  svg.append(s('text', { x: 2, y: 10, class: 'label' }, `max ${top} ms`));
  return svg;
}
