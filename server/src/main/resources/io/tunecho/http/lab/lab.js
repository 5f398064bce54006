// The lab page: the host entries of a running tunecho, live, and changes to them through the admin API.
// Plain JavaScript, no build step, nothing fetched from elsewhere. It polls the visible page of entries and the event
// record once a second (only while the tab is visible), and keeps each entry's replies per second, computed from the
// deltas of its reply counter, for the sparklines.
'use strict';

(() => {
  const POLL_MS = 1000;
  const HISTORY_MS = 3 * 60 * 1000;  // what a sparkline shows at most
  const SPAN_MIN_MS = 30 * 1000;     // and at least: a younger history fills part of it, from the right
  const GAP_MS = 3500;               // samples further apart than this are not joined by a line
  const MAX_HISTORIES = 2000;        // entries whose history is kept (the least recently seen are forgotten)
  const EVENTS_SHOWN = 40;
  const PROBES_READ = 5000; // probed addresses read per poll, for the "probed every N s" lines
  const TOKEN_KEY = 'tunecho.token';
  const SPARK_W = 96;
  const SPARK_H = 26;
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat();
  const view = {
    q: '',
    offset: 0,
    limit: 50,
    paused: false,
    matched: 0,
    entries: new Map(),    // match -> the entry as the API last gave it (visible page)
    rows: new Map(),       // match -> its <tr> and cells
    histories: new Map(),  // match -> {points: [[t, rate]], last: {t, replies}}
    probes: new Map(),     // match -> the probed addresses of the entry (GET /api/probes)
    eventKeys: new Set(),
    noScenario: false,
    firstEvents: true,
    timer: 0,
    polling: false,
    again: false,
  };

  // ---------------------------------------------------------------- the token

  /** A token given in the address (?token=...), as Jupyter does: kept for this tab, then removed from the address bar. */
  function tokenFromAddress() {
    const url = new URL(window.location.href);
    if (!url.searchParams.has('token')) {
      return;
    }
    const token = url.searchParams.get('token').trim();
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  let tokenAsked = null;

  /** Shows the token dialog once, however many requests were refused; resolves when a token was entered. */
  function askToken(refused) {
    if (tokenAsked) {
      return tokenAsked;
    }
    const dialog = $('token-dialog');
    $('token-error').hidden = !refused;
    $('token').value = '';
    setLive('needs the token', 'waiting');
    tokenAsked = new Promise((resolve) => {
      const form = $('token-form');
      const submit = (ev) => {
        ev.preventDefault();
        const token = $('token').value.trim();
        if (!token) {
          $('token').focus();
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, token);
        form.removeEventListener('submit', submit);
        dialog.close();
        tokenAsked = null;
        resolve();
      };
      form.addEventListener('submit', submit);
    });
    dialog.showModal();
    $('token').focus();
    return tokenAsked;
  }

  // ---------------------------------------------------------------- the API

  class ApiError extends Error {
    constructor(message, status, field) {
      super(message);
      this.status = status;
      this.field = field;
    }
  }

  /** One API call; a 401 asks for the token and tries again. Answers the parsed JSON, or throws an ApiError. */
  async function api(method, path, body) {
    for (;;) {
      const token = sessionStorage.getItem(TOKEN_KEY);
      const headers = { Accept: 'application/json' };
      if (token) {
        headers.Authorization = 'Bearer ' + token;
      }
      const init = { method, headers, cache: 'no-store' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      let res;
      try {
        res = await fetch(path, init);
      } catch (e) {
        throw new ApiError('tunecho does not answer (' + e.message + ')', 0, null);
      }
      if (res.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        await askToken(token !== null);
        continue;
      }
      const text = await res.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch (e) {
        json = null;
      }
      if (!res.ok) {
        throw new ApiError((json && json.error) || res.status + ' ' + res.statusText, res.status,
          json && json.field);
      }
      return json;
    }
  }

  const hostPath = (match) => '/api/hosts/' + match.split('/').map(encodeURIComponent).join('/');

  // ---------------------------------------------------------------- polling

  function schedule(ms) {
    clearTimeout(view.timer);
    if (!view.paused && !document.hidden) {
      view.timer = setTimeout(poll, ms);
    }
  }

  /** Reads the visible page and the recent events; never two at once (a call while one runs runs after it). */
  async function poll() {
    if (view.polling) {
      view.again = true;
      return;
    }
    view.polling = true;
    clearTimeout(view.timer);
    const started = performance.now();
    try {
      const asked = view.q + '|' + view.offset + '|' + view.limit;
      const params = new URLSearchParams({ offset: String(view.offset), limit: String(view.limit) });
      if (view.q) {
        params.set('q', view.q);
      }
      const [page, events, probes] = await Promise.all([
        api('GET', '/api/hosts?' + params),
        api('GET', '/api/events?limit=' + EVENTS_SHOWN),
        api('GET', '/api/probes?limit=' + PROBES_READ),
      ]);
      groupProbes(probes);
      if (asked !== view.q + '|' + view.offset + '|' + view.limit) {
        view.again = true; // searched or paged meanwhile: this answer is for the old view
      } else if (page.matched > 0 && view.offset >= page.matched) {
        view.offset = Math.floor((page.matched - 1) / view.limit) * view.limit;
        view.again = true;
      } else {
        renderPage(page, performance.now());
      }
      renderEvents(events);
      pollScenario();
      setLive('live · ' + new Date().toLocaleTimeString(), 'ok');
    } catch (e) {
      setLive('no answer from tunecho; retrying', 'error');
      if (e.status !== 0) {
        showNotice(e.message, true);
      }
    } finally {
      view.polling = false;
    }
    if (view.again) {
      view.again = false;
      poll();
    } else {
      schedule(Math.max(0, POLL_MS - (performance.now() - started)));
    }
  }

  function setLive(text, kind) {
    $('live-text').textContent = view.paused && kind === 'ok' ? 'paused' : text;
    $('live').dataset.kind = view.paused ? 'paused' : kind;
  }

  let noticeTimer = 0;

  function showNotice(text, isError) {
    const n = $('notice');
    n.textContent = text;
    n.classList.toggle('is-error', Boolean(isError));
    n.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { n.hidden = true; }, isError ? 10000 : 5000);
  }

  // ---------------------------------------------------------------- the table

  function renderPage(page, now) {
    view.matched = page.matched;
    const seen = new Set();
    const body = $('rows');
    let previous = null;
    const counts = { up: 0, down: 0, unreachable: 0, flapping: 0, override: 0 };
    for (const e of page.hosts) {
      seen.add(e.match);
      view.entries.set(e.match, e);
      record(e, now);
      let row = view.rows.get(e.match);
      if (!row) {
        row = makeRow(e.match);
        view.rows.set(e.match, row);
      }
      const next = previous ? previous.tr.nextSibling : body.firstChild;
      if (next !== row.tr) {
        body.insertBefore(row.tr, next);
      }
      fillRow(row, e, now, page.answered_by === e.match);
      previous = row;
      counts[e.state] = (counts[e.state] || 0) + 1;
      if (e.timeline && e.timeline.flapping) {
        counts.flapping++;
      }
      if (e.override) {
        counts.override++;
      }
    }
    for (const [match, row] of view.rows) {
      if (!seen.has(match)) {
        row.tr.remove();
        view.rows.delete(match);
        view.entries.delete(match);
      }
    }
    forgetOldHistories();
    $('empty').hidden = page.hosts.length > 0;

    const from = page.hosts.length ? view.offset + 1 : 0;
    const to = view.offset + page.hosts.length;
    $('range').textContent = page.hosts.length
      ? fmt.format(from) + '–' + fmt.format(to) + ' of ' + fmt.format(page.matched)
        + (view.q ? ' matching' : '')
      : '0 of ' + fmt.format(page.matched);
    $('first').disabled = $('prev').disabled = view.offset === 0;
    $('next').disabled = $('last').disabled = to >= page.matched;

    const parts = [fmt.format(page.total) + (page.total === 1 ? ' entry' : ' entries')];
    const shown = [counts.up + ' up'];
    if (counts.down) shown.push(counts.down + ' down');
    if (counts.unreachable) shown.push(counts.unreachable + ' unreachable');
    if (counts.flapping) shown.push(counts.flapping + ' flapping');
    if (counts.override) shown.push(counts.override + (counts.override === 1 ? ' override' : ' overrides'));
    parts.push('this page: ' + shown.join(', '));
    $('summary').textContent = parts.join(' · ');

    const answer = $('answer');
    if ('answered_by' in page) {
      answer.textContent = page.answered_by
        ? view.q + ' is answered by ' + page.answered_by
        : view.q + ' is not answered by any entry';
      answer.dataset.kind = page.answered_by ? 'ok' : 'none';
    } else {
      answer.textContent = '';
    }
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function makeRow(match) {
    const tr = el('tr');
    tr.dataset.match = match;
    const cell = (tag, cls) => tr.appendChild(el(tag || 'td', cls));
    const r = { tr, match };

    const entry = cell('th', 'entry');
    entry.scope = 'row';
    r.match = entry.appendChild(el('span', 'match', match));
    r.profile = entry.appendChild(el('span', 'sub'));
    r.probed = entry.appendChild(el('span', 'sub probed'));

    const state = cell(null, 'state-cell');
    r.state = state.appendChild(el('span', 'state'));
    r.tags = state.appendChild(el('span', 'tags'));

    const delay = cell();
    r.delay = delay.appendChild(el('span', 'val'));
    r.delaySub = delay.appendChild(el('span', 'sub'));
    const loss = cell();
    r.loss = loss.appendChild(el('span', 'val'));
    r.lossSub = loss.appendChild(el('span', 'sub'));
    r.ttl = cell(null, 'num');

    const tl = cell('td', 'timeline');
    r.timeline = tl.appendChild(el('span', 'val'));
    r.timelineSub = tl.appendChild(el('span', 'sub'));

    r.requests = cell(null, 'num');
    r.replies = cell(null, 'num');
    const drops = cell(null, 'num');
    r.drops = drops.appendChild(el('span', 'val'));
    r.dropsSub = drops.appendChild(el('span', 'sub'));

    const spark = cell(null, 'spark-cell');
    r.svg = document.createElementNS(SVG, 'svg');
    r.svg.setAttribute('class', 'spark');
    r.svg.setAttribute('viewBox', '0 0 ' + SPARK_W + ' ' + SPARK_H);
    r.svg.setAttribute('width', String(SPARK_W));
    r.svg.setAttribute('height', String(SPARK_H));
    r.svg.setAttribute('role', 'img');
    r.svg.setAttribute('preserveAspectRatio', 'none');
    r.area = r.svg.appendChild(document.createElementNS(SVG, 'path'));
    r.area.setAttribute('class', 'area');
    r.line = r.svg.appendChild(document.createElementNS(SVG, 'path'));
    r.line.setAttribute('class', 'line');
    spark.appendChild(r.svg);
    r.rate = spark.appendChild(el('span', 'rate'));

    const actions = cell(null, 'actions');
    r.toggle = actions.appendChild(el('button', 'toggle'));
    r.toggle.type = 'button';
    r.toggle.addEventListener('click', () => toggle(match));
    r.change = actions.appendChild(el('button', 'change', 'Edit…'));
    r.change.type = 'button';
    r.change.dataset.action = 'change';
    r.change.setAttribute('aria-label', 'Edit ' + match);
    r.change.addEventListener('click', () => openEdit(match));
    r.clear = el('button', 'clear', 'clear');
    r.clear.type = 'button';
    r.clear.dataset.action = 'clear';
    r.clear.title = 'Remove the override: the configuration applies again';
    r.clear.setAttribute('aria-label', 'clear the override of ' + match);
    r.clear.addEventListener('click', () => clearOverride(match));
    return r;
  }

  const set = (node, text) => {
    if (node.textContent !== text) node.textContent = text;
  };

  function fillRow(r, e, now, answers) {
    const s = e.settings;
    const flapping = Boolean(e.timeline && e.timeline.flapping);
    const cls = 'st-' + e.state + (flapping ? ' flapping' : '') + (e.override ? ' overridden' : '')
      + (answers ? ' answers' : '');
    if (r.tr.className !== cls) r.tr.className = cls;
    r.tr.dataset.state = e.state;

    set(r.profile, e.profile);
    const source = e.source === 'answer' ? 'an answered prefix' : e.source === 'api' ? 'added through the API'
      : 'from ' + e.source;
    if (r.match.parentNode.title !== source) r.match.parentNode.title = source;
    set(r.state, e.state);
    r.state.className = 'state state-' + e.state;

    const tags = [];
    if (flapping) tags.push(['flapping', 'flapping']);
    if (e.override) {
      const left = e.override.expires ? ' · ' + untilText(Date.parse(e.override.expires) - Date.now()) + ' left' : '';
      tags.push(['override', 'override' + left]);
    }
    const tagText = tags.map((t) => t[1]).join('|');
    if (r.tags.dataset.text !== tagText) {
      const focused = document.activeElement === r.clear;
      r.tags.dataset.text = tagText;
      r.tags.replaceChildren(...tags.map(([kind, text]) => el('span', 'tag tag-' + kind, text)));
      if (e.override) {
        r.tags.appendChild(r.clear);
        if (focused) r.clear.focus();
      }
    }

    const jitter = s.jitter && s.jitter !== '0s' ? ' ± ' + s.jitter : '';
    set(r.delay, s.delay === '0s' && !jitter ? '0' : s.delay + jitter);
    r.delay.parentNode.classList.toggle('muted', s.delay === '0s' && !jitter);
    set(r.delaySub, jitter && s.distribution && s.distribution !== 'normal' ? s.distribution : '');

    set(r.loss, lossText(s.loss));
    r.loss.parentNode.classList.toggle('muted', s.loss === '0%');
    const extra = [];
    if (s.duplicate && s.duplicate !== '0%') extra.push('dup ' + s.duplicate);
    if (s.corrupt && s.corrupt !== '0%') extra.push('corrupt ' + s.corrupt);
    if (s.rate && s.rate !== '0') extra.push('limit ' + s.rate + '/s');
    set(r.lossSub, extra.join(' · '));
    set(r.ttl, s.ttl || '');

    const t = e.timeline;
    if (t) {
      set(r.timeline, t.step ? 'step ' + t.step + '/' + t.steps : 'ended');
      const sub = [];
      if (t.remaining) sub.push(untilText(durationMillis(t.remaining)) + ' left');
      if (t.repeat) sub.push('repeats');
      if (t.stagger) sub.push('stagger ' + t.stagger);
      set(r.timelineSub, sub.join(' · '));
      r.timeline.parentNode.title = 'timeline: ' + t.spec;
      r.timeline.parentNode.classList.remove('muted');
    } else {
      set(r.timeline, '—');
      set(r.timelineSub, '');
      r.timeline.parentNode.title = '';
      r.timeline.parentNode.classList.add('muted');
    }

    const c = e.counters;
    set(r.requests, fmt.format(c.requests));
    set(r.replies, fmt.format(c.replies));
    let dropped = c.unreachable;
    const why = [];
    for (const [reason, n] of Object.entries(c.dropped)) {
      dropped += n;
      if (n) why.push(reason.replace('_', ' ') + ' ' + fmt.format(n));
    }
    if (c.unreachable) why.push('unreachable ' + fmt.format(c.unreachable));
    set(r.drops, fmt.format(dropped));
    set(r.dropsSub, why.join(' · '));
    r.drops.parentNode.classList.toggle('muted', dropped === 0);
    r.replies.title = c.last_probed ? 'last probed ' + new Date(c.last_probed).toLocaleString() : 'never probed';

    fillProbed(r, e);
    drawSpark(r, view.histories.get(e.match), now);

    const down = e.state !== 'up';
    set(r.toggle, down ? 'Bring up' : 'Take down');
    r.toggle.dataset.action = down ? 'up' : 'down';
    r.toggle.setAttribute('aria-label', (down ? 'Bring up ' : 'Take down ') + e.match);
  }

  /** The probed addresses by the entry that answers them. */
  function groupProbes(probes) {
    view.probes = new Map();
    for (const p of probes.probes) {
      if (!p.entry) continue;
      if (!view.probes.has(p.entry)) view.probes.set(p.entry, []);
      view.probes.get(p.entry).push(p);
    }
  }

  /** "probed every 0.5 s by 198.18.0.1": the most frequent protocol's mean interval, and the latest source. */
  function probedText(p) {
    let best = null;
    for (const s of Object.values(p.protocols)) {
      if (!best || s.probes > best.probes) best = s;
    }
    const every = best && best.mean_interval_ms !== null ? 'every ' + intervalText(best.mean_interval_ms) : 'once';
    return 'probed ' + every + ' by ' + (p.sources[0] || '?');
  }

  /** Per entry: how its addresses are probed; an entry that nobody probes is marked. */
  function fillProbed(r, e) {
    const probed = view.probes.get(e.match) || [];
    const single = /\/(32|128)$/.test(e.match);
    let text = 'never probed';
    if (probed.length === 1) {
      text = (single ? '' : probed[0].address + ' ') + probedText(probed[0]);
    } else if (probed.length > 1) {
      text = probed.length + ' addresses probed · ' + probedText(probed[probed.length - 1]);
    }
    set(r.probed, text);
    r.probed.classList.toggle('unprobed', probed.length === 0);
    const title = probed.map((p) => p.address + ': ' + probedText(p)
      + ', last ' + new Date(p.last_millis).toLocaleTimeString()).join('\n') || 'no probe reached this entry';
    if (r.probed.title !== title) r.probed.title = title;
  }

  function intervalText(ms) {
    return (ms < 10000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000))) + ' s';
  }

  function lossText(loss) {
    if (!loss) return '';
    const m = /^\{p: ([^,]+), r: ([^}]+)\}$/.exec(loss);
    return m ? m[1] + ' in bursts' : loss;
  }

  /** Milliseconds of a duration as the API writes it: 250us, 20ms, 7.342s, 2m. */
  function durationMillis(text) {
    const m = /^([\d.]+)(ns|us|ms|s|m|h)$/.exec(text);
    if (!m) return 0;
    const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2]];
    return parseFloat(m[1]) * unit;
  }

  function untilText(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
    return Math.floor(s / 3600) + 'h ' + String(Math.floor(s / 60) % 60).padStart(2, '0') + 'm';
  }

  // ---------------------------------------------------------------- sparklines

  /** Adds a sample of replies per second from the change of the entry's reply counter since the last poll. */
  function record(e, now) {
    let h = view.histories.get(e.match);
    if (!h) {
      h = { points: [], last: null };
    } else {
      view.histories.delete(e.match); // re-inserted below: the map's order is the order of use
    }
    view.histories.set(e.match, h);
    const replies = e.counters.replies;
    if (h.last && now - h.last.t <= GAP_MS && replies >= h.last.replies) {
      h.points.push([now, (replies - h.last.replies) * 1000 / (now - h.last.t)]);
    }
    h.last = { t: now, replies };
    while (h.points.length && h.points[0][0] < now - HISTORY_MS) {
      h.points.shift();
    }
  }

  function forgetOldHistories() {
    for (const match of view.histories.keys()) {
      if (view.histories.size <= MAX_HISTORIES) break;
      if (!view.rows.has(match)) view.histories.delete(match);
    }
  }

  function drawSpark(r, h, now) {
    const pts = h ? h.points : [];
    let peak = 0;
    for (const p of pts) peak = Math.max(peak, p[1]);
    const top = Math.max(1, peak);
    const span = Math.min(HISTORY_MS, Math.max(SPAN_MIN_MS, pts.length ? now - pts[0][0] : 0));
    const x = (t) => Math.max(0, (t - (now - span)) / span) * SPARK_W;
    const y = (v) => SPARK_H - 2 - (v / top) * (SPARK_H - 4);
    let line = '';
    let area = '';
    let start = -1;
    for (let i = 0; i < pts.length; i++) {
      const [t, v] = pts[i];
      const joined = i > 0 && t - pts[i - 1][0] <= GAP_MS;
      if (!joined) {
        if (start >= 0) area += 'L' + x(pts[i - 1][0]).toFixed(1) + ' ' + SPARK_H + 'Z';
        start = i;
        line += 'M' + x(t).toFixed(1) + ' ' + y(v).toFixed(1);
        area += 'M' + x(t).toFixed(1) + ' ' + SPARK_H + 'L' + x(t).toFixed(1) + ' ' + y(v).toFixed(1);
      } else {
        line += 'L' + x(t).toFixed(1) + ' ' + y(v).toFixed(1);
        area += 'L' + x(t).toFixed(1) + ' ' + y(v).toFixed(1);
      }
    }
    if (start >= 0) area += 'L' + x(pts[pts.length - 1][0]).toFixed(1) + ' ' + SPARK_H + 'Z';
    r.line.setAttribute('d', line);
    r.area.setAttribute('d', area);
    const current = pts.length ? pts[pts.length - 1][1] : 0;
    const text = rateText(current);
    set(r.rate, text);
    r.rate.parentNode.dataset.rate = current.toFixed(2);
    r.svg.setAttribute('aria-label', pts.length
      ? 'replies per second: ' + text + ' now, ' + rateText(peak) + ' at most in the last ' + spanText(span)
      : 'replies per second: no samples yet');
  }

  function spanText(ms) {
    const s = Math.round(ms / 1000);
    return s % 60 === 0 ? s / 60 + (s === 60 ? ' minute' : ' minutes') : s + ' seconds';
  }

  function rateText(v) {
    if (v === 0) return '0/s';
    if (v < 10) return v.toFixed(1) + '/s';
    return fmt.format(Math.round(v)) + '/s';
  }

  // ---------------------------------------------------------------- events

  function renderEvents(events) {
    const list = $('events');
    const keys = new Set(events.map((e) => e.time + '|' + e.entry + '|' + e.cause + '|' + e.change));
    let fresh = false;
    for (const k of keys) {
      if (!view.eventKeys.has(k)) fresh = true;
    }
    if (!fresh && keys.size === view.eventKeys.size) {
      return;
    }
    const items = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      const key = e.time + '|' + e.entry + '|' + e.cause + '|' + e.change;
      const li = el('li', 'event cause-' + e.cause);
      if (!view.firstEvents && !view.eventKeys.has(key)) {
        li.classList.add('new');
        flashRow(e.entry);
      }
      li.dataset.entry = e.entry;
      const when = new Date(e.time);
      const time = li.appendChild(el('time', 'when', when.toLocaleTimeString()));
      time.dateTime = e.time;
      time.title = when.toLocaleString();
      li.appendChild(el('span', 'cause', e.cause));
      // an alert's entry is the addresses it concerns ("198.18.0.30, 2001:db8::5", or none): a link each
      const targets = e.cause === 'alert' ? e.entry.split(', ').filter(Boolean) : [e.entry];
      const links = targets.length === 1 ? li : li.appendChild(el('span', 'entries'));
      for (const target of targets) {
        const entry = links.appendChild(el('button', 'entry-link', target));
        entry.type = 'button';
        entry.title = 'Show ' + target;
        entry.addEventListener('click', () => search(target));
      }
      const change = li.appendChild(el('span', 'change', e.change));
      change.title = e.change;
      items.push(li);
    }
    list.replaceChildren(...items);
    view.eventKeys = keys;
    view.firstEvents = false;
  }

  // ---------------------------------------------------------------- the scenario

  /** The scenario's timeline, if tunecho runs one (404 otherwise: then it is never asked for again). */
  async function pollScenario() {
    if (view.noScenario) return;
    try {
      renderScenario(await api('GET', '/api/scenario'));
    } catch (e) {
      if (e.status === 404) {
        view.noScenario = true;
        $('scenario').hidden = true;
      }
    }
  }

  /** Each step as a bar over the scenario's time (its settings, its state), with its expectations' results. */
  function renderScenario(s) {
    $('scenario').hidden = false;
    $('scenario-name').textContent = s.name;
    $('scenario-state').textContent = s.state;
    $('scenario-state').dataset.state = s.state;
    const c = s.expectations;
    $('scenario-counts').textContent = c.passed + ' passed, ' + c.failed + ' failed, ' + c.pending + ' pending'
      + (s.elapsed_seconds === null ? '' : ' · ' + s.elapsed_seconds.toFixed(1) + ' s elapsed');
    let total = s.end_seconds || 0;
    for (const st of s.steps) {
      total = Math.max(total, st.at_seconds + (st.for_seconds || 0), s.elapsed_seconds || 0);
    }
    total = Math.max(total, 1);
    const pct = (sec) => Math.min(100, 100 * sec / total) + '%';
    const items = s.steps.map((st) => {
      const li = el('li', 'scenario-step step-' + st.state);
      const settings = Object.entries(st.settings).map(([k, v]) => k + ': ' + v).join(', ');
      li.appendChild(el('span', 'step-label', 'step ' + st.number + ' ' + st.match));
      const track = li.appendChild(el('span', 'step-track'));
      const bar = track.appendChild(el('span', 'step-bar', settings || 'watch'));
      bar.style.left = pct(st.at_seconds);
      bar.style.width = st.for_seconds === null ? 'calc(100% - ' + pct(st.at_seconds) + ')' : pct(st.for_seconds);
      bar.title = st.state + ' · from ' + st.at_seconds + ' s' + (st.for_seconds === null ? ' to the end'
        : ' for ' + st.for_seconds + ' s') + (st.problem ? ' · ' + st.problem : '');
      if (s.elapsed_seconds !== null && s.state === 'running') {
        track.appendChild(el('span', 'step-now')).style.left = pct(s.elapsed_seconds);
      }
      const results = li.appendChild(el('span', 'step-results'));
      for (const x of st.expectations) {
        const chip = results.appendChild(el('span', 'result result-' + x.result, x.kind + ' ' + x.limit + ': '
          + x.result + (x.measured_seconds === null ? '' : ' ' + x.measured_seconds.toFixed(1) + ' s')));
        chip.title = x.name + (x.message ? ' · ' + x.message : '');
      }
      return li;
    });
    $('scenario-steps').replaceChildren(...items);
  }

  function flashRow(match) {
    const row = view.rows.get(match);
    if (!row) return;
    row.tr.classList.remove('flash');
    void row.tr.offsetWidth; // restart the animation
    row.tr.classList.add('flash');
  }

  // ---------------------------------------------------------------- changes

  /** The settings of an entry's override that a new override keeps (those the page can send back as they are). */
  function kept(e, without) {
    const body = {};
    if (!e.override) return body;
    if (e.override.profile) body.profile = e.override.profile;
    for (const [k, v] of Object.entries(e.override.settings)) {
      if (without.includes(k) || k === 'timeline') continue;
      const m = /^\{p: ([^,]+), r: ([^}]+)\}$/.exec(v);
      body[k] = m ? { p: m[1], r: m[2] } : v;
    }
    return body;
  }

  async function change(match, body, what) {
    try {
      await api('PUT', hostPath(match), body);
      showNotice(match + ': ' + what + '.');
    } catch (e) {
      showNotice(match + ': ' + e.message, true);
    }
    poll();
  }

  function toggle(match) {
    const e = view.entries.get(match);
    if (!e) return;
    const down = e.state !== 'up';
    const body = kept(e, ['state']);
    body.state = down ? 'up' : 'down';
    change(match, body, down ? 'up until the override is removed' : 'down until the override is removed');
  }

  async function clearOverride(match) {
    try {
      await api('DELETE', hostPath(match));
      showNotice(match + ': override removed; the configuration applies.');
    } catch (e) {
      showNotice(match + ': ' + e.message, true);
    }
    poll();
  }

  async function resetAll() {
    if (!window.confirm('Remove every override, so that the configuration applies everywhere?')) {
      return;
    }
    try {
      const r = await api('POST', '/api/reset');
      showNotice(r.result + '.');
    } catch (e) {
      showNotice(e.message, true);
    }
    poll();
  }

  let editing = null;

  function openEdit(match) {
    const e = view.entries.get(match);
    if (!e) return;
    editing = match;
    const o = e.override ? e.override.settings : {};
    $('edit-match').textContent = match;
    const s = e.settings;
    $('edit-now').textContent = 'Now: ' + e.state + ', delay ' + s.delay + (s.jitter !== '0s' ? ' ± ' + s.jitter : '')
      + ', loss ' + lossText(s.loss) + (e.override ? '. It has an override; what you apply replaces it.' : '.');
    for (const radio of document.querySelectorAll('#edit-form input[name=state]')) {
      radio.checked = radio.value === (o.state || '');
    }
    $('edit-delay').value = o.delay || '';
    $('edit-loss').value = o.loss && !o.loss.startsWith('{') ? o.loss : '';
    $('edit-error').hidden = true;
    $('edit').showModal();
    $('edit-delay').focus();
  }

  async function applyEdit(ev) {
    ev.preventDefault();
    const e = view.entries.get(editing);
    const match = editing;
    const body = e ? kept(e, ['state', 'delay', 'loss']) : {};
    const state = document.querySelector('#edit-form input[name=state]:checked').value;
    const delay = $('edit-delay').value.trim();
    const loss = $('edit-loss').value.trim();
    if (state) body.state = state;
    if (delay) body.delay = delay;
    if (loss) body.loss = /^\d+(\.\d+)?$/.test(loss) ? loss + '%' : loss;
    const forTime = $('edit-for').value;
    const what = [state && 'state ' + state, delay && 'delay ' + body.delay, loss && 'loss ' + body.loss]
      .filter(Boolean).join(', ');
    try {
      if (Object.keys(body).length === 0 || (Object.keys(body).length === 1 && body.profile)) {
        if (e && e.override) {
          await api('DELETE', hostPath(match));
          showNotice(match + ': override removed; the configuration applies.');
        }
      } else {
        if (forTime) body.for = forTime;
        await api('PUT', hostPath(match), body);
        showNotice(match + ': ' + (what || 'override kept') + (forTime ? ' for ' + $('edit-for').selectedOptions[0].text
          : ' until removed') + '.');
      }
      $('edit').close();
    } catch (err) {
      const box = $('edit-error');
      box.textContent = err.message;
      box.hidden = false;
      const field = { delay: 'edit-delay', loss: 'edit-loss', for: 'edit-for' }[err.field];
      if (field) $(field).focus();
    }
    poll();
  }

  // ---------------------------------------------------------------- search and paging

  function search(q) {
    $('search').value = q;
    view.q = q.trim();
    view.offset = 0;
    poll();
  }

  function page(offset) {
    view.offset = Math.max(0, offset);
    poll();
  }

  function start() {
    tokenFromAddress();
    let typing = 0;
    $('search').addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => search($('search').value), 300);
    });
    $('search-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearTimeout(typing);
      search($('search').value);
    });
    document.addEventListener('keydown', (ev) => {
      const t = ev.target;
      if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !ev.altKey
          && !(t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement)
          && !document.querySelector('dialog[open]')) {
        ev.preventDefault();
        $('search').focus();
        $('search').select();
      }
    });
    $('first').addEventListener('click', () => page(0));
    $('prev').addEventListener('click', () => page(view.offset - view.limit));
    $('next').addEventListener('click', () => page(view.offset + view.limit));
    $('last').addEventListener('click', () => page(Math.floor(Math.max(0, view.matched - 1) / view.limit) * view.limit));
    $('page-size').addEventListener('change', () => {
      view.limit = Number($('page-size').value);
      page(Math.floor(view.offset / view.limit) * view.limit);
    });
    $('pause').addEventListener('click', () => {
      view.paused = !view.paused;
      $('pause').setAttribute('aria-pressed', String(view.paused));
      $('pause').textContent = view.paused ? 'Resume updates' : 'Pause updates';
      if (view.paused) {
        clearTimeout(view.timer);
        setLive('paused', 'paused');
      } else {
        poll();
      }
    });
    $('reset').addEventListener('click', resetAll);
    $('edit-form').addEventListener('submit', applyEdit);
    $('edit-cancel').addEventListener('click', () => $('edit').close());
    $('token-dialog').addEventListener('cancel', (ev) => ev.preventDefault()); // nothing works without it
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        clearTimeout(view.timer);
      } else if (!view.paused) {
        poll();
      }
    });
    poll();
  }

  start();
})();
