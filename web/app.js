// Reach dashboard: three tabs over the JSON API, refreshed live.
//   Influencers   /api/influencers                       the leaderboard
//   Conversation  /api/topics/trending, /api/sentiment,  trending topics, a volume and sentiment
//                 /api/topics/{topic}, /api/alerts       timeline, a topic's leading accounts
//   Geography     /api/geo                               posts, engagements and sentiment by country
// The profile panel (/api/users/{id} and /api/users/{id}/audience) opens beside any tab.
// On each `snapshot` event of /api/stream the visible tab (and an open profile) is refetched, at
// most once per second. Charts are inline SVG built by the small functions below; no libraries and
// no requests to other hosts.
'use strict';

const state = {
  tab: 'influencers',
  window: 'all',
  selected: null,       // user id of the open profile
  topic: null,          // topic selected in the Conversation tab
  lastRefresh: 0,
  timer: null,
  inflight: false,
  again: false,
};
const $ = (id) => document.getElementById(id);
const SVG_NS = 'http://www.w3.org/2000/svg';

// ---------------------------------------------------------------------------------------------
// Formatting for people

const intFormat = new Intl.NumberFormat();

function compact(n) {
  if (n === null || n === undefined || n < 0) return '–';
  if (n < 1000) return String(n);
  const units = [['B', 1e9], ['M', 1e6], ['k', 1e3]];
  for (const [u, v] of units) {
    if (n >= v) return (n / v).toFixed(n / v < 10 ? 1 : 0).replace(/\.0$/, '') + u;
  }
  return String(n);
}

function percent(x) {
  if (x === null || x === undefined) return '–';
  const p = 100 * x;
  return (p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)) + ' %';
}

// A VADER compound mean: signed, two decimals; "–" when there is none.
function sentimentText(s) {
  if (s === null || s === undefined) return '–';
  return (s > 0 ? '+' : s < 0 ? '−' : '') + Math.abs(s).toFixed(2);
}

// VADER's conventional thresholds.
function tone(s) {
  if (s === null || s === undefined) return 'no score';
  if (s >= 0.05) return 'positive';
  if (s <= -0.05) return 'negative';
  return 'neutral';
}

function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function timeLabel(iso, bucketSeconds) {
  const d = new Date(iso);
  if (bucketSeconds >= 86400) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function durationText(seconds) {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

let regionNames = null;
try { regionNames = new Intl.DisplayNames(undefined, { type: 'region' }); } catch (e) { /* old browser */ }
function countryName(code) {
  try { return (regionNames && regionNames.of(code)) || code; } catch (e) { return code; }
}

// ---------------------------------------------------------------------------------------------
// DOM and SVG helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v; else e.setAttribute(k, String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

// A message in place of content: what happened and what to do about it.
function message(text, kind = 'empty') {
  return el('p', { class: kind === 'error' ? 'message error' : 'message', text });
}

class HttpError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error ? body.error.code : '';
  }
}

async function getJson(url) {
  let r;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new HttpError(0, { error: { code: 'network', message: 'the server cannot be reached' } });
  }
  let body = null;
  try { body = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) throw new HttpError(r.status, body);
  return body;
}

// The text to show for a failed request; `what` names what could not be loaded.
function errorText(e, what) {
  if (e.status === 501) {
    return `This view needs the live engine (${e.message}). Start Reach with \`reach run\` ` +
      `instead of \`reach serve\` to see ${what}.`;
  }
  if (e.status === 0) {
    return `Could not load ${what}: ${e.message}. Check that reach is still running; the page ` +
      'retries on the next update.';
  }
  if (e.status === 503) return `Could not load ${what}: the store is unavailable (${e.message}). It will retry.`;
  return `Could not load ${what} (${e.status ? 'HTTP ' + e.status + ': ' : ''}${e.message}).`;
}

// ---------------------------------------------------------------------------------------------
// Charts

