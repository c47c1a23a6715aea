// Reach dashboard: a single-page app over the JSON API, live over Server-Sent Events.
//
//   #/leaderboard              /api/influencers (window, topic, country filters)
//   #/profile/{user}           /api/users/{id}, /api/users/{id}/audience, /api/users/{id}/cascades,
//                              /api/communities
//   #/cascade/{post}           /api/cascades/{post}: the reshare tree (cytoscape, canvas renderer)
//   #/conversation             /api/topics/trending, /api/sentiment, /api/topics/{topic}, /api/alerts
//   #/network                  /api/network, /api/communities (cytoscape, coloured by community)
//   #/planner                  POST /api/plans; the `plan` event of /api/stream
//   #/pipeline                 /metrics (Prometheus text) and /healthz, polled every 2 s
//
// Each page is an object {title, mount(view, args), refresh(), unmount()}. On a `snapshot` event the
// visible page refreshes in place (at most once a second), so the scroll position and any open
// input stay as they are. Charts use Chart.js and graphs cytoscape, both vendored into web/vendor/
// by scripts/setup; nothing is fetched from other hosts.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const WINDOWS = [['15m', 'last 15 minutes'], ['1h', 'last hour'], ['24h', 'last 24 hours'], ['all', 'all time']];
const COMPONENTS = [
  ['reshares', 'reshares', '#3559e0', 0.35],
  ['likes', 'likes', '#e0355f', 0.2],
  ['followers', 'followers', '#1f9d74', 0.25],
  ['depth', 'depth', '#d98e04', 0.2],
  ['pagerank', 'PageRank', '#7a4fd6', 0],
  ['audience', 'audience', '#0e9fb5', 0],
];
// Row labels of the profile's metric table (docs/metrics.md defines each).
const METRIC_LABELS = {
  engagement_rate: 'engagements per 1k followers', depth_max: 'deepest cascade', depth_mean: 'mean cascade depth',
  second_level: 'reshares of reshares', audience: 'distinct engaged accounts', h_index: 'h-index (reshares)',
};
const PALETTE = ['#3559e0', '#e0355f', '#1f9d74', '#d98e04', '#7a4fd6', '#0e9fb5', '#b5470e', '#5b6b10',
  '#c2188a', '#2f7d32', '#8d6e63', '#455a64', '#f06292', '#00897b', '#6d4c41', '#9e9d24'];

const app = {
  page: null,          // the mounted page object
  route: '',
  window: sessionStorage.getItem('reach.window') || 'all',
  lastSnapshot: null,  // data of the newest `snapshot` event
  lastRefresh: 0,
  timer: null,
  busy: false,
  again: false,
  lastPlan: null,      // data of the newest `plan` event
};

// ---------------------------------------------------------------------------------------------
// Formatting for people

const intFormat = new Intl.NumberFormat('en');

function compact(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const sign = n < 0 ? '−' : '';
  const a = Math.abs(n);
  if (a < 1000) return sign + (Number.isInteger(a) ? String(a) : a.toFixed(a < 10 ? 2 : 1));
  for (const [u, v] of [['B', 1e9], ['M', 1e6], ['k', 1e3]]) {
    if (a >= v) return sign + (a / v).toFixed(a / v < 100 ? 1 : 0).replace(/\.0$/, '') + u;
  }
  return sign + String(a);
}

function money(n) {
  if (n === null || n === undefined) return '–';
  return '$' + (Math.abs(n) >= 10000 ? compact(n) : intFormat.format(Math.round(n * 100) / 100));
}

function fixed(x, d = 1) { return x === null || x === undefined ? '–' : Number(x).toFixed(d); }

function percent(x) {
  if (x === null || x === undefined) return '–';
  const p = 100 * x;
  return (p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)) + ' %';
}

function sentimentText(s) {
  if (s === null || s === undefined) return '–';
  return (s > 0 ? '+' : s < 0 ? '−' : '') + Math.abs(s).toFixed(2);
}

function tone(s) {
  if (s === null || s === undefined) return 'no score';
  if (s >= 0.05) return 'positive';
  if (s <= -0.05) return 'negative';
  return 'neutral';
}

function ago(iso) {
  if (!iso) return 'never';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 86400 * 45) return `${Math.round(s / 86400)} days ago`;
  return new Date(t).toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function when(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

let regionNames = null;
try { regionNames = new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { /* old browser */ }
function countryName(code) {
  try { return (regionNames && regionNames.of(code)) || code; } catch (e) { return code; }
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A message in place of content: what happened and what to do about it.
function message(text, kind = 'empty') {
  return el('p', { class: kind === 'error' ? 'message error' : 'message', role: kind === 'error' ? 'alert' : null, text });
}

function card(title, ...children) {
  return el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: title })), ...children);
}

function userLink(id, handle) {
  return el('a', { href: `#/profile/${id}`, class: 'handle', text: handle ? '@' + handle : String(id) });
}

function stat(label, value, hint) {
  return el('div', { class: 'stat' }, el('div', { class: 'stat-value', text: value }),
    el('div', { class: 'stat-label', text: label }), hint ? el('div', { class: 'stat-hint', text: hint }) : null);
}

function windowSelect(onChange, id = 'window') {
  const s = el('select', { id, 'aria-label': 'Time window' });
  for (const [v, label] of WINDOWS) s.append(el('option', { value: v, text: label, selected: v === app.window }));
  s.addEventListener('change', () => { app.window = s.value; sessionStorage.setItem('reach.window', s.value); onChange(); });
  return el('label', { class: 'field' }, 'Window ', s);
}

class HttpError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error ? body.error.code : '';
    this.parameter = body && body.error ? body.error.parameter : undefined;
  }
}

async function request(url, options) {
  let r;
  try {
    r = await fetch(url, options);
  } catch (e) {
    throw new HttpError(0, { error: { code: 'network', message: 'the server cannot be reached' } });
  }
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!r.ok) throw new HttpError(r.status, body);
  return { body, text };
}
async function getJson(url) { return (await request(url)).body; }

// The text to show for a failed request; `what` names what could not be loaded.
function errorText(e, what) {
  if (e.status === 0) return `Could not load ${what}: ${e.message}. Check that reach is still running; the page retries on the next update.`;
  if (e.status === 501) return `This view needs the live engine (${e.message}). Start Reach with \`reach run\` to see ${what}.`;
  if (e.status === 503) return `${what[0].toUpperCase()}${what.slice(1)} is not available yet (${e.message}). The page retries on the next update.`;
  if (e.status === 404 && e.code !== 'not_found') return `This server has no API for ${what} yet (HTTP 404). Update Reach to a version that serves it.`;
  if (e.status === 405) return `This server does not accept this request (${e.message}). Update Reach to a version that computes ${what}.`;
  return `Could not load ${what} (${e.status ? 'HTTP ' + e.status + ': ' : ''}${e.message}).`;
}

function missingApi(e) { return e.status === 405 || (e.status === 404 && /no API route/.test(e.message)); }

// ---------------------------------------------------------------------------------------------
// Charts (Chart.js) and graphs (cytoscape), with a clear message when set-up has not vendored them

function libsMissing(which) {
  const missing = which.filter((w) => (w === 'chart' ? !window.Chart : !window.cytoscape));
  if (!missing.length) return null;
  return message(`The ${missing.join(' and ')} library is missing from web/vendor/. Run scripts/setup (or make build) to install it, then reload.`, 'error');
}

