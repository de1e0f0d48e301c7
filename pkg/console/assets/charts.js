// charts.js draws a webhook's last hour as SVG: deliveries finished per
// minute (succeeded up, failed down) from its delivery log, and attempt
// latency (p50, p95 per 5 minutes) from the attempts, with the stats
// endpoint's totals beside them. Drawn with DOM calls: no inline style.
import { call, hooks, enc } from './api.js';
import { h, mount } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function chartsPanel(ctx, id) {
  const totals = h('dl', { class: 'facts', id: 'stats' });
  const bars = h('figure', { id: 'chart-outcomes' });
  const latency = h('figure', { id: 'chart-latency' });
  const draw = async () => {
    const [st, list] = await Promise.all([call('GET', `${hooks}${enc(id)}/stats`),
      call('GET', `${hooks}${enc(id)}/deliveries?per_page=100`)]);
    if (!ctx.alive()) return;
    const rate = st.success_rate == null ? '—' : `${Math.round(st.success_rate * 100)} %`;
    const lat = st.latency_ms ? `${fmt(st.latency_ms.p50)} / ${fmt(st.latency_ms.p95)} ms` : '—';
    mount(totals, ...[['Succeeded', st.counts.succeeded], ['Failed', st.counts.failed], ['Pending', st.counts.pending],
      ['Success rate', rate], ['Latency p50 / p95', lat]].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
    const now = Date.now();
    mount(bars, outcomes(list.items, now), h('figcaption', {}, 'Finished per minute, last hour: succeeded above the line, failed below'));
    mount(latency, latencies(list.items, now), h('figcaption', {}, 'Attempt latency p50 (solid) and p95 (dashed), per 5 minutes, last hour'));
  };
  draw().catch(() => {});
  ctx.every(2000, () => draw().catch(() => {}));
  return h('section', { 'aria-labelledby': 'charts-h', class: 'charts' }, h('h2', { id: 'charts-h' }, 'Health'), totals, h('div', { class: 'chart-row' }, bars, latency));
}

const fmt = (x) => (x == null ? '—' : Math.round(x));
const W = 360, H = 120, M = 60;

function finishedAt(d) {
  const a = d.attempts || [];
  return a.length ? new Date(a[a.length - 1].at).getTime() : null;
}

function outcomes(items, now) {
  const ok = new Array(M).fill(0), bad = new Array(M).fill(0);
  for (const d of items) {
    const t = finishedAt(d);
    if (t == null || (d.status !== 'succeeded' && d.status !== 'failed')) continue;
    const i = M - 1 - Math.floor((now - t) / 60000);
    if (i < 0 || i >= M) continue;
    (d.status === 'succeeded' ? ok : bad)[i]++;
  }
  const top = Math.max(1, ...ok, ...bad), mid = H / 2, bw = W / M;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${sum(ok)} succeeded and ${sum(bad)} failed in the last hour` });
  svg.append(s('line', { x1: 0, x2: W, y1: mid, y2: mid, class: 'axis' }));
  ok.forEach((n, i) => n && svg.append(s('rect', { x: i * bw, width: bw - 1, y: mid - (n / top) * (mid - 4), height: (n / top) * (mid - 4), class: 'ok' }, s('title', {}, `${n} succeeded`))));
  bad.forEach((n, i) => n && svg.append(s('rect', { x: i * bw, width: bw - 1, y: mid, height: (n / top) * (mid - 4), class: 'bad' }, s('title', {}, `${n} failed`))));
  svg.append(s('text', { x: 2, y: 10, class: 'label' }, `max ${top}/min`));
  return svg;
}

const sum = (a) => a.reduce((x, y) => x + y, 0);

function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function latencies(items, now) {
  const N = 12, buckets = Array.from({ length: N }, () => []);
  for (const d of items) {
    for (const a of d.attempts || []) {
      if (a.duration_ms == null) continue;
      const i = N - 1 - Math.floor((now - new Date(a.at).getTime()) / 300000);
      if (i >= 0 && i < N) buckets[i].push(a.duration_ms);
    }
  }
  buckets.forEach((b) => b.sort((x, y) => x - y));
  const p50 = buckets.map((b) => quantile(b, 0.5)), p95 = buckets.map((b) => quantile(b, 0.95));
  const top = Math.max(1, ...p95.filter((x) => x != null));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `attempt latency, at most ${top} ms at p95` });
  const line = (vals, cls) => {
    const pts = vals.map((v, i) => (v == null ? null : `${(i + 0.5) * (W / N)},${H - 4 - (v / top) * (H - 16)}`)).filter(Boolean);
    if (pts.length) svg.append(s('polyline', { points: pts.join(' '), class: cls }));
    vals.forEach((v, i) => v != null && svg.append(s('circle', { cx: (i + 0.5) * (W / N), cy: H - 4 - (v / top) * (H - 16), r: 2.5, class: cls }, s('title', {}, `${v} ms`))));
  };
  svg.append(s('line', { x1: 0, x2: W, y1: H - 4, y2: H - 4, class: 'axis' }));
  line(p95, 'p95');
  line(p50, 'p50');
  svg.append(s('text', { x: 2, y: 10, class: 'label' }, `max ${top} ms`));
  return svg;
}