// The width in CSS pixels a chart drawn into `box` may use; charts are laid out at this size so
// that their text stays readable from phone to desktop.
function chartWidth(box, min = 260) {
  const cs = getComputedStyle(box);
  const inner = box.clientWidth - parseFloat(cs.paddingLeft || 0) - parseFloat(cs.paddingRight || 0);
  return Math.max(min, Math.floor(inner || 0));
}

// Horizontal bars: rows [{label, values: {key: number|null}}], columns [{key, title, kind:
// 'count'|'share'|'signed', color, format}]. A 'signed' column draws from a centre line, negative
// to the left. Laid out for `width` pixels.
function hbarChart(rows, columns, { label = 'Bar chart', labelWidth = 150, width = 760 } = {}) {
  const rowH = 26;
  const gap = 18;
  const headH = 22;
  const colW = Math.max(110, (width - labelWidth) / columns.length - gap);
  width = labelWidth + columns.length * (colW + gap);
  const height = headH + rows.length * rowH + 4;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label,
    class: 'hbar', preserveAspectRatio: 'xMinYMin meet' });
  root.append(svg('title', { text: label }));
  columns.forEach((c, ci) => {
    const x0 = labelWidth + ci * (colW + gap);
    root.append(svg('text', { x: x0, y: 14, class: 'col-title', text: c.title }));
    const vals = rows.map((r) => r.values[c.key]).filter((v) => v !== null && v !== undefined);
    c.max = c.kind === 'signed' ? 1 : Math.max(1e-9, ...vals.map(Math.abs));
    if (c.kind === 'signed') {
      root.append(svg('line', { x1: x0 + colW / 2, x2: x0 + colW / 2, y1: headH - 2,
        y2: height - 2, class: 'axis' }));
    }
  });
  rows.forEach((r, ri) => {
    const y = headH + ri * rowH;
    const g = svg('g', { class: 'row' });
    g.append(svg('text', { x: 0, y: y + 16, class: 'row-label', text: r.label }));
    columns.forEach((c, ci) => {
      const x0 = labelWidth + ci * (colW + gap);
      const v = r.values[c.key];
      const barW = colW - 56;  // room for the value text
      if (v === null || v === undefined) {
        g.append(svg('text', { x: x0 + (c.kind === 'signed' ? colW / 2 - 4 : 0), y: y + 16,
          class: 'value muted-text', text: '–' }));
        return;
      }
      let bx;
      let bw;
      let tx;
      if (c.kind === 'signed') {
        const half = colW / 2 - 28;
        bw = Math.max(1, (Math.abs(v) / c.max) * half);
        bx = v >= 0 ? x0 + colW / 2 : x0 + colW / 2 - bw;
        tx = v >= 0 ? bx + bw + 4 : bx - 4;
      } else {
        bw = Math.max(v > 0 ? 2 : 0, (v / c.max) * barW);
        bx = x0;
        tx = x0 + bw + 4;
      }
      const fill = typeof c.color === 'function' ? c.color(v) : c.color;
      const bar = svg('rect', { x: bx, y: y + 5, width: bw, height: rowH - 10, rx: 2, fill });
      bar.append(svg('title', { text: `${r.label} · ${c.title}: ${c.format(v)}` }));
      g.append(bar);
      g.append(svg('text', { x: tx, y: y + 16, class: c.kind === 'signed' && v < 0 ? 'value end' : 'value',
        text: c.format(v) }));
    });
    root.append(g);
  });
  return root;
}

function sentimentColor(s) {
  if (s >= 0.05) return 'var(--pos)';
  if (s <= -0.05) return 'var(--neg)';
  return 'var(--neutral)';
}