if (window.Chart) {
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#475467';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

// Draws or updates a chart in `box` (a div); keeps the chart object on the box between refreshes.
function chartIn(box, config) {
  if (!window.Chart) { box.replaceChildren(libsMissing(['chart'])); return null; }
  let canvas = box.querySelector('canvas');
  if (box._chart && box._chart.config.type === config.type && canvas) {
    box._chart.data = config.data;
    box._chart.options = config.options || {};
    box._chart.update('none');
    return box._chart;
  }
  if (box._chart) box._chart.destroy();
  canvas = el('canvas', { role: 'img', 'aria-label': config.label || 'chart' });
  box.replaceChildren(canvas);
  box._chart = new Chart(canvas, config);
  return box._chart;
}

// Shows a message in place of a chart (and frees the chart).
function chartMessage(box, node) {
  if (box._chart) { box._chart.destroy(); box._chart = null; }
  box.style.height = '';
  box.replaceChildren(node);
}

function hbar(box, labels, datasets, { stacked = false, label = 'bar chart', format = compact, onClick } = {}) {
  box.style.height = `${Math.max(120, 28 * labels.length + 50)}px`;
  return chartIn(box, {
    type: 'bar', label,
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      scales: { x: { stacked, ticks: { callback: (v) => format(v) } }, y: { stacked } },
      plugins: { legend: { display: datasets.length > 1 }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(c.raw)}` } } },
      onClick: onClick ? (ev, els) => { if (els.length) onClick(els[0].index); } : undefined,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Score components: today a number per component, or {value, raw, weight, why}

function componentParts(row) {
  const parts = [];
  const comps = row.components || {};
  for (const [key, label, color, defWeight] of COMPONENTS) {
    const c = comps[key];
    if (c === undefined || c === null) continue;
    const value = typeof c === 'object' ? Number(c.value) : Number(c);
    const weight = typeof c === 'object' && c.weight !== undefined ? Number(c.weight) : defWeight;
    parts.push({ key, label, color, value, weight, raw: typeof c === 'object' ? c.raw : undefined,
      why: typeof c === 'object' ? c.why : undefined });
  }
  return parts;
}

function componentBar(row) {
  const parts = componentParts(row);
  const total = parts.reduce((s, p) => s + p.weight, 0) || 1;
  const bar = el('span', { class: 'bar', role: 'img' });
  const words = [];
  for (const p of parts) {
    if (p.weight <= 0) continue;
    const share = (p.weight * p.value) / total;
    bar.append(el('span', { style: `width:${(100 * share).toFixed(2)}%;background:${p.color}`,
      title: `${p.label}: ${fixed(p.value, 2)} × weight ${fixed(p.weight, 2)}${p.raw !== undefined ? ` (raw ${compact(p.raw)})` : ''}${p.why ? ' — ' + p.why : ''}` }));
    words.push(`${p.label} ${(100 * share).toFixed(0)}`);
  }
  bar.setAttribute('aria-label', `score parts: ${words.join(', ')}`);
  return bar;
}

function metric(row, key) {
  if (row.metrics && row.metrics[key] !== undefined) return row.metrics[key];
  return row[key];
}

// ---------------------------------------------------------------------------------------------
// Page: Leaderboard

const leaderboard = {
  title: 'Leaderboard',
  limit: 50,
  topic: '',
  country: '',
  note: '',
  mount(view) {
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    this.topic = params.get('topic') || '';
    this.country = params.get('country') || '';
    this.limit = 50;
    this.topicInput = el('input', { id: 'topic-filter', type: 'search', list: 'topic-list', placeholder: '#topic', value: this.topic, 'aria-label': 'Topic filter' });
    this.countrySelect = el('select', { id: 'country-filter', 'aria-label': 'Country filter' }, el('option', { value: '', text: 'all countries' }));
    const apply = () => {
      this.topic = this.topicInput.value.trim().replace(/^#/, '');
      this.country = this.countrySelect.value;
      const q = new URLSearchParams();
      if (this.topic) q.set('topic', this.topic);
      if (this.country) q.set('country', this.country);
      history.replaceState(null, '', `#/leaderboard${q.toString() ? '?' + q : ''}`);
      this.refresh();
    };
    this.topicInput.addEventListener('change', apply);
    this.countrySelect.addEventListener('change', apply);
    this.summary = el('span', { class: 'muted', id: 'board-summary' });
    this.tbody = el('tbody');
    this.more = el('button', { type: 'button', class: 'button', id: 'board-more', text: 'Show 50 more', hidden: true,
      onclick: () => { this.limit += 50; this.refresh(); } });
    this.msg = el('div', { id: 'board-message' });
    this.legend = el('p', { class: 'muted legend' });
    const head = el('tr', {}, ...[['#', 'num'], ['Account', ''], ['Score', 'num'], ['Parts', 'col-hide'], ['Followers', 'num'],
      ['Reshares', 'num'], ['Likes', 'num col-hide'], ['Depth', 'num col-hide'], ['Audience', 'num col-hide'], ['PageRank', 'num col-hide']]
      .map(([t, c]) => el('th', { scope: 'col', class: c, text: t })));
    view.append(
      el('section', { class: 'card' },
        el('div', { class: 'card-head' }, el('h2', { text: 'Influencers' }), this.summary),
        el('div', { class: 'filters' }, windowSelect(() => this.refresh()),
          el('label', { class: 'field' }, 'Topic ', this.topicInput, el('datalist', { id: 'topic-list' })),
          el('label', { class: 'field' }, 'Country ', this.countrySelect)),
        this.msg,
        el('div', { class: 'table-wrap' }, el('table', { id: 'board' }, el('thead', {}, head), this.tbody)),
        el('div', { class: 'card-foot' }, this.more),
        this.legend));
    this.tbody.addEventListener('click', (e) => { const tr = e.target.closest('tr[data-user]'); if (tr && !e.target.closest('a')) location.hash = `#/profile/${tr.dataset.user}`; });
    this.tbody.addEventListener('keydown', (e) => { const tr = e.target.closest('tr[data-user]'); if (tr && e.key === 'Enter') location.hash = `#/profile/${tr.dataset.user}`; });
    this.loadChoices();
  },
  async loadChoices() {
    try {
      const t = await getJson(`/api/topics/trending?window=all&limit=30`);
      const list = $('#topic-list');
      if (list) list.replaceChildren(...t.topics.map((x) => el('option', { value: '#' + x.topic })));
      const countries = t.countries || [];
      const keep = this.countrySelect.value || this.country;
      this.countrySelect.replaceChildren(el('option', { value: '', text: 'all countries' }),
        ...countries.slice(0, 60).map((c) => el('option', { value: c.country, text: `${countryName(c.country)} (${c.country})` })));
      if (keep && !countries.some((c) => c.country === keep)) this.countrySelect.append(el('option', { value: keep, text: keep }));
      this.countrySelect.value = keep;
    } catch (e) { /* the filters still work by typing */ }
  },
  // The leaderboard for the filters: the API's own filters where it has them; a topic falls back
  // to /api/topics/{topic} and a country to the rows' `country` field on servers without them.
  async fetchRows() {
    const q = new URLSearchParams({ window: app.window, limit: String(this.limit) });
    if (this.topic) q.set('topic', '#' + this.topic);
    if (this.country) q.set('country', this.country);
    this.note = '';
    try {
      return await getJson(`/api/influencers?${q}`);
    } catch (e) {
      if (e.status !== 400 || !['topic', 'country'].includes(e.parameter)) throw e;
    }
    const plain = new URLSearchParams({ window: app.window, limit: String(this.limit) });
    let page;
    if (this.topic) {
      const t = await getJson(`/api/topics/${encodeURIComponent(this.topic)}?window=${app.window}`);
      page = { window: app.window, as_of: t.as_of, total: t.influencers.length, items: t.influencers.slice(0, this.limit) };
    } else {
      page = await getJson(`/api/influencers?${plain}`);
    }
    if (this.country) {
      if (page.items.length && page.items[0].country === undefined) {
        this.note = 'This server cannot filter by country yet; showing all countries.';
      } else {
        page.items = page.items.filter((r) => r.country === this.country);
        page.total = page.items.length;
      }
    }
    return page;
  },
  async refresh() {
    let page;
    try {
      page = await this.fetchRows();
    } catch (e) {
      this.msg.replaceChildren(message(e.status === 404 && this.topic ? `Nobody has posted #${this.topic} in this window. Try another topic or a wider window.` : errorText(e, 'the leaderboard'), 'error'));
      this.tbody.replaceChildren();
      return;
    }
    this.msg.replaceChildren(this.note ? message(this.note) : '');
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('tr[data-user]');
    const focusedId = focused ? focused.dataset.user : null;
    const rows = page.items.map((r, i) => {
      const tr = el('tr', { 'data-user': r.user_id, tabindex: '0' },
        el('td', { class: 'num', text: String(r.rank || i + 1) }),
        el('td', { class: 'wrap' }, userLink(r.user_id, r.handle), r.name ? el('span', { class: 'name', text: r.name }) : null),
        el('td', { class: 'num score', text: fixed(r.score) }),
        el('td', { class: 'col-hide' }, componentBar(r)),
        el('td', { class: 'num', text: compact(metric(r, 'followers')) }),
        el('td', { class: 'num', text: compact(metric(r, 'reshares')) }),
        el('td', { class: 'num col-hide', text: compact(metric(r, 'likes')) }),
        el('td', { class: 'num col-hide', text: compact(metric(r, 'depth')) }),
        el('td', { class: 'num col-hide', text: compact(metric(r, 'audience')) }),
        el('td', { class: 'num col-hide', text: fixed(r.pagerank, 1) }));
      return tr;
    });
    this.tbody.replaceChildren(...rows);
    if (focusedId) { const tr = this.tbody.querySelector(`tr[data-user="${focusedId}"]`); if (tr) tr.focus({ preventScroll: true }); }
    if (!rows.length) {
      this.msg.replaceChildren(message(this.topic || this.country
        ? 'No account matches these filters in this window. Clear a filter or widen the window.'
        : 'No activity in this window yet. Widen the window, or feed posts to Reach (reach run --source FILE).'));
    }
    const filters = [this.topic ? '#' + this.topic : '', this.country ? countryName(this.country) : ''].filter(Boolean).join(', ');
    this.summary.textContent = `${intFormat.format(page.total)} accounts${filters ? ' · ' + filters : ''} · ${page.as_of ? 'data as of ' + ago(page.as_of) : 'no data yet'}`;
    this.more.hidden = page.items.length >= page.total || page.items.length < this.limit;
    // The legend names the parts the server's score is made of, with their weights.
    const parts = page.items.length ? componentParts(page.items[0]).filter((x) => x.weight > 0) : [];
    this.legend.replaceChildren('Score = 100 × the weighted mean of its parts, each in 0…1 within the window (docs/metrics.md). Parts: ',
      ...parts.map((x) => el('span', { class: 'chip', style: `background:${x.color}`, text: `${x.label} ${fixed(x.weight, 2)}` })),
      ' Hover a bar for each part. Select a row (click or Enter) for the profile.');
  },
};

// ---------------------------------------------------------------------------------------------
// Page: Influencer profile

const profile = {
  title: 'Profile',
  history: new Map(),   // user id -> [{t, score, rank}] seen by this page while it was open
  mount(view, args) {
    this.id = args[0] && /^[0-9]+$/.test(args[0]) ? args[0] : null;
    if (!this.id) {
      const input = el('input', { id: 'profile-id', inputmode: 'numeric', placeholder: 'user id', 'aria-label': 'User id' });
      view.append(card('Influencer profile', el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) location.hash = `#/profile/${input.value.trim()}`; } },
        el('label', { class: 'field' }, 'User id ', input), el('button', { class: 'button', type: 'submit', text: 'Open' })),
        message('Open a profile by selecting an account on the Leaderboard, or enter its id.')));
      this.body = null;
      return;
    }
    this.head = el('div', { id: 'profile-head' });
    this.windowsBox = el('div', { class: 'chart', id: 'profile-windows' });
    this.table = el('div', { class: 'table-wrap' });
    this.historyBox = el('div', { class: 'chart small', id: 'profile-history' });
    this.audienceBox = el('div', { class: 'chart', id: 'profile-audience' });
    this.sentimentBox = el('div', { id: 'profile-sentiment' });
    this.communityBox = el('div', { id: 'profile-community' });
    this.cascadesBox = el('div', { id: 'profile-cascades' });
    this.details = el('div', { class: 'stack' });
    view.append(el('section', { class: 'card' }, this.head), this.details);
    this.details.append(
      el('div', { class: 'grid2' },
        card('Metrics by window', el('div', { class: 'filters' }, windowSelect(() => this.refresh())), this.windowsBox, this.table),
        card('Score over time', this.historyBox, el('p', { class: 'muted legend', text: 'Score and rank in the selected window at each update while this page is open (and the stored history where the server provides it).' }))),
      el('div', { class: 'grid2' },
        card('Audience geography', this.audienceBox, el('p', { class: 'muted legend', text: 'Countries of the reshares, quotes and replies the account received.' })),
        card('Sentiment', this.sentimentBox)),
      el('div', { class: 'grid2' }, card('Cascades', this.cascadesBox), card('Community', this.communityBox)));
  },
  async refresh() {
    if (!this.id) return;
    const id = this.id;
    let u;
    try {
      u = await getJson(`/api/users/${id}`);
    } catch (e) {
      this.head.replaceChildren(message(e.status === 404 ? `Account ${id} is not known (yet). Check the id, or wait until it posts or is engaged with.` : errorText(e, 'this account'), e.status === 404 ? 'empty' : 'error'));
      this.details.hidden = true;
      return;
    }
    this.details.hidden = false;
    if (id !== this.id) return;
    const row = u.windows && u.windows[app.window];
    this.head.replaceChildren(
      el('div', { class: 'profile-title' }, el('h2', { id: 'profile-handle', text: '@' + u.handle }), u.name ? el('span', { class: 'name', text: u.name }) : null,
        u.verified ? el('span', { class: 'badge', text: 'verified' }) : null,
        u.withheld_in && u.withheld_in.length ? el('span', { class: 'badge', title: 'The platform does not show this account there; its audience there does not count in plans.', text: `withheld in ${u.withheld_in.includes('XX') ? 'every country' : u.withheld_in.join(', ')}` }) : null),
      el('div', { class: 'stats' },
        stat('followers', compact(u.followers)), stat('following', compact(u.following)),
        stat('score', row ? fixed(row.score) : '–', row ? `#${row.rank} in ${app.window}` : `no activity in ${app.window}`),
        stat('location', u.location || '–'), stat('last seen', ago(u.observed)), stat('id', u.user_id)));

    // Metrics by window: a grouped bar chart and the table behind it.
    const wins = WINDOWS.map(([w]) => w);
    const keys = ['reshares', 'likes', 'quotes', 'replies', 'mentions', 'posts'];
    hbar(this.windowsBox, keys, wins.map((w, i) => ({
      label: w, backgroundColor: PALETTE[i], data: keys.map((k) => (u.windows[w] ? metric(u.windows[w], k) || 0 : 0)),
    })), { label: 'metrics per window' });
    const extra = ['engagements', 'engagement_rate', 'depth', 'depth_max', 'depth_mean', 'second_level', 'audience', 'h_index'];
    const shown = ['score', 'rank', ...keys, ...extra].filter((k) => wins.some((w) => u.windows[w] && metric(u.windows[w], k) !== undefined));
    this.table.replaceChildren(el('table', { class: 'compact' },
      el('thead', {}, el('tr', {}, el('th', { text: 'metric' }), ...wins.map((w) => el('th', { class: 'num', text: w })))),
      el('tbody', {}, ...shown.map((k) => el('tr', {}, el('th', { scope: 'row', text: METRIC_LABELS[k] || k.replace(/_/g, ' ') }),
        ...wins.map((w) => { const r = u.windows[w]; const v = r ? metric(r, k) : null;
          return el('td', { class: 'num', text: v === null || v === undefined ? '–' : (k === 'score' ? fixed(v) : k === 'engagement_rate' ? fixed(v, 1) : compact(v)) }); }))))));

    // Score over time: the server's history if any, else what this page has seen.
    let hist = this.history.get(id + app.window) || [];
    if (row && (!hist.length || hist[hist.length - 1].score !== row.score || Date.now() - hist[hist.length - 1].t > 5000)) {
      hist.push({ t: Date.now(), score: row.score, rank: row.rank });
      if (hist.length > 300) hist = hist.slice(-300);
      this.history.set(id + app.window, hist);
    }
    const serverHist = Array.isArray(u.history) ? u.history : null;
    const points = serverHist ? serverHist.map((h) => ({ t: Date.parse(h.at || h.time || h.as_of), score: h.score, rank: h.rank })) : hist;
    if (points.length) {
      this.historyBox.style.height = '220px';
      chartIn(this.historyBox, { type: 'line', label: 'score over time', data: {
        labels: points.map((p) => new Date(p.t).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
        datasets: [{ label: 'score', data: points.map((p) => p.score), borderColor: PALETTE[0], backgroundColor: PALETTE[0], yAxisID: 'y' },
          { label: 'rank', data: points.map((p) => p.rank), borderColor: PALETTE[3], backgroundColor: PALETTE[3], yAxisID: 'r' }] },
        options: { scales: { y: { min: 0, max: 100, title: { display: true, text: 'score' } }, r: { position: 'right', reverse: true, min: 1, suggestedMax: Math.max(...points.map((p) => p.rank || 1)) + 4, ticks: { precision: 0 }, title: { display: true, text: 'rank' }, grid: { display: false } } } } });
    } else {
      chartMessage(this.historyBox, message(`No activity in the ${app.window} window; pick a wider window.`));
    }

    // Sentiment of and toward the account.
    const s = (label, v, n, what) => el('div', { class: 'sentiment-row' },
      el('div', { class: 'stat-label', text: label }),
      el('div', { class: `stat-value tone-${tone(v).replace(' ', '-')}`, text: `${sentimentText(v)} ${n ? tone(v) : ''}` }),
      el('div', { class: 'gauge', role: 'img', 'aria-label': `${label}: ${sentimentText(v)}` },
        el('span', { class: 'gauge-mid' }), v === null || v === undefined ? null : el('span', { class: 'gauge-dot', style: `left:${(50 + 50 * v).toFixed(1)}%` })),
      el('div', { class: 'muted', text: n ? `${intFormat.format(n)} ${what}` : `no scored ${what}` }));
    this.sentimentBox.replaceChildren(row
      ? el('div', {}, s('of the account’s posts', row.sentiment_of, row.sentiment_of_posts, 'posts'),
        s('toward the account', row.sentiment_toward, row.sentiment_toward_posts, 'quotes and replies'),
        el('p', { class: 'muted legend', text: 'VADER compound, −1 negative … +1 positive.' }))
      : message(`No activity in the ${app.window} window.`));

    await Promise.all([this.audience(id), this.cascades(id), this.community(id, row || u.windows.all)]);
  },
  async audience(id) {
    try {
      const a = await getJson(`/api/users/${id}/audience?window=${app.window}`);
      if (!a.countries.length) { chartMessage(this.audienceBox, message('No engagement from a known country in this window yet.')); return; }
      const top = a.countries.slice(0, 12);
      hbar(this.audienceBox, top.map((c) => countryName(c.country)), [{ label: 'share of engagements', backgroundColor: PALETTE[5], data: top.map((c) => c.share) }],
        { label: 'audience countries', format: (v) => percent(v) });
    } catch (e) {
      chartMessage(this.audienceBox, message(errorText(e, 'the audience'), 'error'));
    }
  },
  async cascades(id) {
    try {
      const c = await getJson(`/api/users/${id}/cascades?window=${app.window}&limit=5`);
      const table = (title, items) => el('div', {}, el('h3', { text: title }), items && items.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'compact' },
        el('thead', {}, el('tr', {}, ...['post', 'size', 'depth', 'virality', 'started'].map((t, i) => el('th', { class: i ? 'num' : '', text: t })))),
        el('tbody', {}, ...items.map((x) => el('tr', {},
          el('td', {}, el('a', { href: `#/cascade/${x.root}`, text: String(x.root) })),
          el('td', { class: 'num', text: compact(x.size) }), el('td', { class: 'num', text: compact(x.depth) }),
          el('td', { class: 'num', text: fixed(x.structural_virality, 2) }), el('td', { class: 'num', text: ago(x.started) }))))))
        : message('No cascades in this window.'));
      this.cascadesBox.replaceChildren(table('Largest', c.largest), table('Deepest', c.deepest));
    } catch (e) {
      this.cascadesBox.replaceChildren(message(missingApi(e) ? 'This server does not list an account’s cascades yet (GET /api/users/{id}/cascades). Open a cascade by its post id on the Cascades page.' : errorText(e, 'the cascades'), missingApi(e) ? 'empty' : 'error'));
    }
  },
  async community(id, row) {
    if (!row || row.community === undefined || row.community === null || row.community < 0) {
      this.communityBox.replaceChildren(message('Not in a community yet: communities are recomputed every 30 s from the engagement graph.'));
      return;
    }
    try {
      const c = await getJson('/api/communities?limit=200');
      const mine = c.communities.find((x) => x.id === row.community);
      this.communityBox.replaceChildren(
        el('p', {}, 'Community ', el('a', { href: `#/network?community=${row.community}`, text: `#${row.community}` }),
          mine ? ` · ${intFormat.format(mine.size)} accounts · density ${fixed(mine.density, 3)}` : ''),
        mine ? el('ol', { class: 'leading' }, ...mine.leading.map((l) => el('li', {}, userLink(l.user_id, l.handle), ` · PageRank ${fixed(l.pagerank, 1)}`))) : null);
    } catch (e) {
      this.communityBox.replaceChildren(message(errorText(e, 'the communities'), 'error'));
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Page: Cascade explorer

const cascade = {
  title: 'Cascades',
  mount(view, args) {
    this.post = args[0] && /^[0-9]+$/.test(args[0]) ? args[0] : null;
    const input = el('input', { id: 'cascade-id', inputmode: 'numeric', placeholder: 'post id', value: this.post || '', 'aria-label': 'Post id' });
    this.statsBox = el('div', { class: 'stats', id: 'cascade-stats' });
    this.graphBox = el('div', { class: 'graph', id: 'cascade-graph', role: 'img', 'aria-label': 'reshare tree' });
    this.msg = el('div', { id: 'cascade-message' });
    this.listBox = el('div', { id: 'cascade-list' });
    view.append(
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Cascade explorer' })),
        el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); const v = input.value.trim(); if (v) location.hash = `#/cascade/${v}`; } },
          el('label', { class: 'field' }, 'Root post ', input), el('button', { class: 'button', type: 'submit', text: 'Show tree' })),
        this.msg, this.statsBox, this.graphBox,
        el('p', { class: 'muted legend' }, 'Each node is a post; its size grows with the author’s followers. ',
          el('span', { class: 'key key-solid' }), ' exact parent (the data names it) · ', el('span', { class: 'key key-dashed' }),
          ' inferred: the most recent earlier resharer the account follows · ', el('span', { class: 'key key-dotted' }),
          ' fallback to the original post. Select a node for its author.')),
      card('Largest cascades of the leading accounts', this.listBox));
    this.drawn = null;
  },
  async refresh() {
    if (!this.post) {
      this.msg.replaceChildren(message('Enter a root post id, or pick one of the cascades below.'));
      this.graphBox.hidden = true;
    } else {
      this.graphBox.hidden = false;
      await this.loadTree();
    }
    await this.loadList();
  },
  async loadTree() {
    let c;
    try {
      c = await getJson(`/api/cascades/${this.post}`);
    } catch (e) {
      this.msg.replaceChildren(message(missingApi(e) ? 'This server has no cascade API yet (GET /api/cascades/{post}). Update Reach to draw reshare trees.'
        : e.status === 404 ? `No cascade is rooted at post ${this.post}. Check the id: a reshare's cascade is rooted at the original post.` : errorText(e, 'the cascade'), e.status === 404 && !missingApi(e) ? 'empty' : 'error'));
      this.graphBox.hidden = true;
      return;
    }
    this.msg.replaceChildren(c.truncated ? message(`Showing the first ${intFormat.format(c.nodes.length)} of ${intFormat.format(c.size)} posts.`) : '');
    const m = c.methods || {};
    this.statsBox.replaceChildren(
      stat('author', c.author && c.author.handle ? '@' + c.author.handle : c.root_known === false ? 'root not seen yet' : '–',
        c.author && c.author.followers !== null && c.author.followers >= 0 ? `${compact(c.author.followers)} followers` : ''),
      stat('size', compact(c.size), 'posts incl. the root'), stat('depth', compact(c.depth)), stat('max breadth', compact(c.max_breadth)),
      stat('structural virality', fixed(c.structural_virality, 2), 'mean distance between posts'),
      stat('t50 / t90', `${duration(c.t50_seconds)} / ${duration(c.t90_seconds)}`, 'to half / 90 % of size'),
      stat('parents', `${compact(m.exact || 0)} exact`, `${compact(m.inferred_follow || 0)} via follows · ${compact(m.root || 0)} to root`),
      stat('started', when(c.started), `last ${ago(c.last_activity)}`));
    const key = `${this.post}:${c.nodes.length}`;
    if (this.drawn === key) return;
    this.drawn = key;
    this.draw(c);
  },
  draw(c) {
    const missing = libsMissing(['graph']);
    if (missing) { this.graphBox.replaceChildren(missing); return; }
    // Followers are -1 when unknown; the root's parent is null (or 0).
    const isRoot = (n) => n.parent === null || n.parent === undefined || String(n.parent) === '0';
    const maxF = Math.max(1, ...c.nodes.map((n) => Math.max(0, n.followers || 0)));
    const size = (f) => 12 + 34 * Math.log1p(Math.max(0, f || 0)) / Math.log1p(maxF);
    const requested = c.requested !== undefined && String(c.requested) !== String(c.root) ? String(c.requested) : null;
    const elements = [];
    for (const n of c.nodes) {
      elements.push({ data: { id: String(n.post), label: n.handle ? '@' + n.handle : n.user ? `user ${n.user}` : 'unknown', user: n.user ? String(n.user) : '', size: size(n.followers), depth: n.depth || 0,
        root: isRoot(n) ? 1 : 0, asked: String(n.post) === requested ? 1 : 0 } });
    }
    const ids = new Set(c.nodes.map((n) => String(n.post)));
    for (const n of c.nodes) {
      if (isRoot(n) || !ids.has(String(n.parent))) continue;
      elements.push({ data: { id: `e${n.post}`, source: String(n.parent), target: String(n.post), method: n.method || 'exact' } });
    }
    if (this.cy) this.cy.destroy();
    this.graphBox.replaceChildren();
    this.cy = cytoscape({
      container: this.graphBox, elements,
      style: [
        { selector: 'node', style: { width: 'data(size)', height: 'data(size)', 'background-color': (n) => PALETTE[n.data('depth') % PALETTE.length], label: 'data(label)', 'font-size': 10, color: '#344054', 'text-valign': 'bottom', 'text-margin-y': 3 } },
        { selector: 'node[root = 1]', style: { 'border-width': 3, 'border-color': '#1c2330' } },
        { selector: 'node[asked = 1]', style: { 'border-width': 4, 'border-color': '#c44303', 'font-weight': 'bold' } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#98a2b3', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#98a2b3', 'curve-style': 'bezier', 'arrow-scale': 0.7 } },
        { selector: 'edge[method = "inferred_follow"]', style: { 'line-style': 'dashed', 'line-color': '#d98e04', 'target-arrow-color': '#d98e04' } },
        { selector: 'edge[method = "root"]', style: { 'line-style': 'dotted', width: 2, 'line-color': '#7a8699', 'target-arrow-color': '#7a8699' } },
      ],
    });
    // Ids are digits, which CSS-style selectors cannot name: the roots are passed as a collection.
    let roots = this.cy.collection();
    for (const n of c.nodes) if (isRoot(n)) roots = roots.union(this.cy.getElementById(String(n.post)));
    this.cy.layout({ name: 'breadthfirst', directed: true, roots, spacingFactor: 1.05, animate: false }).run();
    this.cy.on('tap', 'node', (ev) => { if (ev.target.data('user')) location.hash = `#/profile/${ev.target.data('user')}`; });
  },
  async loadList() {
    try {
      const board = await getJson(`/api/influencers?window=${app.window}&limit=5`);
      const lists = await Promise.all(board.items.map((r) => getJson(`/api/users/${r.user_id}/cascades?window=${app.window}&limit=2`).then((c) => ({ r, c }))));
      const rows = [];
      for (const { r, c } of lists) for (const x of c.largest || []) rows.push(el('tr', {}, el('td', {}, el('a', { href: `#/cascade/${x.root}`, text: String(x.root) })),
        el('td', {}, userLink(r.user_id, r.handle)), el('td', { class: 'num', text: compact(x.size) }), el('td', { class: 'num', text: compact(x.depth) }),
        el('td', { class: 'num', text: fixed(x.structural_virality, 2) })));
      this.listBox.replaceChildren(rows.length ? el('table', { class: 'compact', id: 'cascade-table' }, el('thead', {}, el('tr', {}, ...['root post', 'author', 'size', 'depth', 'virality'].map((t, i) => el('th', { class: i > 1 ? 'num' : '', text: t })))), el('tbody', {}, ...rows))
        : message('No cascades in this window yet; widen the window.'));
    } catch (e) {
      this.listBox.replaceChildren(message(missingApi(e) ? 'This server does not list cascades yet (GET /api/users/{id}/cascades); enter a post id above.' : errorText(e, 'the cascades'), missingApi(e) ? 'empty' : 'error'));
    }
  },
  unmount() { if (this.cy) { this.cy.destroy(); this.cy = null; } },
};

// ---------------------------------------------------------------------------------------------
// Page: Conversation

const conversation = {
  title: 'Conversation',
  mount(view) {
    this.topic = new URLSearchParams(location.hash.split('?')[1] || '').get('topic');
    this.summary = el('span', { class: 'muted' });
    this.topicsBox = el('div', { class: 'chart', id: 'topics-chart' });
    this.topicsTable = el('div', { class: 'table-wrap short', id: 'topics' });
    this.timelineTitle = el('h2', { text: 'Volume and sentiment' });
    this.timelineBox = el('div', { class: 'chart', id: 'timeline' });
    this.timelineNote = el('p', { class: 'muted legend', id: 'timeline-note' });
    this.topicBox = el('div', { id: 'topic-detail' });
    this.alertsBox = el('div', { id: 'alerts' });
    this.termsBox = el('div', { id: 'terms', class: 'terms' });
    this.geoBox = el('div', { class: 'chart', id: 'geo' });
    view.append(
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Trending topics' }), this.summary),
        el('div', { class: 'filters' }, windowSelect(() => this.refresh())),
        el('div', { class: 'grid2 flat' }, this.topicsBox, this.topicsTable),
        el('p', { class: 'muted legend' }, el('span', { class: 'spike', text: '▲ spiking' }), ' = posting rate well above the topic’s own baseline (orange bars). Select a topic for its timeline, top posts and leading accounts.')),
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, this.timelineTitle,
        el('button', { type: 'button', class: 'link', id: 'timeline-all', text: 'show all posts', onclick: () => this.select(null) })), this.timelineNote, this.timelineBox,
        el('p', { class: 'muted legend', text: 'Bars: posts per bucket · line: mean sentiment (−1 negative … +1 positive).' })),
      el('div', { class: 'grid2' }, card('Topic', this.topicBox), el('div', {}, card('Recent spikes', this.alertsBox), card('Trending terms', this.termsBox))),
      card('Countries', this.geoBox, el('p', { class: 'muted legend', text: 'Country from the post’s place or coordinates, else the author’s profile location. Engagements = reshares, quotes and replies made from the country.' })));
  },
  select(topic) {
    this.topic = topic;
    history.replaceState(null, '', topic ? `#/conversation?topic=${encodeURIComponent(topic)}` : '#/conversation');
    this.refresh();
  },
  async refresh() {
    let t;
    try {
      t = await getJson(`/api/topics/trending?window=${app.window}&limit=20`);
    } catch (e) {
      this.topicsTable.replaceChildren(message(errorText(e, 'trending topics'), 'error'));
      return;
    }
    this.summary.textContent = `${intFormat.format(t.posts)} posts · mean sentiment ${sentimentText(t.sentiment.mean)} · ${t.as_of ? 'data as of ' + ago(t.as_of) : 'no data yet'}`;
    if (!t.topics.length) {
      this.topicsTable.replaceChildren(message('No hashtags in this window yet. Widen the window or feed more posts.'));
      chartMessage(this.topicsBox, el('span'));
    } else {
      const top = t.topics.slice(0, 12);
      hbar(this.topicsBox, top.map((x) => (x.spiking ? '▲ #' : '#') + x.topic), [{ label: 'posts', data: top.map((x) => x.posts),
        backgroundColor: top.map((x) => (x.spiking ? '#d94b04' : '#3559e0')) }], { label: 'trending topics', onClick: (i) => this.select(top[i].topic) });
      this.topicsTable.replaceChildren(el('table', { class: 'compact' },
        el('thead', {}, el('tr', {}, ...['#', 'topic', 'posts', 'sentiment'].map((x, i) => el('th', { class: i === 1 ? '' : 'num', text: x })))),
        el('tbody', {}, ...t.topics.map((x, i) => el('tr', { 'data-topic': x.topic, class: x.topic === this.topic ? 'selected' : '' },
          el('td', { class: 'num', text: String(i + 1) }),
          el('td', {}, el('button', { type: 'button', class: 'link', text: '#' + x.topic, onclick: () => this.select(x.topic) }), x.spiking ? el('span', { class: 'spike', text: ' ▲ spiking' }) : null),
          el('td', { class: 'num', text: compact(x.posts) }),
          el('td', { class: `num tone-${tone(x.sentiment).replace(' ', '-')}`, text: sentimentText(x.sentiment) }))))));
    }
    this.termsBox.replaceChildren(...(t.terms || []).slice(0, 30).map((x) => el('span', { class: 'term', text: `${x.term} ${compact(x.posts)}` })));
    if (!(t.terms || []).length) this.termsBox.replaceChildren(message('No terms yet.'));
    const countries = (t.countries || []).slice(0, 15);
    if (countries.length) {
      hbar(this.geoBox, countries.map((c) => countryName(c.country)), [
        { label: 'posts', data: countries.map((c) => c.posts), backgroundColor: PALETTE[0] },
        { label: 'engagements', data: countries.map((c) => c.engagements), backgroundColor: PALETTE[5] }], { label: 'posts and engagements by country' });
    } else {
      chartMessage(this.geoBox, message('No post with a known country in this window yet.'));
    }
    await Promise.all([this.timeline(), this.detail(), this.alerts()]);
  },
  async timeline() {
    // Per-topic series are kept for the sliding windows (15m, 1h, 24h) and the leading topics.
    const topicSeries = this.topic && app.window !== 'all';
    this.timelineTitle.textContent = topicSeries ? `#${this.topic}: volume and sentiment` : 'All posts: volume and sentiment';
    $('#timeline-all').hidden = !this.topic;
    this.timelineNote.textContent = this.topic && !topicSeries ? `A timeline per topic is kept for the 15 min, 1 h and 24 h windows: pick one to see #${this.topic} over time.` : '';
    try {
      const q = new URLSearchParams({ window: app.window });
      if (topicSeries) q.set('topic', this.topic);
      let s;
      try {
        s = await getJson(`/api/sentiment?${q}`);
      } catch (e) {
        if (e.status !== 404) throw e;
        s = { points: [] };
      }
      // Buckets before the first post say nothing: the timeline starts at the first activity.
      const first = s.points.findIndex((p) => p.posts > 0);
      s.points = first < 0 ? [] : s.points.slice(Math.max(0, first - 1));
      if (!s.points.length) {
        chartMessage(this.timelineBox, message(topicSeries ? `No timeline for #${this.topic} in this window: timelines are kept for the leading topics. Pick a wider window or another topic.` : 'No posts in this window yet.'));
        return;
      }
      const label = (iso) => new Date(iso).toLocaleString('en', s.bucket_seconds >= 86400 ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      this.timelineBox.style.height = '260px';
      chartIn(this.timelineBox, { type: 'bar', label: 'volume and sentiment over time', data: {
        labels: s.points.map((p) => label(p.start)),
        datasets: [{ type: 'bar', label: 'posts', data: s.points.map((p) => p.posts), backgroundColor: '#c7d2fe', yAxisID: 'y', order: 2 },
          { type: 'line', label: 'mean sentiment', data: s.points.map((p) => p.sentiment), borderColor: '#e0355f', backgroundColor: '#e0355f', yAxisID: 's', order: 1, spanGaps: true }] },
        options: { scales: { y: { title: { display: true, text: 'posts' } }, s: { position: 'right', min: -1, max: 1, grid: { display: false }, title: { display: true, text: 'sentiment' } } } } });
    } catch (e) {
      chartMessage(this.timelineBox, message(errorText(e, 'the timeline'), 'error'));
    }
  },
  async detail() {
    if (!this.topic) { this.topicBox.replaceChildren(message('Select a topic to see its top posts and the accounts that drive it.')); return; }
    try {
      const d = await getJson(`/api/topics/${encodeURIComponent(this.topic)}?window=${app.window}`);
      this.topicBox.replaceChildren(
        el('p', { class: 'muted', text: `#${d.topic} · ${compact(d.posts)} posts · sentiment ${sentimentText(d.sentiment)}${d.spiking ? ' · spiking' : ''}` }),
        el('h3', { text: 'Top posts' }),
        d.top_posts && d.top_posts.length ? (() => {
          const authors = d.top_posts.some((p) => p.user_id);
          return el('table', { class: 'compact', id: 'top-posts' }, el('thead', {}, el('tr', {}, el('th', { text: 'post (opens its cascade)' }), authors ? el('th', { text: 'author' }) : null, el('th', { class: 'num', text: 'engagements' }))),
            el('tbody', {}, ...d.top_posts.slice(0, 10).map((p) => el('tr', {},
              el('td', { class: 'wrap' }, el('a', { href: `#/cascade/${p.post_id}`, text: p.text ? p.text.slice(0, 80) : `post ${p.post_id}` })),
              authors ? el('td', {}, p.user_id ? userLink(p.user_id, p.handle) : '–') : null, el('td', { class: 'num', text: compact(p.engagements) })))));
        })()
          : message('No engaged posts on this topic in this window.'),
        el('h3', { text: 'Who drives it' }),
        el('ol', { class: 'leading' }, ...d.influencers.slice(0, 10).map((r) => el('li', {}, userLink(r.user_id, r.handle), ` · score ${fixed(r.score)} · ${compact(r.reshares)} reshares`))));
    } catch (e) {
      this.topicBox.replaceChildren(message(e.status === 404 ? `#${this.topic} has no posts in this window.` : errorText(e, 'the topic'), e.status === 404 ? 'empty' : 'error'));
    }
  },
  async alerts() {
    try {
      const a = await getJson('/api/alerts?limit=20');
      this.alertsBox.replaceChildren(a.items.length ? el('ul', { class: 'alerts' }, ...a.items.map((x) => el('li', {},
        el('button', { type: 'button', class: 'link', text: '#' + x.topic, onclick: () => this.select(x.topic) }),
        ` · ${compact(x.current)} posts in the hour against a baseline of ${fixed(x.baseline, 1)} (${fixed(x.ratio, 1)}×) · ${when(x.at)}`)))
        : message('No spike alert raised yet: an alert is raised when a topic’s posts in the last hour reach 3× its own baseline (at least 10).'));
    } catch (e) {
      this.alertsBox.replaceChildren(message(errorText(e, 'the alerts'), 'error'));
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Page: Network

const network = {
  title: 'Network',
  mount(view) {
    this.community = new URLSearchParams(location.hash.split('?')[1] || '').get('community');
    this.search = el('input', { id: 'network-search', type: 'search', placeholder: '@handle', 'aria-label': 'Find an account' });
    this.search.addEventListener('input', () => this.highlight());
    this.limit = el('select', { id: 'network-limit', 'aria-label': 'Accounts shown' }, ...[100, 200, 400].map((n) => el('option', { value: n, text: `${n} accounts`, selected: n === 200 })));
    this.limit.addEventListener('change', () => { this.drawn = null; if (this.cy) { this.cy.destroy(); this.cy = null; } this.refresh(); });
    this.graphBox = el('div', { class: 'graph tall', id: 'network-graph', role: 'img', 'aria-label': 'engagement graph coloured by community' });
    this.info = el('span', { class: 'muted' });
    this.found = el('div', { id: 'network-found', 'aria-live': 'polite' });
    this.list = el('div', { id: 'communities' });
    view.append(el('div', { class: 'grid-side' },
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Engagement network' }), this.info),
        el('div', { class: 'filters' }, el('label', { class: 'field' }, 'Find ', this.search), el('label', { class: 'field' }, 'Show ', this.limit)), this.found,
        this.graphBox, el('p', { class: 'muted legend', text: 'The accounts with the highest PageRank and the engagements between them (engager → author); colour = community (Louvain), size = PageRank. Select an account for its profile.' })),
      card('Communities', this.list)));
    this.drawn = null;
  },
  async refresh() {
    let net;
    let com;
    try {
      [net, com] = await Promise.all([getJson(`/api/network?limit=${this.limit.value}`), getJson('/api/communities?limit=30')]);
    } catch (e) {
      this.graphBox.replaceChildren(message(errorText(e, 'the network'), e.status === 503 ? 'empty' : 'error'));
      return;
    }
    this.info.textContent = `${intFormat.format(com.nodes)} accounts · ${intFormat.format(com.edges)} edges · ${com.communities.length} communities · modularity ${fixed(com.modularity, 2)}`;
    this.colors = new Map(com.communities.map((c, i) => [c.id, PALETTE[i % PALETTE.length]]));
    this.list.replaceChildren(com.communities.length ? el('ul', { class: 'communities' }, ...com.communities.map((c) => el('li', {},
      el('button', { type: 'button', class: `link community${String(c.id) === this.community ? ' on' : ''}`, 'data-community': c.id, onclick: () => { this.community = String(c.id) === this.community ? null : String(c.id); this.list.querySelectorAll('.community').forEach((b) => b.classList.toggle('on', b.dataset.community === this.community)); this.highlight(); } },
        el('span', { class: 'swatch', style: `background:${this.colors.get(c.id)}` }), `#${c.id} · ${intFormat.format(c.size)} accounts`),
      el('div', { class: 'muted' }, ...c.leading.slice(0, 3).flatMap((l, i) => [i ? ', ' : '', userLink(l.user_id, l.handle)])))))
      : message('No communities yet: they are computed every 30 s once accounts engage with each other.'));
    if (!net.nodes.length) { this.graphBox.replaceChildren(message('No engagements between accounts yet. Feed posts with reshares, replies or mentions.')); return; }
    // A new layout moves every node: redraw when the graph changed, and while data flows at most
    // every 30 s (as often as the communities are recomputed), unless the user asked for it.
    const key = `${this.limit.value}:${net.nodes.length}:${net.edges.length}:${com.modularity}`;
    if (this.drawn === key) return;
    if (this.drawn && this.cy && Date.now() - this.drawnAt < 30000) return;
    this.drawn = key;
    this.drawnAt = Date.now();
    const missing = libsMissing(['graph']);
    if (missing) { this.graphBox.replaceChildren(missing); return; }
    const maxPr = Math.max(1, ...net.nodes.map((n) => n.pagerank || 0));
    const elements = net.nodes.map((n) => ({ data: { id: String(n.user_id), label: '@' + n.handle, handle: n.handle.toLowerCase(), community: n.community,
      color: this.colors.get(n.community) || '#98a2b3', size: 8 + 30 * Math.sqrt((n.pagerank || 0) / maxPr), big: (n.pagerank || 0) >= maxPr * 0.15 ? 1 : 0 } }));
    const ids = new Set(net.nodes.map((n) => String(n.user_id)));
    net.edges.forEach((e, i) => { if (ids.has(String(e.from)) && ids.has(String(e.to)) && e.from !== e.to) elements.push({ data: { id: `e${i}`, source: String(e.from), target: String(e.to), weight: e.weight } }); });
    if (this.cy) this.cy.destroy();
    this.graphBox.replaceChildren();
    this.cy = cytoscape({
      container: this.graphBox, elements,
      style: [
        { selector: 'node', style: { width: 'data(size)', height: 'data(size)', 'background-color': 'data(color)', 'font-size': 10, color: '#344054' } },
        { selector: 'node[big = 1]', style: { label: 'data(label)', 'font-weight': 600 } },
        { selector: 'edge', style: { width: 0.8, 'line-color': '#cfd4dc', opacity: 0.7 } },
        { selector: '.faded', style: { opacity: 0.12 } },
        { selector: 'node.hit', style: { label: 'data(label)', 'border-width': 3, 'border-color': '#1c2330', 'font-size': 14, 'font-weight': 'bold', 'z-index': 10 } },
      ],
      // Edges within a community pull harder and shorter, so communities form visible groups.
      layout: { name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 20000, numIter: 600, componentSpacing: 60,
        idealEdgeLength: (e) => (e.source().data('community') === e.target().data('community') ? 30 : 140),
        edgeElasticity: (e) => (e.source().data('community') === e.target().data('community') ? 120 : 15) },
    });
    this.cy.on('tap', 'node', (ev) => { location.hash = `#/profile/${ev.target.id()}`; });
    this.highlight();
  },
  highlight() {
    if (!this.cy) return;
    const q = this.search.value.trim().toLowerCase().replace(/^@/, '');
    this.cy.elements().removeClass('faded hit');
    let hits = this.cy.collection();
    if (q) hits = this.cy.nodes().filter((n) => n.data('handle').includes(q));
    if (this.community !== null && this.community !== undefined) {
      const inC = this.cy.nodes().filter((n) => String(n.data('community')) === this.community);
      this.cy.elements().not(inC).not(inC.connectedEdges()).addClass('faded');
    }
    if (q) {
      this.found.replaceChildren(hits.length ? el('p', { class: 'muted', text: `${hits.length} account${hits.length > 1 ? 's' : ''} match @${q}` })
        : message(`No account among those shown matches @${q}. Show more accounts, or check the spelling.`));
      hits.addClass('hit');
      if (hits.length) this.cy.animate({ center: { eles: hits }, duration: 0 });
    } else {
      this.found.replaceChildren();
    }
  },
  unmount() { if (this.cy) { this.cy.destroy(); this.cy = null; } },
};

// ---------------------------------------------------------------------------------------------
// Page: Planner

// A plan answer in one shape for the page. Two shapes are read: the planner's
// {id, plan: {expected_reach, spend, budget, cost_per_person, reach_by_region: [...],
// overlap: {duplicated, share}, influencers: [...]}, naive: {...}, solver: {guarantee}, warnings}
// and the flat {budget, spend, expected_reach, per_region: {...}, cost_per_reached, overlap,
// chosen: [...], naive: {...}, guarantee}.
function normalizePlan(p) {
  if (!p) return null;
  const figures = (f) => {
    if (!f) return null;
    if (f.influencers || f.reach_by_region) {
      return {
        budget: f.budget, spend: f.spend, expected_reach: f.expected_reach, cost_per_reached: f.cost_per_person,
        overlap: f.overlap && typeof f.overlap === 'object' ? f.overlap.duplicated : f.overlap,
        overlap_share: f.overlap && typeof f.overlap === 'object' ? f.overlap.share : null,
        per_region: Object.fromEntries((f.reach_by_region || []).map((r) => [r.country, r.expected_reach])),
        chosen: (f.influencers || []).map((c) => ({ user: c.user_id, handle: c.handle, posts: c.posts, spend: c.spend,
          expected_reach: c.expected_reach, cost_per_post: c.cost_per_post, cost_source: c.cost_source, followers: c.followers })),
      };
    }
    return { ...f, per_region: f.per_region || {}, chosen: (f.chosen || []).map((c) => ({ ...c, user: c.user ?? c.user_id })) };
  };
  const main = figures(p.plan && typeof p.plan === 'object' ? p.plan : p);
  const naive = p.naive || {};
  const g = p.solver ? p.solver.guarantee : p.guarantee;
  return {
    ...main, id: p.id || null, as_of: p.as_of,
    naive: { most_followers: figures(naive.most_followers), highest_score: figures(naive.highest_score) },
    guarantee: typeof g === 'number'
      ? `Lazy greedy by gain per cost, or the best single account if that is better: at least ${(100 * g).toFixed(0)} % of the best possible expected reach.`
      : g,
    warnings: p.warnings || [],
  };
}

const planner = {
  title: 'Planner',
  mount(view) {
    const saved = JSON.parse(sessionStorage.getItem('reach.plan') || '{}');
    this.budget = el('input', { id: 'plan-budget', type: 'number', min: '1', step: 'any', value: saved.budget || 10000, required: true });
    this.countries = el('input', { id: 'plan-countries', placeholder: 'US, GB (empty: everywhere)', value: saved.countries ?? 'US, GB' });
    this.topics = el('input', { id: 'plan-topics', placeholder: '#topic, #other (empty: any)', value: saved.topics || '' });
    this.minSentiment = el('input', { id: 'plan-sentiment', type: 'number', min: '-1', max: '1', step: 'any', placeholder: 'none', value: saved.min_sentiment ?? '' });
    this.pool = el('input', { id: 'plan-pool', type: 'number', min: '10', step: '10', value: saved.pool || 2000 });
    this.rate = el('input', { id: 'plan-rate', type: 'file', accept: '.csv,text/csv' });
    this.rateInfo = el('span', { class: 'muted', text: 'none: costs estimated from the CPM tier table' });
    this.follow = el('input', { id: 'plan-follow', type: 'checkbox' });
    this.token = el('input', { id: 'plan-token', type: 'password', autocomplete: 'off', placeholder: 'API token', value: sessionStorage.getItem('reach.token') || '' });
    this.rateText = null;
    this.rate.addEventListener('change', async () => {
      const f = this.rate.files[0];
      this.rateText = f ? await f.text() : null;
      this.rateInfo.textContent = f ? `${f.name}: ${Math.max(0, this.rateText.trim().split('\n').length - 1)} rows` : 'none: costs estimated from the CPM tier table';
    });
    this.submit = el('button', { class: 'button primary', type: 'submit', id: 'plan-submit', text: 'Plan the campaign' });
    this.msg = el('div', { id: 'plan-message', 'aria-live': 'polite' });
    this.result = el('div', { id: 'plan-result' });
    view.append(el('div', { class: 'grid-side left' },
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Campaign' })),
        el('form', { class: 'form', id: 'plan-form', onsubmit: (e) => { e.preventDefault(); this.plan(); } },
          el('label', {}, 'Budget (USD)', this.budget),
          el('label', {}, 'Target countries (ISO codes, optional weight as US:2)', this.countries),
          el('label', {}, 'Topics', this.topics),
          el('label', { title: 'Only engagements with the account’s posts whose VADER sentiment is at least this count (-1 to 1).' }, 'Minimum sentiment of the engaged posts', this.minSentiment),
          el('label', {}, 'Candidate pool (top accounts by score)', this.pool),
          el('label', {}, 'Rate card CSV (user id or @handle, cost per post[, max posts])', this.rate, this.rateInfo),
          el('label', { class: 'check' }, el('span', {}, this.follow, ' Save the plan and follow it live (needs the API token Reach was started with)'), this.token),
          this.submit),
        el('p', { class: 'muted legend', text: 'Chooses accounts to maximise the expected unique engaged audience in the target countries within the budget, counting overlapping audiences once. A saved plan is recomputed as scores change and updates here.' })),
      el('div', {}, this.msg, this.result)));
    this.current = null;
    if (app.lastPlan) this.render(app.lastPlan, 'kept');
    else this.msg.replaceChildren(message('Set a budget and target countries, then plan the campaign.'));
  },
  body() {
    const countries = {};
    for (const part of this.countries.value.split(/[\s,;]+/).filter(Boolean)) {
      const [code, w] = part.split(':');
      countries[code.toUpperCase()] = w ? Number(w) : 1;
    }
    const topics = this.topics.value.split(/[\s,;]+/).filter(Boolean).map((t) => t.replace(/^#/, '').toLowerCase());
    sessionStorage.setItem('reach.plan', JSON.stringify({ budget: this.budget.value, countries: this.countries.value, topics: this.topics.value, min_sentiment: this.minSentiment.value, pool: this.pool.value }));
    const body = { budget: Number(this.budget.value), countries, topics, pool: Number(this.pool.value) };
    if (this.minSentiment.value !== '') body.min_sentiment = Number(this.minSentiment.value);
    if (this.rateText) body.rate_card = this.rateText;
    if (this.follow.checked) body.save = true;
    return body;
  },
  async plan() {
    if (!(Number(this.budget.value) > 0)) { this.msg.replaceChildren(message('Enter a budget above zero.', 'error')); return; }
    this.submit.disabled = true;
    this.msg.replaceChildren(message('Planning…'));
    const headers = { 'Content-Type': 'application/json' };
    if (this.follow.checked && this.token.value) {
      sessionStorage.setItem('reach.token', this.token.value);
      headers.Authorization = `Bearer ${this.token.value}`;
    }
    try {
      const { body } = await request('/api/plans', { method: 'POST', headers, body: JSON.stringify(this.body()) });
      app.lastPlan = body;
      this.render(body, 'new');
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        this.msg.replaceChildren(message(`Saving a plan needs the API token Reach was started with (${e.message}). Enter it, or untick “Save the plan” to plan once.`, 'error'));
        this.token.focus();
      } else {
        this.msg.replaceChildren(message(e.status === 400 ? `The plan request was refused: ${e.message}. Correct it and plan again.` : errorText(e, 'a plan'), 'error'));
      }
    } finally {
      this.submit.disabled = false;
    }
  },
  // A `plan` event: the full plan, or what changed in a saved plan (then the plan is fetched again).
  async onEvent(ev) {
    if (ev.plan || ev.chosen) { app.lastPlan = ev; if (app.page === planner) this.render(ev, 'live'); return; }
    if (!ev.id || !this.current || this.current.id !== ev.id) return;
    try {
      const p = await getJson(`/api/plans/${encodeURIComponent(ev.id)}`);
      app.lastPlan = p;
      if (app.page === planner) this.render(p, 'live', ev.reason);
    } catch (e) {
      this.msg.replaceChildren(message(errorText(e, 'the updated plan'), 'error'));
    }
  },
  render(raw, how, reason) {
    const p = normalizePlan(raw);
    this.current = p;
    const said = { new: p.id ? `Plan ${p.id} saved: it is recomputed as scores change.` : 'Plan computed.', kept: 'The last plan computed.',
      live: `Plan updated live at ${new Date().toLocaleTimeString('en')}${reason ? ': ' + reason : ' as scores changed.'}` }[how];
    this.msg.replaceChildren(el('p', { class: 'message ok', text: said }), ...p.warnings.map((w) => message(w)));
    const naive = p.naive || {};
    const plans = [['This plan', p], ['Most followers', naive.most_followers], ['Highest score', naive.highest_score]].filter(([, x]) => x);
    const chartBox = el('div', { class: 'chart', id: 'plan-chart' });
    const regionBox = el('div', { class: 'chart', id: 'plan-regions' });
    const chosen = p.chosen || [];
    this.result.replaceChildren(
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'The plan' })),
        el('div', { class: 'stats', id: 'plan-stats' }, stat('expected reach', compact(p.expected_reach), 'unique engaged people'), stat('spend', money(p.spend), `of ${money(p.budget)}`),
          stat('cost per reached', money(p.cost_per_reached)), stat('overlap', compact(p.overlap), p.overlap_share !== null && p.overlap_share !== undefined ? `${percent(p.overlap_share)} counted once` : 'counted once'),
          stat('accounts', String(chosen.length))),
        p.guarantee ? el('p', { class: 'muted legend', text: p.guarantee }) : null),
      el('div', { class: 'grid2' }, card('Against the naive plans', chartBox), card('Reach by region', regionBox)),
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Chosen accounts' })),
        chosen.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'plan-table' }, el('thead', {}, el('tr', {}, ...['account', 'posts', 'spend', 'expected reach'].map((t, i) => el('th', { class: i ? 'num' : '', text: t })))),
          el('tbody', {}, ...chosen.map((c) => el('tr', {}, el('td', {}, userLink(c.user, c.handle)), el('td', { class: 'num', text: compact(c.posts) }),
            el('td', { class: 'num', text: money(c.spend), title: c.cost_source ? `cost per post ${money(c.cost_per_post)} (${c.cost_source})` : null }), el('td', { class: 'num', text: compact(c.expected_reach) }))))))
          : message('No account fits this budget and these filters. Raise the budget, add countries or drop a topic.')),
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Naive plans' })),
        el('div', { class: 'table-wrap' }, el('table', { class: 'compact', id: 'plan-naive' }, el('thead', {}, el('tr', {}, ...['plan', 'accounts', 'spend', 'expected reach', 'cost per reached'].map((t, i) => el('th', { class: i ? 'num' : '', text: t })))),
          el('tbody', {}, ...plans.map(([name, x]) => el('tr', {}, el('th', { scope: 'row', text: name }), el('td', { class: 'num', text: x.chosen ? String(x.chosen.length) : '–' }),
            el('td', { class: 'num', text: money(x.spend) }), el('td', { class: 'num', text: compact(x.expected_reach) }), el('td', { class: 'num', text: money(x.cost_per_reached) }))))))));
    hbar(chartBox, plans.map(([n]) => n), [{ label: 'expected reach', data: plans.map(([, x]) => x.expected_reach || 0), backgroundColor: plans.map((_, i) => PALETTE[i ? 8 + i : 0]) }], { label: 'expected reach by plan' });
    const regions = Object.entries(p.per_region || {}).sort((a, b) => b[1] - a[1]);
    if (regions.length) hbar(regionBox, regions.map(([c]) => countryName(c)), [{ label: 'expected reach', data: regions.map(([, v]) => v), backgroundColor: PALETTE[2] }], { label: 'reach by region' });
    else chartMessage(regionBox, message('No target region: the plan counts every engaged person.'));
  },
};