// Volume bars with a mean-sentiment line over them. points: [{start, posts, sentiment}].
function timelineChart(points, bucketSeconds, label, width) {
  const W = Math.min(1400, width);
  const H = W < 560 ? 200 : 250;
  const m = { l: 44, r: 44, t: 16, b: 28 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label,
    class: 'timeline', preserveAspectRatio: 'xMinYMin meet' });
  root.append(svg('title', { text: label }));
  const maxPosts = Math.max(1, ...points.map((p) => p.posts));
  const n = points.length;
  const step = iw / Math.max(1, n);
  const yPosts = (v) => m.t + ih - (v / maxPosts) * ih;
  const ySent = (s) => m.t + ih / 2 - (s * ih) / 2;

  // Axes and grid: posts on the left, sentiment on the right.
  for (const f of [0, 0.5, 1]) {
    const y = m.t + ih - f * ih;
    root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y, y2: y, class: f === 0.5 ? 'grid mid' : 'grid' }));
    root.append(svg('text', { x: m.l - 6, y: y + 4, class: 'tick end', text: compact(Math.round(f * maxPosts)) }));
    root.append(svg('text', { x: W - m.r + 6, y: y + 4, class: 'tick', text: sentimentText(2 * f - 1) }));
  }

  const bars = svg('g', { class: 'bars' });
  points.forEach((p, i) => {
    const h = m.t + ih - yPosts(p.posts);
    const r = svg('rect', { x: m.l + i * step + step * 0.1, y: yPosts(p.posts), width: Math.max(1, step * 0.8),
      height: Math.max(0, h) });
    r.append(svg('title', { text: `${timeLabel(p.start, bucketSeconds)}: ${intFormat.format(p.posts)} posts, ` +
      `sentiment ${sentimentText(p.sentiment)} (${tone(p.sentiment)})` }));
    bars.append(r);
  });
  root.append(bars);

  // The line is broken where a bucket has no scored posts.
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.sentiment === null || p.sentiment === undefined) { pen = false; return; }
    const x = m.l + (i + 0.5) * step;
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${ySent(p.sentiment).toFixed(1)}`;
    pen = true;
  });
  if (d) root.append(svg('path', { d, class: 'sentiment-line' }));
  points.forEach((p, i) => {
    if (p.sentiment === null || p.sentiment === undefined) return;
    root.append(svg('circle', { cx: m.l + (i + 0.5) * step, cy: ySent(p.sentiment), r: n > 60 ? 1.5 : 2.5,
      class: 'sentiment-dot' }));
  });

  // A time label every ~110 pixels along the bottom.
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(iw / 110))));
  points.forEach((p, i) => {
    if (i % every !== 0) return;
    root.append(svg('text', { x: m.l + (i + 0.5) * step, y: H - 8, class: 'tick middle',
      text: timeLabel(p.start, bucketSeconds) }));
  });
  return root;
}

// ---------------------------------------------------------------------------------------------
// Influencers tab

// Each component is {value (0..1), raw, weight, why}; a segment's width is its weighted share.
function componentBar(c) {
  const keys = Object.keys(c);
  const bar = el('div', { class: 'bar', title:
    keys.map((k) => `${k} ${c[k].value.toFixed(2)} × ${c[k].weight}: ${c[k].why}`).join('\n') });
  const total = keys.reduce((s, k) => s + c[k].weight, 0) || 1;
  for (const k of keys) {
    const span = el('span', { class: `c-${k}` });
    span.style.width = `${(100 * c[k].weight * c[k].value) / total}%`;
    bar.append(span);
  }
  return bar;
}

function toneCell(s, posts) {
  return el('td', { class: `num col-hide tone-${tone(s).replace(' ', '-')}`,
    title: s === null || s === undefined ? 'no scored posts' : `${tone(s)} over ${intFormat.format(posts)} posts`,
    text: sentimentText(s) });
}

function accountCell(it) {
  return el('td', { class: 'wrap' }, el('span', { class: 'handle', text: it.handle ? '@' + it.handle : it.user_id }),
    el('span', { class: 'name', text: it.name || '' }));
}

function renderBoard(data) {
  const body = $('board').tBodies[0];
  const wrap = $('board').parentElement;
  const scroll = wrap.scrollTop;
  const rows = data.items.map((it) => {
    const tr = el('tr', { tabindex: '0', 'data-user': it.user_id },
      el('td', { class: 'num', text: String(it.rank) }),
      accountCell(it),
      el('td', { class: 'num', text: it.score.toFixed(1) }),
      el('td', { class: 'col-hide' }, componentBar(it.components)),
      el('td', { class: 'num', text: compact(it.followers) }),
      el('td', { class: 'num', text: compact(it.reshares) }),
      el('td', { class: 'num col-hide', text: compact(it.likes) }),
      el('td', { class: 'num col-hide', text: String(it.depth) }),
      el('td', { class: 'num col-hide', text: compact(it.posts) }),
      toneCell(it.sentiment_of, it.sentiment_of_posts));
    if (it.user_id === state.selected) tr.classList.add('selected');
    return tr;
  });
  body.replaceChildren(...rows);
  wrap.scrollTop = scroll;
  $('empty').hidden = data.items.length > 0;
  $('board-summary').textContent = `${compact(data.total)} accounts`;
  setAsOf(data.as_of);
}

async function loadInfluencers() {
  try {
    renderBoard(await getJson(`/api/influencers?window=${encodeURIComponent(state.window)}&limit=100`));
    setLive();
  } catch (e) {
    setDown(errorText(e, 'the leaderboard'));
  }
}

// ---------------------------------------------------------------------------------------------
// Conversation tab

function spikeMarker(spiking) {
  return spiking ? el('span', { class: 'spike', title: 'posting rate well above its baseline', text: '▲ spiking' }) : '';
}

function renderTrending(data) {
  $('convo-summary').textContent = `${intFormat.format(data.posts)} posts · mean sentiment ` +
    `${sentimentText(data.sentiment.mean)} (${tone(data.sentiment.mean)})`;
  const msg = $('convo-message');
  if (data.topics.length === 0) {
    msg.replaceChildren(message('No hashtags in this window yet. Widen the window (for example to ' +
      '"all time") or feed posts that carry hashtags (reach run --source FILE).'));
    msg.hidden = false;
  } else {
    msg.hidden = true;
  }
  const maxPosts = Math.max(1, ...data.topics.map((t) => t.posts));
  const rows = data.topics.map((t, i) => {
    const vol = el('div', { class: 'minibar' }, el('span'));
    vol.firstChild.style.width = `${(100 * t.posts) / maxPosts}%`;
    const tr = el('tr', { tabindex: '0', 'data-topic': t.topic, 'aria-label': `#${t.topic}: ${t.posts} posts` },
      el('td', { class: 'num', text: String(i + 1) }),
      el('td', { class: 'wrap' }, el('span', { class: 'handle', text: '#' + t.topic }), ' ', spikeMarker(t.spiking)),
      el('td', { class: 'num' }, el('span', { text: intFormat.format(t.posts) }), vol),
      el('td', { class: `num tone-${tone(t.sentiment).replace(' ', '-')}`, text: sentimentText(t.sentiment) }),
      el('td', { class: 'col-hide muted', text: t.sentiment_posts ? `${tone(t.sentiment)} · ${intFormat.format(t.sentiment_posts)} scored` : 'no scored posts' }));
    if (t.topic === state.topic) tr.classList.add('selected');
    return tr;
  });
  $('topics').tBodies[0].replaceChildren(...rows);
  $('topics').parentElement.hidden = rows.length === 0;
  setAsOf(data.as_of);
}

async function loadTimeline() {
  const topic = state.topic;
  const title = topic ? `Volume and sentiment — #${topic}` : 'Volume and sentiment — all posts';
  $('timeline-title').textContent = title;
  $('timeline-all').hidden = !topic;
  const q = new URLSearchParams({ window: state.window });
  if (topic) q.set('topic', topic);
  const box = $('timeline');
  try {
    const s = await getJson(`/api/sentiment?${q}`);
    if (s.points.length === 0 || s.points.every((p) => p.posts === 0)) {
      box.replaceChildren(message('No posts in this window yet. Widen the window or wait for posts to arrive.'));
      return;
    }
    const posts = s.points.reduce((a, p) => a + p.posts, 0);
    box.replaceChildren(
      timelineChart(s.points, s.bucket_seconds,
        `${title}: ${intFormat.format(posts)} posts in ${s.points.length} buckets of ${durationText(s.bucket_seconds)}`,
        chartWidth(box)),
      el('p', { class: 'muted', text: `${s.points.length} buckets of ${durationText(s.bucket_seconds)} · ` +
        `${intFormat.format(posts)} posts` }));
  } catch (e) {
    if (e.status === 404) {
      box.replaceChildren(message(topic
        ? `No timeline is kept for #${topic} in this window (only the leading topics of the 15 min, ` +
          '1 h and 24 h windows have one). Choose one of those windows, or show all posts.'
        : 'No timeline is kept for this window. Choose 15 minutes, 1 hour or 24 hours.'));
    } else {
      box.replaceChildren(message(errorText(e, 'the sentiment timeline'), 'error'));
    }
  }
}