// ---------------------------------------------------------------------------------------------
// Page: Pipeline

function parsePrometheus(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const l of m[3].matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

const pipeline = {
  title: 'Pipeline',
  mount(view) {
    this.samples = this.samples || [];   // [{t, bySource: {source: records}}], kept across visits
    this.statsBox = el('div', { class: 'stats', id: 'pipeline-stats' });
    this.rateBox = el('div', { class: 'chart', id: 'pipeline-rate' });
    this.rejectBox = el('div', { class: 'chart', id: 'pipeline-rejects' });
    this.rejectNote = el('p', { class: 'muted legend' });
    this.storeBox = el('div', { id: 'pipeline-store' });
    this.archiveBox = el('div', { id: 'pipeline-archive' });
    this.sourcesBox = el('div', { id: 'pipeline-sources-box' });
    this.sourcesCard = card('Live sources', this.sourcesBox);
    this.sourcesCard.hidden = true;
    this.msg = el('div', { id: 'pipeline-message' });
    view.append(
      el('section', { class: 'card' }, el('div', { class: 'card-head' }, el('h2', { text: 'Pipeline' }), el('span', { class: 'muted', id: 'health' })), this.msg, this.statsBox),
      el('div', { class: 'grid2' }, card('Events per second by source', this.rateBox), card('Rejected records by reason', this.rejectBox, this.rejectNote)),
      this.sourcesCard,
      el('div', { class: 'grid2' }, card('Store', this.storeBox), card('Archive', this.archiveBox)));
    this.poll = setInterval(() => this.refresh(), 2000);
  },
  unmount() { clearInterval(this.poll); },
  async refresh() {
    let metrics;
    try {
      const r = await request('/metrics');
      metrics = parsePrometheus(r.text);
    } catch (e) {
      this.msg.replaceChildren(message(errorText(e, 'the pipeline metrics'), 'error'));
      return;
    }
    let health = 'unknown';
    try { health = (await getJson('/healthz')).status; } catch (e) { health = `unhealthy (${e.message})`; }
    $('#health').textContent = `health: ${health}`;
    this.msg.replaceChildren();
    const get = (name, labels = {}) => { const s = metrics.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)); return s ? s.value : null; };
    const sum = (name) => metrics.filter((x) => x.name === name).reduce((a, x) => a + x.value, 0);
    // Records per source: the messages of each live source (reach_source_messages_total{source}),
    // and the rest of the records read (files, stdin) as one more series.
    const bySource = {};
    const live = metrics.filter((x) => x.name === 'reach_source_messages_total' && x.labels.source);
    for (const x of live) bySource[x.labels.source] = (bySource[x.labels.source] || 0) + x.value;
    const records = get('reach_ingest_records_total') || 0;
    const rest = records - live.reduce((a, x) => a + x.value, 0);
    if (!live.length) bySource['all sources'] = records;
    else if (rest > 0) bySource['files and stdin'] = rest;
    const now = Date.now();
    // One sample per poll (2 s), however often a snapshot event asks for a refresh in between.
    const lastSample = this.samples[this.samples.length - 1];
    if (!lastSample || now - lastSample.t >= 1800) this.samples.push({ t: now, bySource });
    if (this.samples.length > 90) this.samples.shift();
    const sources = Object.keys(bySource);
    const rates = this.samples.slice(1).map((s, i) => {
      const prev = this.samples[i];
      const dt = (s.t - prev.t) / 1000;
      return { t: s.t, r: Object.fromEntries(sources.map((k) => [k, dt > 0 ? Math.max(0, ((s.bySource[k] || 0) - (prev.bySource[k] || 0)) / dt) : 0])) };
    });
    const latest = rates.length ? sources.reduce((a, k) => a + rates[rates.length - 1].r[k], 0) : null;
    const watermark = get('reach_engine_watermark_seconds');
    this.statsBox.replaceChildren(
      stat('records read', compact(get('reach_ingest_records_total')), `${compact(get('reach_ingest_accepted_total'))} accepted`),
      stat('events/s now', latest === null ? 'measuring…' : compact(Math.round(latest)), 'records per second, all sources'),
      stat('events applied', compact(get('reach_engine_events_applied_total')), `${compact(get('reach_ingest_queue_batches'))} batches queued`),
      stat('rejected', compact(sum('reach_ingest_rejected_total')), 'see reasons below'),
      stat('not delivered', compact(get('reach_ingest_undelivered_total')), 'posts the platform’s rate limit held back (coverage gap)'),
      stat('arrival lag', duration(get('reach_ingest_last_arrival_age_seconds')), 'since the newest record arrived'),
      stat('publish lag', duration(get('reach_publish_age_seconds')), 'since the newest snapshot'),
      stat('event time', watermark ? when(new Date(watermark * 1000).toISOString()) : '–', 'newest event (the windows’ end)'),
      stat('users / posts', `${compact(get('reach_engine_users'))} / ${compact(get('reach_engine_posts'))}`, `${compact(get('reach_engine_cascades'))} cascades`),
      stat('SSE clients', compact(get('reach_http_sse_clients')), `${compact(get('reach_http_connections_open'))} connections open`));
    this.rateBox.style.height = '220px';
    chartIn(this.rateBox, { type: 'line', label: 'events per second by source', data: {
      labels: rates.map((x) => new Date(x.t).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
      datasets: sources.map((k, i) => ({ label: k, data: rates.map((x) => x.r[k]), borderColor: PALETTE[i], backgroundColor: PALETTE[i], pointRadius: 0 })) },
      options: { scales: { y: { min: 0, ticks: { callback: (v) => compact(v) } } } } });
    const rejects = metrics.filter((x) => x.name === 'reach_ingest_rejected_total');
    const anyRejected = rejects.some((x) => x.value > 0);
    hbar(this.rejectBox, rejects.map((x) => (x.labels.reason || 'other').replace(/_/g, ' ')), [{ label: 'rejected', data: rejects.map((x) => x.value), backgroundColor: '#d1344f' }], { label: 'rejected records by reason' });
    this.rejectNote.textContent = anyRejected ? 'Rejected lines are in the dead-letter file with their file, line and reason.' : 'No record rejected: every line decoded. Rejected lines would go to the dead-letter file with their position.';
    const table = (rows) => el('table', { class: 'compact' }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { class: 'num', text: v })))));
    const storeRows = metrics.filter((x) => x.name.startsWith('reach_store_'));
    this.storeBox.replaceChildren(storeRows.length ? table(storeRows.map((x) => [x.name.replace('reach_store_', '').replace(/_/g, ' ') + (Object.keys(x.labels).length ? ` (${Object.values(x.labels).join(', ')})` : ''), compact(x.value)]))
      : message('No store metrics: this process runs without a store (--store none).'));
    if (get('reach_store_failures_total') > 0) this.storeBox.prepend(message('The store has failed writes; Reach retries with back-off. Check the database.', 'error'));
    const sourceNames = [...new Set(metrics.filter((x) => x.name.startsWith('reach_source_') && x.labels.source).map((x) => x.labels.source))];
    this.sourcesCard.hidden = !sourceNames.length;
    if (sourceNames.length) {
      const v = (name, src) => get(name, { source: src });
      const errors = (src) => metrics.filter((x) => x.name === 'reach_source_connect_errors_total' && x.labels.source === src).reduce((a, x) => a + x.value, 0);
      this.sourcesBox.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'compact', id: 'pipeline-sources' },
        el('thead', {}, el('tr', {}, ...['source', 'state', 'messages', 'last message', 'reconnects', 'errors'].map((t, i) => el('th', { class: i > 1 ? 'num' : '', text: t })))),
        el('tbody', {}, ...sourceNames.map((src) => {
          const last = v('reach_source_last_message_timestamp_seconds', src);
          const up = v('reach_source_connected', src) === 1;
          const wait = v('reach_source_retry_delay_seconds', src);
          return el('tr', {}, el('th', { scope: 'row', text: src }),
            el('td', { class: up ? 'tone-positive' : 'tone-negative', text: up ? 'connected' : `reconnecting${wait ? ' in ' + duration(wait) : ''}` }),
            el('td', { class: 'num', text: compact(v('reach_source_messages_total', src)) }),
            el('td', { class: 'num', text: last ? ago(last * 1000) : 'none yet' }),
            el('td', { class: 'num', text: compact(v('reach_source_reconnects_total', src)) }),
            el('td', { class: 'num', text: compact(errors(src)) }));
        })))));
    }
    const archiveRows = metrics.filter((x) => x.name.startsWith('reach_archive_'));
    this.archiveBox.replaceChildren(archiveRows.length ? table(archiveRows.map((x) => [x.name.replace('reach_archive_', '').replace(/_/g, ' ') + (Object.keys(x.labels).length ? ` (${Object.values(x.labels).join(', ')})` : ''), compact(x.value)]))
      : message('No archive: start Reach with an archive directory to keep the raw events for replay.'));
  },
};