async function loadTopic() {
  const card = $('topic-card');
  const topic = state.topic;
  if (!topic) { card.hidden = true; return; }
  card.hidden = false;
  $('topic-title').textContent = `Who drives #${topic}`;
  const body = $('topic-body');
  try {
    const t = await getJson(`/api/topics/${encodeURIComponent(topic)}?window=${encodeURIComponent(state.window)}`);
    $('topic-summary').replaceChildren(
      `${intFormat.format(t.posts)} posts · sentiment ${sentimentText(t.sentiment)} (${tone(t.sentiment)}) `,
      spikeMarker(t.spiking));
    if (t.influencers.length === 0) {
      body.replaceChildren(message('No engaged posts carry this topic yet in this window. Widen the ' +
        'window or wait for reshares, quotes and replies.'));
      return;
    }
    const rows = t.influencers.map((it, i) => el('tr', { tabindex: '0', 'data-user': it.user_id },
      el('td', { class: 'num', text: String(i + 1) }),
      accountCell(it),
      el('td', { class: 'num', text: compact(it.reshares), title: 'engagements on their posts with this topic' }),
      el('td', { class: 'num col-hide', text: compact(it.followers) }),
      el('td', { class: 'num col-hide', text: it.score.toFixed(1) }),
      toneCell(it.sentiment_of, it.sentiment_of_posts)));
    const table = el('table', { class: 'influencers' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: '#' }), el('th', { scope: 'col', text: 'Account' }),
        el('th', { scope: 'col', class: 'num', text: 'Engagements' }),
        el('th', { scope: 'col', class: 'num col-hide', text: 'Followers' }),
        el('th', { scope: 'col', class: 'num col-hide', text: 'Score' }),
        el('th', { scope: 'col', class: 'num col-hide', text: 'Tone' }))),
      el('tbody', {}, ...rows));
    body.replaceChildren(el('div', { class: 'table-wrap short' }, table),
      el('p', { class: 'muted', text: 'Select an account to open its profile.' }));
  } catch (e) {
    $('topic-summary').textContent = '';
    body.replaceChildren(message(e.status === 404
      ? `#${topic} is not among this window's leading topics. Choose a wider window or another topic.`
      : errorText(e, 'this topic'), e.status === 404 ? 'empty' : 'error'));
  }
}

async function loadAlerts() {
  const box = $('alerts');
  try {
    const a = await getJson('/api/alerts?limit=10');
    if (a.items.length === 0) {
      box.replaceChildren(message('No spikes so far: no topic has jumped above its own baseline.'));
      return;
    }
    box.replaceChildren(el('ul', { class: 'alerts' }, ...a.items.map((x) => el('li', {},
      el('button', { type: 'button', class: 'link', 'data-topic': x.topic, text: '#' + x.topic }),
      el('span', { class: 'muted', text: ` ${ago(x.at)} · ${intFormat.format(Math.round(x.current))} posts in the ` +
        `last hour vs ${x.baseline.toFixed(1)} usual (×${x.ratio.toFixed(1)})` })))));
  } catch (e) {
    box.replaceChildren(message(errorText(e, 'spike alerts'), 'error'));
  }
}

async function loadConversation() {
  try {
    renderTrending(await getJson(`/api/topics/trending?window=${encodeURIComponent(state.window)}&limit=25`));
    setLive();
  } catch (e) {
    $('convo-summary').textContent = '';
    $('topics').tBodies[0].replaceChildren();
    $('topics').parentElement.hidden = true;
    const msg = $('convo-message');
    msg.replaceChildren(message(errorText(e, 'trending topics'), 'error'));
    msg.hidden = false;
    if (e.status === 501) {  // the other calls would say the same: show the message alone
      for (const id of ['timeline-card', 'topic-card', 'alerts-card']) $(id).hidden = true;
      return;
    }
  }
  $('timeline-card').hidden = false;
  $('alerts-card').hidden = false;
  await Promise.all([loadTimeline(), loadTopic(), loadAlerts()]);
}

function selectTopic(topic) {
  state.topic = topic;
  syncUrl();
  for (const tr of $('topics').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.topic === topic);
  loadTimeline();
  loadTopic();
}

// ---------------------------------------------------------------------------------------------
// Geography tab

async function loadGeography() {
  const box = $('geo');
  try {
    const g = await getJson(`/api/geo?window=${encodeURIComponent(state.window)}`);
    setAsOf(g.as_of);
    setLive();
    const total = g.countries.reduce((a, c) => a + c.posts, 0);
    $('geo-summary').textContent = g.countries.length
      ? `${g.countries.length} countries · ${intFormat.format(total)} located posts` : '';
    if (g.countries.length === 0) {
      box.replaceChildren(message('No located posts in this window. Countries come from places, ' +
        'coordinates and profile locations; widen the window or feed posts with locations.'));
      return;
    }
    const shown = g.countries.slice(0, 30);
    const rows = shown.map((c) => ({
      label: countryName(c.country),
      values: { posts: c.posts, engagements: c.engagements, sentiment: c.sentiment_posts ? c.sentiment : null },
    }));
    const columns = [
      { key: 'posts', title: 'Posts', kind: 'count', color: 'var(--reshares)', format: compact },
      { key: 'engagements', title: 'Engagements', kind: 'count', color: 'var(--followers)', format: compact },
      { key: 'sentiment', title: 'Mean sentiment', kind: 'signed', color: sentimentColor, format: sentimentText },
    ];
    const width = chartWidth(box);
    const labelWidth = width < 640 ? 130 : 170;
    if ((width - labelWidth) / columns.length >= 150) {
      box.replaceChildren(hbarChart(rows, columns, { width, labelWidth,
        label: `Posts, engagements and mean sentiment by country, ${state.window} window` }));
    } else {
      // Narrow screens: one chart per measure, one under the other.
      box.replaceChildren(...columns.map((c) => hbarChart(rows, [c], { width, labelWidth,
        label: `${c.title} by country, ${state.window} window` })));
    }
    if (g.countries.length > shown.length) {
      box.append(el('p', { class: 'muted', text: `Showing the ${shown.length} countries with most posts of ${g.countries.length}.` }));
    }
  } catch (e) {
    $('geo-summary').textContent = '';
    box.replaceChildren(message(errorText(e, 'the country breakdown'), 'error'));
  }
}