// ---------------------------------------------------------------------------------------------
// Routing, refresh and live updates

const PAGES = { leaderboard, profile, cascade, conversation, network, planner, pipeline };

function navigate() {
  const hash = location.hash || '#/leaderboard';
  const [path] = hash.slice(2).split('?');
  const [name, ...args] = path.split('/');
  const page = PAGES[name] || leaderboard;
  const route = `${name}/${args.join('/')}`;
  if (app.page && app.route === route && app.page === page) return;
  if (app.page && app.page.unmount) app.page.unmount();
  for (const box of document.querySelectorAll('#view .chart')) if (box._chart) box._chart.destroy();
  app.page = page;
  app.route = route;
  const view = $('#view');
  view.replaceChildren();
  view.dataset.page = PAGES[name] ? name : 'leaderboard';
  for (const a of document.querySelectorAll('#pages a')) {
    if (a.dataset.page === view.dataset.page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.title = `${page.title} — Reach`;
  page.mount(view, args.map(decodeURIComponent));
  refreshNow();
}

async function refreshNow() {
  if (app.busy) { app.again = true; return; }
  app.busy = true;
  app.lastRefresh = Date.now();
  const page = app.page;
  try {
    if (page && page.refresh) await page.refresh();
  } catch (e) {
    console.warn('refresh failed', e);  // eslint-disable-line no-console
  } finally {
    app.busy = false;
    if (app.again) { app.again = false; refreshNow(); }
  }
}

function refreshThrottled() {
  if (app.timer) return;
  const wait = Math.max(0, 1000 - (Date.now() - app.lastRefresh));
  app.timer = setTimeout(() => { app.timer = null; refreshNow(); }, wait);
}

function setStatus(text, cls) { const s = $('#status'); s.textContent = text; s.className = `status ${cls}`; }

function connect() {
  const es = new EventSource('/api/stream');
  es.addEventListener('open', () => setStatus('live', 'live'));
  es.addEventListener('snapshot', (ev) => {
    try {
      const s = JSON.parse(ev.data);
      app.lastSnapshot = s;
      setStatus(`live · ${compact(s.events)} events · ${compact(s.users)} users · data as of ${ago(s.as_of)}`, 'live');
    } catch (e) { setStatus('live', 'live'); }
    if (app.page !== planner) refreshThrottled();
  });
  es.addEventListener('plan', (ev) => {
    let data;
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    planner.onEvent(data);
  });
  es.addEventListener('alert', () => { if (app.page === conversation) refreshThrottled(); });
  es.addEventListener('error', () => setStatus('reconnecting… (is reach still running?)', 'down'));
}

window.addEventListener('hashchange', navigate);
navigate();
connect();