// ---------------------------------------------------------------------------------------------
// Profile panel

async function loadAudience(id) {
  const box = $('audience');
  try {
    const a = await getJson(`/api/users/${encodeURIComponent(id)}/audience?window=${encodeURIComponent(state.window)}`);
    if (state.selected !== id) return;
    if (a.countries.length === 0) {
      box.replaceChildren(message('No engagements from accounts with a known country in this window. ' +
        'Widen the window to see more.'));
      return;
    }
    const shown = a.countries.slice(0, 10);
    box.replaceChildren(hbarChart(shown.map((c) => ({
      label: countryName(c.country), values: { share: c.share },
    })), [{ key: 'share', title: `Share of ${compact(a.total)} engagers`, kind: 'share',
      color: 'var(--accent)', format: percent }],
    { label: `Audience countries of this account, ${state.window} window`, labelWidth: 110,
      width: chartWidth(box, 240) }));
  } catch (e) {
    if (state.selected !== id) return;
    box.replaceChildren(message(e.status === 404
      ? 'No audience data for this account in this window.' : errorText(e, 'the audience'),
    e.status === 404 ? 'empty' : 'error'));
  }
}

async function loadProfile(id, quiet) {
  const body = $('profile-body');
  if (!quiet) {
    body.textContent = 'loading…';
    $('audience').replaceChildren();
  }
  const audience = loadAudience(id);
  try {
    const u = await getJson(`/api/users/${encodeURIComponent(id)}`);
    if (state.selected !== id) return;
    const dl = el('dl');
    const add = (k, v) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
    add('Handle', u.handle ? '@' + u.handle : '–');
    add('Name', u.name || '–');
    add('Location', u.location || '–');
    add('Followers', compact(u.followers));
    add('Following', compact(u.following));
    for (const w of ['15m', '1h', '24h', 'all']) {
      const row = u.windows[w];
      add(`Score ${w}`, row ? `${row.score.toFixed(1)} (#${row.rank}) · ${compact(row.reshares)} reshares` : 'no activity');
    }
    const row = u.windows[state.window];
    if (row) {
      add('Tone of posts', row.sentiment_of_posts
        ? `${sentimentText(row.sentiment_of)} ${tone(row.sentiment_of)} (${intFormat.format(row.sentiment_of_posts)} posts)` : 'no scored posts');
      add('Tone toward', row.sentiment_toward_posts
        ? `${sentimentText(row.sentiment_toward)} ${tone(row.sentiment_toward)} (${intFormat.format(row.sentiment_toward_posts)} quotes and replies)` : 'no scored quotes or replies');
    }
    body.replaceChildren(dl);
  } catch (e) {
    if (state.selected !== id) return;
    body.replaceChildren(message(e.status === 404 ? 'This account is not known (yet).' : errorText(e, 'this account'),
      e.status === 404 ? 'empty' : 'error'));
  }
  await audience;
}

function showProfile(id) {
  state.selected = id;
  syncUrl();
  for (const tr of document.querySelectorAll('tr[data-user]')) tr.classList.toggle('selected', tr.dataset.user === id);
  $('profile').hidden = false;
  loadProfile(id, false);
}

// ---------------------------------------------------------------------------------------------
// Tabs, refresh and live updates

const TABS = ['influencers', 'conversation', 'geography'];
const loaders = { influencers: loadInfluencers, conversation: loadConversation, geography: loadGeography };

function selectTab(name, focus) {
  state.tab = name;
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  syncUrl();
  refreshNow();
}

// The address says what is shown (tab, window, topic, profile), so a view can be shared or reloaded.
function syncUrl() {
  const q = new URLSearchParams();
  if (state.window !== 'all') q.set('window', state.window);
  if (state.topic) q.set('topic', state.topic);
  if (state.selected) q.set('user', state.selected);
  const url = `${location.pathname}${q.toString() ? '?' + q : ''}#${state.tab}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

// Loads the visible tab (and the open profile); a call during a load runs once more after it.
async function refreshNow() {
  if (state.inflight) { state.again = true; return; }
  state.inflight = true;
  state.lastRefresh = Date.now();
  try {
    const jobs = [loaders[state.tab]()];
    if (state.selected) jobs.push(loadProfile(state.selected, true));
    await Promise.all(jobs);
  } finally {
    state.inflight = false;
    if (state.again) { state.again = false; refreshNow(); }
  }
}

// At most one refresh per second, however fast snapshots arrive.
function refreshThrottled() {
  if (state.timer) return;
  const wait = Math.max(0, 1000 - (Date.now() - state.lastRefresh));
  state.timer = setTimeout(() => { state.timer = null; refreshNow(); }, wait);
}

function setAsOf(iso) { $('as-of').textContent = iso ? `data as of ${ago(iso)}` : 'no data yet'; }
let liveText = 'live';
function setLive() { $('status').textContent = liveText; $('status').className = 'status live'; }
function setDown(text) { $('status').textContent = text; $('status').className = 'status down'; }

function connect() {
  const es = new EventSource('/api/stream');
  es.addEventListener('open', () => setLive());
  es.addEventListener('snapshot', (ev) => {
    try {
      const s = JSON.parse(ev.data);
      liveText = `live · ${compact(s.events)} events`;
    } catch (e) { liveText = 'live'; }
    setLive();
    refreshThrottled();
  });
  es.addEventListener('error', () => setDown('reconnecting… (is reach still running?)'));
}

// Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation).
$('tabs').addEventListener('keydown', (e) => {
  const i = TABS.indexOf(state.tab);
  let next = null;
  if (e.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
  else if (e.key === 'ArrowLeft') next = TABS[(i + TABS.length - 1) % TABS.length];
  else if (e.key === 'Home') next = TABS[0];
  else if (e.key === 'End') next = TABS[TABS.length - 1];
  if (next) { e.preventDefault(); selectTab(next, true); }
});
for (const t of TABS) $(`tab-${t}`).addEventListener('click', () => selectTab(t, false));

$('window').addEventListener('change', (e) => { state.window = e.target.value; syncUrl(); refreshNow(); });
// Charts are laid out for their width: redraw after the window is resized.
let resizeTimer = null;
let lastWidth = window.innerWidth;
window.addEventListener('resize', () => {
  if (window.innerWidth === lastWidth) return;
  lastWidth = window.innerWidth;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(refreshNow, 300);
});

// Rows with data-user open a profile and rows with data-topic select a topic, by click, Enter or Space.
function activate(e) {
  const userRow = e.target.closest('[data-user]');
  if (userRow) { showProfile(userRow.dataset.user); return true; }
  const topicRow = e.target.closest('[data-topic]');
  if (topicRow) { selectTopic(topicRow.dataset.topic); return true; }
  return false;
}
document.querySelector('main').addEventListener('click', activate);
document.querySelector('main').addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('tr')) {
    if (activate(e)) e.preventDefault();
  }
});
$('timeline-all').addEventListener('click', () => selectTopic(null));
$('profile-close').addEventListener('click', () => {
  state.selected = null;
  syncUrl();
  $('profile').hidden = true;
  for (const tr of document.querySelectorAll('tr.selected[data-user]')) tr.classList.remove('selected');
});

const initial = new URLSearchParams(location.search);
if (['15m', '1h', '24h', 'all'].includes(initial.get('window'))) {
  state.window = initial.get('window');
  $('window').value = state.window;
}
if (initial.get('topic')) state.topic = initial.get('topic');
if (/^[0-9]+$/.test(initial.get('user') || '')) {
  state.selected = initial.get('user');
  $('profile').hidden = false;
}
const initialTab = location.hash.slice(1);
selectTab(TABS.includes(initialTab) ? initialTab : 'influencers', false);
connect();
