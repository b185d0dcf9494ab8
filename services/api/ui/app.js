// Search page for newsdedup. Plain DOM, no framework, no build step.
//
// Safety rule: every piece of article or story content is put into the page
// as text (text nodes via el() and append), never parsed as HTML. Search
// snippets come from the server with the article text escaped and matches
// wrapped in <mark>; they are split on those tags and rebuilt as text nodes
// and <mark> elements, so nothing else in them can become markup.
'use strict';

(function () {
  const main = document.querySelector('main');
  const content = document.getElementById('content');
  const facets = document.getElementById('facets');
  const form = document.getElementById('search-form');
  const qInput = document.getElementById('q');
  const sortSelect = document.getElementById('sort');
  const liveBadge = document.getElementById('live');
  const feedLink = document.getElementById('feed-link');
  const toast = document.getElementById('toast');

  const PAGE_SIZE = 10;
  const MEMBERS_SHOWN = 5;
  const SOURCES_SHOWN = 8;
  const PARAS_SHOWN = 3;
  const DAY = 24 * 3600 * 1000;
  // The date filter's ranges, as the server's date facet names them.
  const DATES = [
    { term: '24h', label: 'Past 24 hours', age: DAY },
    { term: '7d', label: 'Past week', age: 7 * DAY },
    { term: '30d', label: 'Past month', age: 30 * DAY },
    { term: '365d', label: 'Past year', age: 365 * DAY },
    { term: 'older', label: 'Older than a year', age: -1 },
  ];
  const LANG_NAMES = { it: 'Italian', fr: 'French', en: 'English', de: 'German', es: 'Spanish', pt: 'Portuguese', nl: 'Dutch' };
  // Feature kinds as pkg/features names them (features.Kind*): gl is a
  // word met through a dictionary translation, loc a name written where a
  // place goes.
  const KIND_NAMES = { ent: 'entity', term: 'term', num: 'number', date: 'date', place: 'place', loc: 'place', cog: 'cognate', gl: 'translation' };
  const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

  let lastSearchHash = '#/';
  let requestSeq = 0;
  let sortChosen = false;
  let showAllSources = false;
  const expanded = new Set(); // article ids whose full text is shown
  const wholeTimeline = new Set(); // story ids whose every article the timeline lists
  let current = null; // what is on screen: {view, state, data}

  // ---- DOM helpers

  // el builds an element; string children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false || c === '') continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  // safeHref allows only web links, so a javascript: URL in a feed is inert.
  function safeHref(u) {
    try {
      const url = new URL(u, window.location.href);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch (_) { /* not a URL */ }
    return null;
  }

  const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#34': '"' };
  function decodeEntities(s) {
    return s.replace(/&(lt|gt|amp|quot|#39|#34);/g, (_, name) => ENTITIES[name]);
  }

  function snippetNode(html) {
    const p = el('p', { class: 'snippet' });
    let marked = false;
    for (const part of html.split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') { marked = true; continue; }
      if (part === '</mark>') { marked = false; continue; }
      if (part === '') continue;
      const text = decodeEntities(part).replace(/\s*\n\s*/g, ' ');
      p.append(marked ? el('mark', null, text) : text);
    }
    return p;
  }

  function validDate(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return isNaN(d) || d.getUTCFullYear() < 1971 ? null : d;
  }

  function formatTime(iso) {
    const d = validDate(iso);
    return d ? d.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }) : '';
  }

  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  function ago(iso) {
    const d = validDate(iso);
    if (!d) return '';
    const s = (d.getTime() - Date.now()) / 1000;
    const steps = [[60, 'second'], [3600, 'minute'], [86400, 'hour'], [86400 * 30, 'day'], [86400 * 365, 'month'], [Infinity, 'year']];
    const div = { second: 1, minute: 60, hour: 3600, day: 86400, month: 86400 * 30, year: 86400 * 365 };
    for (const [limit, unit] of steps) {
      if (Math.abs(s) < limit) return rtf.format(Math.round(s / div[unit]), unit);
    }
    return '';
  }

  // timeEl shows a relative time with the exact one on hover.
  function timeEl(iso, prefix) {
    const d = validDate(iso);
    if (!d) return null;
    return el('time', { datetime: d.toISOString(), title: formatTime(iso) }, (prefix ? prefix + ' ' : '') + ago(iso));
  }

  function duration(ms) {
    const m = Math.round(ms / 60000);
    if (m < 1) return 'within a minute';
    if (m < 60) return '+' + m + ' min';
    if (m < 48 * 60) return '+' + Math.round(m / 60) + ' h';
    return '+' + Math.round(m / 1440) + ' days';
  }

  // fmtW shows a weight with enough digits to tell small ones apart.
  function fmtW(w) { return w >= 0.1 ? w.toFixed(2) : w.toFixed(3); }

  function formatTimeSec(iso) {
    const d = validDate(iso);
    return d ? d.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function langBadge(l) {
    return el('span', { class: 'badge l-' + String(l).toLowerCase(), title: LANG_NAMES[l] || l, 'data-lang': l }, l);
  }

  function badges(langs) {
    return el('span', { class: 'badges' }, (langs || []).map(langBadge));
  }

  function sep() { return el('span', { class: 'sep', 'aria-hidden': 'true' }, '\u2022'); }

  function showError(title, msg) {
    content.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('strong', null, title), msg));
  }

  function showToast(msg) {
    toast.textContent = msg;
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, 2600);
  }

  async function getJSON(path) {
    const res = await fetch(path, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const msg = body && body.error ? body.error : 'request failed (' + res.status + ')';
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  // ---- state in the URL hash:
  //   #/?q=..&sort=..&lang=..&source=..&date=..&from=..&to=..&page=..
  //   #/story/ID?lang=..&article=..   (article: the one a link lookup found)
  //   #/sources

  function parseHash() {
    const h = window.location.hash.replace(/^#/, '') || '/';
    const qi = h.indexOf('?');
    const path = qi >= 0 ? h.slice(0, qi) : h;
    const qs = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
    const m = path.match(/^\/story\/(.+)$/);
    if (m) return { view: 'story', id: decodeURIComponent(m[1]), lang: qs.get('lang') || '', article: qs.get('article') || '' };
    if (path === '/sources') return { view: 'sources' };
    if (path === '/corrections') return { view: 'corrections' };
    return {
      view: 'search',
      q: qs.get('q') || '',
      sort: qs.get('sort') || '',
      page: Math.max(1, parseInt(qs.get('page') || '1', 10) || 1),
      lang: qs.getAll('lang'),
      source: qs.getAll('source'),
      date: qs.get('date') || '',
      from: qs.get('from') || '',
      to: qs.get('to') || '',
    };
  }

  function searchHash(s) {
    const qs = new URLSearchParams();
    if (s.q) qs.set('q', s.q);
    if (s.sort) qs.set('sort', s.sort);
    for (const l of s.lang || []) qs.append('lang', l);
    for (const src of s.source || []) qs.append('source', src);
    if (s.date) qs.set('date', s.date);
    if (s.from) qs.set('from', s.from);
    if (s.to) qs.set('to', s.to);
    if (s.page > 1) qs.set('page', String(s.page));
    const str = qs.toString();
    return '#/' + (str ? '?' + str : '');
  }

  function storyHash(id, lang, article) {
    const qs = new URLSearchParams();
    if (lang) qs.set('lang', lang);
    if (article) qs.set('article', article);
    const str = qs.toString();
    return '#/story/' + encodeURIComponent(id) + (str ? '?' + str : '');
  }

  // A query that is one web address looks up the article published there
  // (GET /api/articles?url=) instead of searching its words.
  function isLink(q) { return /^https?:\/\/\S+$/i.test(q); }

  function go(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  }

  // apiParams turns the page state into the search API's parameters.
  function apiParams(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    p.set('sort', s.sort || (s.q ? 'relevance' : 'updated'));
    for (const l of s.lang) p.append('lang', l);
    for (const src of s.source) p.append('source', src);
    const d = DATES.find((x) => x.term === s.date);
    if (d && d.age > 0) p.set('from', new Date(Date.now() - d.age).toISOString().replace(/\.\d+Z$/, 'Z'));
    else if (d) p.set('to', new Date(Date.now() - 365 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'));
    else {
      if (s.from) p.set('from', s.from);
      if (s.to) p.set('to', s.to);
    }
    return p;
  }

  // ---- search view

  async function showSearch(s, silent) {
    if (isLink(s.q)) return showLink(s);
    main.classList.remove('story-mode');
    lastSearchHash = searchHash(s);
    if (document.activeElement !== qInput) qInput.value = s.q;
    sortSelect.value = s.sort || (s.q ? 'relevance' : 'updated');
    const params = apiParams(s);
    const feedParams = new URLSearchParams(params);
    feedParams.delete('sort');
    if (!s.q) feedParams.delete('q');
    feedLink.href = 'feed.atom' + (feedParams.toString() ? '?' + feedParams.toString() : '');
    params.set('page', String(s.page));
    params.set('size', String(PAGE_SIZE));

    const seq = ++requestSeq;
    if (!silent) {
      content.setAttribute('aria-busy', 'true');
      if (!current || current.view !== 'search') content.replaceChildren(el('div', { class: 'skeleton' }), el('div', { class: 'skeleton' }));
    }
    let res;
    try {
      res = await getJSON('api/search?' + params.toString());
    } catch (err) {
      if (seq === requestSeq) {
        content.removeAttribute('aria-busy');
        renderFacets(s, {});
        if (err.status === 400) {
          showError('This search could not be run.', [
            el('span', null, err.message.replace(/^index: bad query: /, '')),
            el('br'),
            el('span', null, 'Plain words find stories with any of them; use '), el('code', null, '+word'),
            ' to require a word, ', el('code', null, '-word'), ' to exclude one, ', el('code', null, '"an exact phrase"'),
            ' and ', el('code', null, 'prefix*'), '.',
          ]);
        } else {
          showError('The search service did not answer.', err.message);
        }
      }
      return;
    }
    if (seq !== requestSeq) return; // a newer request has been made
    content.removeAttribute('aria-busy');
    current = { view: 'search', state: s, data: res };
    renderFacets(s, res.facets || {});
    renderResults(s, res);
  }

  // showLink opens the story of the article published at s.q, in place of
  // the search (so Back returns to where the lookup was made; the story's
  // "Back to results" link, too, leads to the last search, not here again).
  async function showLink(s) {
    main.classList.remove('story-mode');
    if (document.activeElement !== qInput) qInput.value = s.q;
    facets.replaceChildren();
    const seq = ++requestSeq;
    content.replaceChildren(el('div', { class: 'skeleton' }));
    let v;
    try {
      v = await getJSON('api/articles?url=' + encodeURIComponent(s.q));
    } catch (err) {
      if (seq !== requestSeq) return;
      current = null;
      if (err.status === 404) {
        const words = slugWords(s.q);
        showError('No story holds an article from this address.', [
          el('span', null, 'It may not have been fetched or clustered yet, or it was published under another address.'),
          words ? [' ', el('a', { href: searchHash({ ...s, q: words, page: 1 }) }, 'Search for \u201c' + words + '\u201d'), ' instead.'] : null,
        ]);
      } else {
        showError('The lookup did not answer.', err.message);
      }
      return;
    }
    if (seq !== requestSeq) return;
    window.location.replace(storyHash(v.story.id, '', v.article.id));
  }

  // slugWords gives the words of a link's last path segment
  // ("/2026/03/frana-colle-del-sereno.html" gives "frana colle del sereno"),
  // which name most news pages; '' when there are fewer than two.
  function slugWords(link) {
    let last = '';
    try {
      last = decodeURIComponent(new URL(link).pathname.split('/').filter(Boolean).pop() || '');
    } catch (_) { return ''; } // not a URL, or a malformed escape
    last = last.replace(/\.[a-z0-9]{1,5}$/i, '');
    const words = last.split(/[-_+.\s]+/).filter((w) => /\p{L}/u.test(w) && !/^\d+$/.test(w));
    return words.length >= 2 ? words.join(' ') : '';
  }

  function renderResults(s, res, fresh) {
    const nodes = [summary(s, res)];
    if (res.hits.length === 0) {
      nodes.push(el('div', { class: 'empty' }, s.q || s.lang.length || s.source.length || s.date || s.from || s.to
        ? 'No story matches. Try fewer words or remove a filter.'
        : 'No stories yet. They appear here as soon as articles are clustered.'));
    }
    for (const hit of res.hits) nodes.push(storyCard(hit, fresh && fresh.has(hit.story.id)));
    if (res.total > res.size) nodes.push(pager(s, res));
    content.replaceChildren(...nodes);
  }

  function summary(s, res) {
    const chips = [];
    const chip = (label, next) => el('span', { class: 'chip' }, label,
      el('button', { type: 'button', 'aria-label': 'Remove filter ' + label, onclick: () => go(searchHash({ ...next, page: 1 })) }, '\u00d7'));
    for (const l of s.lang) chips.push(chip(LANG_NAMES[l] || l, { ...s, lang: s.lang.filter((x) => x !== l) }));
    for (const src of s.source) chips.push(chip(src, { ...s, source: s.source.filter((x) => x !== src) }));
    const d = DATES.find((x) => x.term === s.date);
    if (d) chips.push(chip(d.label, { ...s, date: '' }));
    if (s.from) chips.push(chip('from ' + s.from, { ...s, from: '' }));
    if (s.to) chips.push(chip('to ' + s.to, { ...s, to: '' }));
    return el('div', { class: 'summary' },
      el('span', null, el('strong', null, String(res.total)), ' ', res.total === 1 ? 'story' : 'stories',
        s.q ? ' for \u201c' + s.q + '\u201d' : ', latest first'),
      el('span', { class: 'sep' }, '\u00b7'),
      el('span', null, res.took_ms.toFixed(1) + ' ms'),
      chips);
  }

  // groupMembers orders members by arrival and folds near-duplicates under
  // their original: [{m, dups: [m...]}].
  function groupMembers(members) {
    const byID = new Map();
    const groups = [];
    const sorted = members.slice().sort((a, b) => String(a.added).localeCompare(String(b.added)));
    for (const m of sorted) {
      const orig = m.duplicate_of && byID.get(m.duplicate_of);
      if (orig) { orig.dups.push(m); continue; }
      const g = { m, dups: [] };
      byID.set(m.article_id, g);
      groups.push(g);
    }
    return groups;
  }

  // storySize counts a story's articles: a story of many thousands lists
  // only its newest members and counts the rest in members_omitted.
  function storySize(st) {
    return (st.members || []).length + (st.members_omitted || 0);
  }

  function storyCard(hit, fresh) {
    const st = hit.story;
    const members = st.members || [];
    const sources = st.sources || [];
    const link = storyHash(st.id);
    const card = el('article', { class: 'story' + (fresh ? ' fresh' : ''), 'data-story-id': st.id },
      el('div', { class: 'meta' },
        badges(st.languages),
        el('span', null, plural(storySize(st), 'article', 'articles') + ' \u00b7 ' + plural(sources.length, 'source', 'sources')),
        sep(),
        timeEl(st.last_seen, 'updated'),
        formatTime(st.first_seen) && formatTime(st.first_seen) !== formatTime(st.last_seen)
          ? [sep(), timeEl(st.first_seen, 'first seen')] : null),
      el('h2', null, el('a', { href: link, class: 'story-link' }, st.headline || '(no headline)')));
    for (const sn of hit.snippets || []) card.append(snippetNode(sn));
    const groups = groupMembers(members);
    if (groups.length) {
      const ul = el('ul', { class: 'members' });
      for (const g of groups.slice(0, MEMBERS_SHOWN)) ul.append(memberItem(g));
      if (groups.length > MEMBERS_SHOWN) {
        ul.append(el('li', { class: 'more-row' }, el('a', { href: link },
          '+ ' + plural(groups.length - MEMBERS_SHOWN, 'more article', 'more articles'))));
      }
      card.append(ul);
    }
    if (fresh) setTimeout(() => card.classList.remove('fresh'), 2500);
    return card;
  }

  // memberTitle is what names a member: its title, else the first words
  // of its text (its lead, for an untitled article); '' when neither.
  function memberTitle(m) { return m.title || m.lead || ''; }

  function memberItem(g) {
    const m = g.m;
    const href = safeHref(m.url);
    // An untitled article (a plain text file) shows its opening words, the
    // lead the engine gives it, in italics.
    const title = memberTitle(m) || m.url || 'Untitled article';
    const when = m.published || m.added;
    return el('li', { 'data-article-id': m.article_id },
      m.lang ? langBadge(m.lang) : el('span'),
      el('span', { class: 'title' + (m.title ? '' : ' untitled'), title: memberTitle(m) || m.article_id },
        href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, title) : title,
        g.dups.length ? el('span', { class: 'dupnote' }, '+ ' + plural(g.dups.length, 'near-duplicate', 'near-duplicates')) : null),
      el('span', { class: 'where' }, [m.source, formatTime(when)].filter(Boolean).join(' \u00b7 ')));
  }

  function pager(s, res) {
    const pages = Math.max(1, Math.ceil(Math.min(res.total, 10000) / res.size));
    const btn = (label, page, attrs) => el('button', {
      type: 'button', disabled: page < 1 || page > pages, ...attrs,
      onclick: () => { go(searchHash({ ...s, page })); window.scrollTo(0, 0); },
    }, label);
    const nodes = [btn('\u2190 Previous', s.page - 1, { 'aria-label': 'Previous page' })];
    const shown = new Set([1, pages, s.page - 1, s.page, s.page + 1]);
    let last = 0;
    for (let p = 1; p <= pages; p++) {
      if (!shown.has(p)) continue;
      if (p > last + 1) nodes.push(el('span', { class: 'gap' }, '\u2026'));
      nodes.push(btn(String(p), p, p === s.page ? { 'aria-current': 'page' } : {}));
      last = p;
    }
    nodes.push(btn('Next \u2192', s.page + 1, { 'aria-label': 'Next page' }));
    return el('nav', { class: 'pager', 'aria-label': 'Pages' }, nodes);
  }

  // renderFacets shows the filters; chosen values stay listed even when the
  // current results no longer count them.
  function renderFacets(s, f) {
    const nodes = [];
    const termGroup = (key, title, terms, label, limit) => {
      const chosen = s[key];
      const list = terms.slice();
      for (const c of chosen) if (!list.some((t) => t.term === c)) list.push({ term: c, count: 0 });
      if (!list.length) return null;
      const shown = limit && list.length > limit && !showAllSources ? list.slice(0, limit) : list;
      const sec = el('section', { 'data-facet': key },
        el('h3', null, title, chosen.length ? el('a', { href: searchHash({ ...s, [key]: [], page: 1 }) }, 'clear') : null));
      for (const t of shown) {
        const box = el('input', { type: 'checkbox', value: t.term, 'aria-label': title + ' ' + t.term });
        box.checked = chosen.includes(t.term);
        box.addEventListener('change', () => {
          const next = box.checked ? chosen.concat([t.term]) : chosen.filter((x) => x !== t.term);
          go(searchHash({ ...s, [key]: next, page: 1 }));
        });
        sec.append(el('label', { class: 'facet' + (t.count ? '' : ' zero'), 'data-term': t.term },
          box, label(t.term), el('span', { class: 'count' }, String(t.count))));
      }
      if (limit && list.length > limit) {
        sec.append(el('button', { type: 'button', class: 'more', onclick: () => { showAllSources = !showAllSources; renderFacets(s, f); } },
          showAllSources ? 'Show fewer' : 'Show all ' + list.length));
      }
      return sec;
    };
    nodes.push(termGroup('lang', 'Language', f.lang || [],
      (l) => el('span', { class: 'name' }, langBadge(l), ' ', LANG_NAMES[l] || '')));
    nodes.push(termGroup('source', 'Source', f.source || [], (src) => el('span', { class: 'name', title: src }, src), SOURCES_SHOWN));
    nodes.push(dateGroup(s, f.date || []));
    if (s.lang.length || s.source.length || s.date || s.from || s.to) {
      nodes.push(el('a', { class: 'reset', href: searchHash({ q: s.q, sort: s.sort, lang: [], source: [], page: 1 }) }, 'Clear all filters'));
    }
    facets.replaceChildren(...nodes.filter(Boolean));
  }

  function dateGroup(s, terms) {
    const counts = new Map(terms.map((t) => [t.term, t.count]));
    const sec = el('section', { 'data-facet': 'date' },
      el('h3', null, 'Date', s.date || s.from || s.to ? el('a', { href: searchHash({ ...s, date: '', from: '', to: '', page: 1 }) }, 'clear') : null));
    const opt = (term, label, count) => {
      const r = el('input', { type: 'radio', name: 'date', value: term, 'aria-label': label });
      r.checked = (s.date || '') === term && !(term === '' && (s.from || s.to));
      r.addEventListener('change', () => go(searchHash({ ...s, date: term, from: '', to: '', page: 1 })));
      return el('label', { class: 'facet' + (count === 0 ? ' zero' : ''), 'data-term': term || 'any' }, r,
        el('span', { class: 'name' }, label), count === null ? null : el('span', { class: 'count' }, String(count)));
    };
    sec.append(opt('', 'Any time', null));
    for (const d of DATES) sec.append(opt(d.term, d.label, counts.get(d.term) || 0));
    const day = (key, label) => {
      const i = el('input', { type: 'date', value: s[key] || null, 'aria-label': label });
      i.addEventListener('change', () => go(searchHash({ ...s, date: '', [key]: i.value, page: 1 })));
      return el('label', null, label, i);
    };
    sec.append(el('div', { class: 'dates' }, day('from', 'From'), day('to', 'To')));
    return sec;
  }

  // ---- sources view: the fetcher's feeds and pages (GET /api/sources),
  // failing ones first and those no longer polled last, as the API lists
  // them.

  // showTableView loads a page of its own (the sources, the corrections)
  // from path and renders it, unless another view was asked for meanwhile.
  async function showTableView(view, path, what, render, silent) {
    main.classList.add('story-mode');
    facets.replaceChildren();
    const seq = ++requestSeq;
    if (!silent) content.replaceChildren(el('div', { class: 'skeleton' }));
    let res;
    try {
      res = await getJSON(path);
    } catch (err) {
      if (seq === requestSeq) showError('The ' + what + ' could not be read.', err.message);
      return;
    }
    if (seq !== requestSeq) return;
    current = { view, data: res };
    render(res);
  }

  // showEmptyView shows a table view's header with a line saying why it
  // has no rows yet.
  function showEmptyView(head, text) {
    content.replaceChildren(el('a', { class: 'back', href: lastSearchHash }, '\u2190 Back to results'),
      el('div', { class: 'view' }, head, el('div', { class: 'empty' }, text)));
  }

  function showSources(silent) { return showTableView('sources', 'api/sources', 'sources', renderSources, silent); }

  function renderSources(res) {
    const sum = res.summary || {};
    const list = res.sources || [];
    const head = el('header', { class: 'view-head' },
      el('h1', null, 'Sources'),
      el('div', { class: 'stats' },
        stat(sum.sources || 0, sum.sources === 1 ? 'source' : 'sources'),
        stat(sum.failing || 0, 'failing'),
        stat(sum.backed_off || 0, 'backed off'),
        sum.overdue ? stat(sum.overdue, 'not polled') : null,
        stat(sum.articles || 0, sum.articles === 1 ? 'article' : 'articles')));
    if (!list.length) {
      showEmptyView(head, 'No source has been fetched yet: give the fetcher feeds (--feed, --sources) or import articles.');
      return;
    }
    const rows = list.map((x) => {
      const href = safeHref(x.url);
      // An overdue source is one no fetcher polls any more (most often
      // taken out of the list): what its last poll said is old news.
      const state = x.overdue
        ? el('span', { class: 'badge idle', title: 'next poll was due ' + (x.next_poll || '') }, 'not polled')
        : x.healthy
          ? el('span', { class: 'badge ok' }, 'healthy')
          : el('span', { class: 'badge failing', title: x.last_error || '' }, x.backed_off ? 'backed off' : 'failing');
      const problem = x.overdue ? [
        timeEl(x.last_attempt, 'Last polled'), '; its next poll was due ', timeEl(x.next_poll, ''),
        ' and no fetcher made it. Taken out of the sources? ', el('code', null, 'newsdedup sources forget'),
        ' deletes this record.',
      ] : !x.healthy ? [
        x.failures ? plural(x.failures, 'failed fetch', 'failed fetches') + ' in a row' : null,
        x.last_error ? ': ' + x.last_error : null,
        x.backoff_until ? [el('br'), timeEl(x.backoff_until, 'next try')] : null,
      ] : null;
      return el('tr', { class: x.overdue ? 'overdue' : x.healthy ? '' : 'failing', 'data-url': x.url },
        el('td', null, href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, x.url) : x.url,
          el('span', { class: 'kind' }, x.kind || ''), problem ? el('div', { class: 'problem' }, problem) : null),
        el('td', null, state, x.last_status ? el('span', { class: 'status' }, 'HTTP ' + x.last_status) : null),
        el('td', null, x.last_success ? timeEl(x.last_success, '') : '\u2013'),
        el('td', null, x.last_new ? timeEl(x.last_new, '') : '\u2013'),
        el('td', { class: 'n' }, String(x.entries || 0)),
        el('td', { class: 'n' }, String(x.articles || 0)));
    });
    const table = el('table', { class: 'sources' },
      el('thead', null, el('tr', null, ['Feed or page', 'State', 'Last fetched', 'Last new article', 'Entries', 'Articles']
        .map((h) => el('th', null, h)))),
      el('tbody', null, rows));
    content.replaceChildren(el('a', { class: 'back', href: lastSearchHash }, '\u2190 Back to results'),
      el('div', { class: 'view' }, head, el('div', { class: 'table-wrap' }, table)));
  }

  // ---- the corrections log (GET /api/corrections): editors' merges and
  // splits, newest first, with what became of each.

  function showCorrections(silent) {
    return showTableView('corrections', 'api/corrections?limit=200', 'corrections', renderCorrections, silent);
  }

  // articleLink leads to the story an article is in now (found when
  // clicked: a split may have moved it since).
  function articleLink(id) {
    return el('a', {
      href: '#/corrections', class: 'aid', title: 'open the story this article is in',
      onclick: async (ev) => {
        ev.preventDefault();
        try {
          const r = await getJSON('api/articles/' + encodeURIComponent(id));
          go(storyHash(r.story.id, '', id));
        } catch (err) {
          showToast('Article ' + id + ': ' + err.message);
        }
      },
    }, id);
  }

  function renderCorrections(res) {
    const list = res.corrections || [];
    const count = (o) => list.filter((c) => c.outcome === o).length;
    const head = el('header', { class: 'view-head' },
      el('h1', null, 'Corrections'),
      el('div', { class: 'stats' },
        stat(list.length, list.length === 1 ? 'correction' : 'corrections'),
        stat(count('applied'), 'applied'), stat(count('refused'), 'refused'),
        count('queued') ? stat(count('queued'), 'queued') : null));
    if (!list.length) {
      showEmptyView(head, 'No story has been corrected yet. Editors merge and split stories from a story\u2019s page or with newsdedup stories.');
      return;
    }
    const rows = list.map((c) => {
      const what = c.op === 'split'
        ? ['Moved ', plural((c.articles || []).length, 'article', 'articles'), ' to a story of their own: ',
          (c.articles || []).map((id, i) => [i ? ', ' : '', articleLink(id)])]
        : ['Merged ', (c.stories || []).map((id, i) => [i ? ' and ' : '', el('a', { href: storyHash(id) }, id)])];
      const state = c.outcome === 'applied' ? el('span', { class: 'badge ok' }, 'applied')
        : c.outcome === 'refused' ? el('span', { class: 'badge failing' }, 'refused')
          : el('span', { class: 'badge idle' }, 'queued');
      return el('tr', { class: c.outcome === 'refused' ? 'failing' : '', 'data-correction-id': c.id, 'data-outcome': c.outcome },
        el('td', null, timeEl(c.at, '')),
        el('td', null, c.by || '\u2013'),
        el('td', null, ...what, c.note ? el('div', { class: 'kind' }, c.note) : null,
          c.reason ? el('div', { class: 'problem' }, c.reason) : null),
        el('td', null, state));
    });
    const table = el('table', { class: 'sources corrections' },
      el('thead', null, el('tr', null, ['When', 'Editor', 'Correction', 'Outcome'].map((h) => el('th', null, h)))),
      el('tbody', null, rows));
    content.replaceChildren(el('a', { class: 'back', href: lastSearchHash }, '\u2190 Back to results'),
      el('div', { class: 'view' }, head, el('div', { class: 'table-wrap' }, table)));
  }

  // ---- story view

  async function showStory(st, silent) {
    main.classList.add('story-mode');
    facets.replaceChildren();
    const seq = ++requestSeq;
    if (!silent) content.replaceChildren(el('div', { class: 'skeleton' }));
    let v;
    try {
      // A refresh keeps the earlier articles a reader opened.
      const open = current && current.view === 'story' && current.data.id === st.id
        ? (current.data.members || []).length - (current.data.articles_from || 0) : 0;
      v = await getJSON('api/stories/' + encodeURIComponent(st.id) +
        (open > STORY_ARTICLES ? '?articles=' + Math.min(open + 50, MAX_STORY_ARTICLES) : ''));
      // An article looked up by its link is shown, however early.
      const at = st.article ? (v.members || []).findIndex((m) => m.article_id === st.article) : -1;
      while (at >= 0 && at < (v.articles_from || 0)) await loadEarlier(v, MAX_STORY_ARTICLES);
    } catch (err) {
      if (seq === requestSeq) {
        showError(err.status === 404 ? 'No such story.' : 'The story could not be loaded.',
          err.status === 404 ? 'It may have been merged away before this index saw it.' : err.message);
      }
      return;
    }
    if (seq !== requestSeq) return;
    current = { view: 'story', state: st, data: v };
    renderStory(st, v);
    document.title = (v.headline || 'story') + ' \u00b7 newsdedup';
    if (!silent) {
      const target = st.article && content.querySelector('.looked-up');
      if (target) target.scrollIntoView({ block: 'center' });
      else window.scrollTo(0, 0);
    }
  }

  // A story's articles come a window at a time (GET /api/stories/{id}):
  // one open for months has thousands.
  const STORY_ARTICLES = 100;
  const MAX_STORY_ARTICLES = 1000;

  // loadEarlier adds the articles of up to n members before those v holds.
  async function loadEarlier(v, n) {
    const from = v.articles_from || 0;
    if (!from) return;
    const w = await getJSON('api/stories/' + encodeURIComponent(v.id) + '?articles=' + n + '&articles_before=' + from);
    v.articles = (w.articles || []).concat(v.articles || []);
    v.articles_from = w.articles_from || 0;
  }

  function renderStory(st, v, fresh) {
    const all = v.members || [];
    // Only the members whose articles came are listed; the counts and
    // tabs are the whole story's.
    const from = v.articles_from || 0;
    const members = all.slice(from);
    const arts = new Map((v.articles || []).map((a) => [a.id, a]));
    const langCounts = new Map();
    for (const m of all) langCounts.set(m.lang || '?', (langCounts.get(m.lang || '?') || 0) + 1);
    const dups = all.filter((m) => m.duplicate_of).length;

    const head = el('header', { class: 'view-head' },
      v.id !== st.id ? el('p', { class: 'note' }, 'The story you asked for was merged into this one.') : null,
      el('div', { class: 'meta' }, badges(v.languages), el('span', null, 'Story ' + v.id)),
      el('h1', null, v.headline || '(no headline)'),
      el('div', { class: 'stats' },
        stat(storySize(v), storySize(v) === 1 ? 'article' : 'articles'),
        stat((v.sources || []).length, (v.sources || []).length === 1 ? 'source' : 'sources'),
        stat((v.languages || []).length, 'languages'),
        dups ? stat(dups, dups === 1 ? 'near-duplicate' : 'near-duplicates') : null,
        stat(formatTime(v.first_seen) || '\u2013', 'first seen'),
        stat(formatTime(v.last_seen) || '\u2013', 'last update')));

    const tabs = el('div', { class: 'langtabs', role: 'group', 'aria-label': 'Show articles in' });
    const tab = (lang, label, n) => el('button', {
      type: 'button', 'aria-pressed': String((st.lang || '') === lang), 'data-lang': lang || 'all',
      onclick: () => go(storyHash(st.id, lang)),
    }, label, el('span', { class: 'n' }, String(n)));
    tabs.append(tab('', 'All', all.length));
    for (const [l, n] of [...langCounts.entries()].sort()) tabs.append(tab(l, LANG_NAMES[l] || l, n));

    const shown = (m) => !st.lang || m.lang === st.lang;
    const list = el('div', { class: 'articles' });
    const byID = new Map(members.map((m) => [m.article_id, m]));
    for (const g of groupMembers(members)) {
      const visDups = g.dups.filter(shown);
      if (shown(g.m)) {
        list.append(articleCard(g.m, arts.get(g.m.article_id), visDups.map((d) => [d, arts.get(d.article_id)]), v, fresh));
      } else {
        // A near-duplicate in the chosen language whose original is not.
        for (const d of visDups) list.append(articleCard(d, arts.get(d.article_id), [], v, fresh, byID.get(d.duplicate_of)));
      }
    }
    if (!list.childElementCount) list.append(el('div', { class: 'empty' }, 'No article in this language.'));
    if (from) {
      const more = el('button', {
        type: 'button', class: 'earlier',
        onclick: async () => {
          more.disabled = true;
          try {
            await loadEarlier(v, STORY_ARTICLES);
          } catch (err) {
            more.disabled = false;
            showToast('The earlier articles could not be loaded');
            return;
          }
          if (current && current.data === v) rerender();
        },
      }, 'Show ' + plural(Math.min(from, STORY_ARTICLES), 'earlier article', 'earlier articles') + ' (' + from + ' before these)');
      list.prepend(more);
    }
    markLookedUp(list, st.article);

    const side = el('aside', { class: 'side' }, evidencePanel(v), timelinePanel(v), editPanel(v), relatedPanel(v));
    content.replaceChildren(
      el('a', { class: 'back', href: lastSearchHash }, '\u2190 Back to results'),
      el('div', { class: 'view', 'data-story-id': v.id }, head, tabs, el('div', { class: 'cols' }, list, side)));
  }

  // markLookedUp marks the article a link lookup found (opening the
  // near-duplicates it is folded in) and says so.
  function markLookedUp(list, id) {
    if (!id) return;
    const node = [...list.querySelectorAll('[data-article-id]')].find((n) => n.dataset.articleId === id);
    if (!node) return;
    const fold = node.closest('details');
    if (fold) fold.open = true;
    node.classList.add('looked-up');
    node.prepend(el('p', { class: 'lookup-note' }, 'The article you looked up'));
  }

  function stat(v, k) {
    return el('div', { class: 'stat' }, el('span', { class: 'v' }, String(v)), el('span', { class: 'k' }, k));
  }

  function paragraphs(text) {
    return (text || '').split(/\n\s*\n|\n/).map((p) => p.trim()).filter(Boolean);
  }

  function textBlock(a, limit) {
    const box = el('div', { class: 'text' });
    const paras = paragraphs(a && a.text);
    if (!paras.length) return el('div', { class: 'text' }, el('p', { class: 'notext' }, 'No text for this article.'));
    const open = expanded.has(a.id);
    for (const p of open ? paras : paras.slice(0, limit)) box.append(el('p', null, p));
    if (paras.length > limit) {
      box.append(el('button', {
        type: 'button', class: 'toggle',
        onclick: () => { if (open) expanded.delete(a.id); else expanded.add(a.id); rerender(); },
      }, open ? 'Show less' : 'Show full text (' + plural(paras.length - limit, 'more paragraph', 'more paragraphs') + ')'));
    }
    return box;
  }

  function articleCard(m, a, dups, v, fresh, origOf) {
    a = a || {};
    const href = safeHref(m.url || a.url);
    // An article without a title (a plain text file) is named by its opening words.
    const opening = paragraphs(a.text)[0] || '';
    const title = m.title || a.title || m.lead || (opening.length > 110 ? opening.slice(0, 110).replace(/\s+\S*$/, '') + '\u2026' : opening) || m.url || m.article_id;
    const first = validDate(v.first_seen);
    const added = validDate(m.added);
    const card = el('article', { class: 'article' + (fresh && fresh.has(m.article_id) ? ' fresh' : ''), lang: m.lang || null, 'data-article-id': m.article_id },
      el('div', { class: 'meta' },
        m.lang ? langBadge(m.lang) : null,
        m.source ? el('span', null, m.source) : null,
        (a.published || m.published) ? [sep(), el('span', { title: formatTime(a.published || m.published) }, 'published ' + formatTime(a.published || m.published))] : null,
        // The story starts with its earliest article, as in the timeline,
        // which need not be the one the engine saw first (its score 0).
        first && added ? [sep(), el('span', { class: 'joined' }, m.article_id === (byAdded(v)[0] || {}).article_id ? 'started the story' : 'joined ' + duration(added - first))] : null,
        // The score adds bonuses for shared rare figures and words to the
        // cosine, so it can pass 1; shown as a similarity it stops there.
        m.score > 0 ? el('span', { class: 'score', title: 'similarity to the story when it joined (score ' + m.score.toFixed(3) + ')' },
          'similarity ' + Math.min(m.score, 1).toFixed(2)) : null,
        // The id an editor gives `newsdedup stories split` to move it out.
        el('span', { class: 'aid', title: 'article id: newsdedup stories split ' + m.article_id }, m.article_id)),
      origOf ? el('p', { class: 'note' }, 'Near-duplicate of \u201c' + (memberTitle(origOf) || origOf.article_id) + '\u201d') : null,
      el('h2', null, href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, title) : title),
      textBlock(a, PARAS_SHOWN));
    const ev = (m.evidence || []).slice().sort((x, y) => y.weight - x.weight).slice(0, 8);
    if (ev.length) {
      card.append(el('div', { class: 'why' }, el('span', null, m.score > 0 ? 'Tied to the story by' : 'About'),
        ev.map((e) => el('span', { class: 'tag', title: e.feature }, featureLabel(e.feature, v).text, el('small', null, fmtW(e.weight))))));
    }
    if (dups.length) {
      const d = el('details', { class: 'dups' }, el('summary', null, plural(dups.length, 'near-duplicate', 'near-duplicates') + ' folded here'));
      for (const [dm, da] of dups) {
        const dh = safeHref(dm.url);
        d.append(el('div', { class: 'dup', 'data-article-id': dm.article_id },
          el('div', { class: 'meta' }, dm.lang ? langBadge(dm.lang) : null, dm.source ? el('span', null, dm.source) : null,
            el('span', { class: 'badge dup' }, 'near-duplicate'), timeEl(dm.added, 'added')),
          el('h4', null, dh ? el('a', { href: dh, target: '_blank', rel: 'noopener noreferrer' }, memberTitle(dm) || dm.url) : (memberTitle(dm) || dm.article_id)),
          textBlock(da || { id: dm.article_id }, 2)));
      }
      card.append(d);
    }
    const removed = a.removed || [];
    if (removed.length) {
      card.append(el('details', { class: 'removed' },
        el('summary', null, plural(removed.length, 'block', 'blocks') + ' of boilerplate removed from the page'),
        el('ul', null, removed.slice(0, 40).map((r) => el('li', null,
          (r.text || '').length > 160 ? r.text.slice(0, 160) + '\u2026' : r.text,
          el('span', { class: 'reason' }, [r.reason, r.layer].filter(Boolean).join(' \u00b7 ')))))));
    }
    return card;
  }

  // featureLabel makes "term:fr:messageri" readable: {kind, text}.
  // foldName keys a name as the engine keys its entity features: lower
  // case, accents off, words one space apart ("Laurent Nuñez" → "laurent
  // nunez").
  function foldName(s) {
    return String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
  }

  // storyNames maps the folded names a story lists, and each of their
  // words, to how the articles write them, so that an entity feature
  // ("ent:laurent nunez", "ent:nunez") shows as written ("Laurent Nuñez",
  // "Nuñez"). Remembered per story version.
  let namesOf = { key: '', map: new Map() };
  function storyNames(v) {
    const key = v ? v.id + '@' + v.version : '';
    if (namesOf.key === key) return namesOf.map;
    const map = new Map();
    for (const e of (v && v.entities) || []) {
      const words = String(e.name).split(/[\s\-'\u2019\u2010]+/).filter(Boolean);
      for (const w of words) {
        const k = foldName(w);
        if (!map.has(k)) map.set(k, w);
      }
      map.set(foldName(e.name), e.name);
    }
    namesOf = { key, map };
    return map;
  }

  function featureLabel(f, v) {
    const parts = String(f).split(':');
    const kind = KIND_NAMES[parts[0]] ? parts[0] : '';
    let text = kind ? parts.slice(1).join(':') : f;
    if (kind === 'ent') text = storyNames(v).get(text) || text;
    if (kind === 'term' && parts.length > 2) text = parts.slice(2).join(':') + ' (' + parts[1] + ')';
    // A country is keyed by its ISO code ("place:FR"): named in full.
    if (kind === 'place' && /^[A-Z]{2}$/.test(text) && regionNames) {
      try { text = regionNames.of(text) || text; } catch (_) { /* not a region code */ }
    }
    return { kind: kind ? KIND_NAMES[kind] : '', text };
  }

  function evidencePanel(v) {
    const sec = el('section', { class: 'evidence' }, el('h3', null, 'Why these articles are grouped'));
    const ents = (v.entities || []).slice(0, 16);
    if (ents.length) {
      const maxW = Math.max(...ents.map((e) => e.weight), 1e-9);
      sec.append(el('p', { class: 'hint' }, 'Names the articles share, the most salient first.'),
        el('div', { class: 'ents' }, ents.map((e) => {
          const r = e.weight / maxW;
          return el('span', { class: 'ent' + (r > 0.66 ? ' w3' : r > 0.33 ? ' w2' : ''), title: 'weight ' + fmtW(e.weight) }, e.name);
        })));
    }
    // Features that tied members to the story, summed over the members.
    const agg = new Map();
    for (const m of v.members || []) {
      if (!(m.score > 0)) continue;
      for (const e of m.evidence || []) {
        const a = agg.get(e.feature) || { w: 0, n: 0 };
        a.w += e.weight; a.n += 1;
        agg.set(e.feature, a);
      }
    }
    const feats = [...agg.entries()].sort((x, y) => y[1].w - x[1].w).slice(0, 12);
    if (feats.length) {
      const maxW = feats[0][1].w || 1;
      sec.append(el('p', { class: 'hint' }, 'Shared features and how much they weighed when articles joined.'));
      for (const [f, a] of feats) {
        const lab = featureLabel(f, v);
        const bar = el('span');
        bar.style.width = Math.max(4, Math.round((a.w / maxW) * 100)) + '%';
        sec.append(el('div', { class: 'feat', title: f },
          el('span', { class: 'label' }, lab.kind ? el('span', { class: 'kind' }, lab.kind) : null, lab.text),
          el('span', { class: 'bar' }, bar),
          el('span', { class: 'shared' }, 'weight ' + fmtW(a.w) + ' \u00b7 ' + plural(a.n, 'article', 'articles'))));
      }
    }
    if (!ents.length && !feats.length) sec.append(el('p', { class: 'hint' }, 'A single article: nothing to compare yet.'));
    return sec;
  }

  // byAdded is the story's members in the order they were added: the
  // timeline's, whose first started the story. Sorted once per story view,
  // though every card asks.
  const addedOrder = new WeakMap();
  function byAdded(v) {
    let ms = addedOrder.get(v);
    if (!ms) {
      ms = (v.members || []).slice().sort((a, b) => String(a.added).localeCompare(String(b.added)));
      addedOrder.set(v, ms);
    }
    return ms;
  }

  // A long story's timeline lists its first and latest articles, and the
  // others on demand: a story open for months has thousands.
  const TIMELINE_FIRST = 5;
  const TIMELINE_LATEST = 20;

  function timelinePanel(v) {
    const items = [];
    const ms = byAdded(v);
    const cut = ms.length > TIMELINE_FIRST + TIMELINE_LATEST + 1 && !wholeTimeline.has(v.id);
    ms.forEach((m, i) => {
      if (cut && i >= TIMELINE_FIRST && i < ms.length - TIMELINE_LATEST) {
        if (i === TIMELINE_FIRST) {
          items.push(el('li', { class: 'more' }, el('button', {
            type: 'button', class: 'toggle', onclick: () => { wholeTimeline.add(v.id); rerender(); },
          }, plural(ms.length - TIMELINE_FIRST - TIMELINE_LATEST, 'more article', 'more articles'))));
        }
        return;
      }
      const what = i === 0 ? 'Started by ' : m.duplicate_of ? 'Near-duplicate from ' : 'Joined from ';
      items.push(el('li', { class: i === 0 ? 'first' : '' },
        el('time', { datetime: m.added }, formatTimeSec(m.added)),
        el('span', { class: 'what', title: memberTitle(m) || m.article_id }, m.lang ? langBadge(m.lang) : null, ' ', what,
          el('strong', null, m.source || 'an unknown source')),
        memberTitle(m) ? el('span', { class: 'what sub' }, memberTitle(m)) : null));
    });
    // The engine's own merges; an editor's are listed below, with who and why.
    const byEditor = new Set((v.edits || []).flatMap((e) => e.absorbed || []));
    const own = (v.aliases || []).filter((a) => !byEditor.has(a));
    if (own.length) {
      items.push(el('li', { class: 'merge' }, el('span', { class: 'what' },
        'Merged with ' + plural(own.length, 'other story', 'other stories'))));
    }
    // Editors' corrections (`newsdedup stories merge|split`), with who asked and why.
    (v.edits || []).forEach((e) => {
      const who = el('strong', null, e.by || 'an editor');
      let what;
      if (e.type === 'split') {
        what = ['Split by ', who, ': ', plural((e.articles || []).length, 'article', 'articles'), ' moved to ',
          el('a', { href: storyHash(e.into) }, 'a story of their own')];
      } else if (e.type === 'created') {
        what = ['Split out by ', who, ' from ', el('a', { href: storyHash(e.from) }, 'another story')];
      } else {
        what = ['Merged by ', who, ': ', plural((e.absorbed || []).length, 'story', 'stories'), ' taken in'];
      }
      items.push(el('li', { class: 'merge edit', 'data-edit-id': e.id, 'data-edit-type': e.type },
        el('time', { datetime: e.at }, formatTimeSec(e.at)),
        el('span', { class: 'what' }, ...what),
        e.note ? el('span', { class: 'what sub', title: e.note }, e.note) : null));
    });
    return el('section', { class: 'timeline-box' }, el('h3', null, 'Timeline'), el('ol', { class: 'timeline' }, items));
  }

  // ---- editors' corrections (POST /api/corrections), offered where the
  // server takes them (GET /api/editing). The token is the editor's own,
  // kept for this tab only; the server names the editor on the correction.

  let editingEnabled = false;
  const TOKEN_KEY = 'newsdedup.editor-token';
  // What the editor is preparing on a story, kept across the live
  // refreshes that re-render the page.
  const draft = { story: '', selected: new Set(), note: '', other: '', msg: null };
  let editBox = { key: '', node: null };

  function editorToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (_) { return ''; }
  }

  function setEditorToken(t) {
    try {
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (_) { /* storage off: the token is asked again */ }
  }

  // storyIDFrom reads a story id, or the id in a story page's link.
  function storyIDFrom(text) {
    const t = (text || '').trim();
    const m = t.match(/#\/story\/([^?&#\s]+)/);
    let id = t;
    if (m) {
      try { id = decodeURIComponent(m[1]); } catch (_) { return ''; }
    }
    return /^[\w.:-]+$/.test(id) ? id : '';
  }

  function editMsg(kind, text) {
    draft.msg = { kind, text };
    rerender();
  }

  // editPanel offers the two corrections on story v: move ticked articles
  // to a story of their own, or merge another story with this one. The
  // same node is kept while nothing it shows changed, so a live refresh
  // does not take the editor's focus or half-typed note.
  // FILTER_FROM is the size of story from which the panel offers to find
  // articles in its list.
  const FILTER_FROM = 5;

  function editPanel(v) {
    if (!editingEnabled) return null;
    if (draft.story !== v.id) Object.assign(draft, { story: v.id, selected: new Set(), note: '', other: '', filter: '', msg: null });
    const members = byAdded(v);
    const key = [v.id, editorToken() ? 'in' : 'out', draft.msg ? draft.msg.kind + draft.msg.text : '',
      members.map((m) => m.article_id).join(',')].join('|');
    if (editBox.key === key && editBox.node) return editBox.node;
    const box = el('section', { class: 'edit-box', 'aria-label': 'Correct this story' }, el('h3', null, 'Correct this story'));
    const msg = draft.msg ? el('p', { class: 'edit-msg ' + draft.msg.kind, role: draft.msg.kind === 'error' ? 'alert' : 'status' }, draft.msg.text) : null;
    if (!editorToken()) {
      const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', 'aria-label': 'Editor token', placeholder: 'Editor token' });
      box.append(el('form', {
        class: 'edit-login',
        onsubmit: (ev) => { ev.preventDefault(); setEditorToken(input.value.trim()); draft.msg = null; rerender(); },
      }, el('p', { class: 'hint' }, 'Editors can merge stories and move articles out of them. The token is kept for this tab only.'),
      el('div', { class: 'edit-row' }, input, el('button', { type: 'submit' }, 'Sign in'))));
      if (msg) box.append(msg);
    } else {
      const ticked = el('span', { class: 'edit-count' });
      const count = () => { ticked.textContent = draft.selected.size ? draft.selected.size + ' ticked' : ''; };
      const tick = (id) => (ev) => { if (ev.target.checked) draft.selected.add(id); else draft.selected.delete(id); count(); };
      const list = el('ul', { class: 'edit-list' }, members.map((m) => el('li', {
        'data-find': [m.title, m.lead, m.source, m.lang, m.article_id].filter(Boolean).join(' ').toLowerCase(),
      }, el('label', null,
        el('input', { type: 'checkbox', value: m.article_id, checked: draft.selected.has(m.article_id), onchange: tick(m.article_id) }),
        ' ', memberTitle(m) || m.article_id, m.source ? el('small', null, ' \u00b7 ' + m.source) : null))));
      // A big story's list is long: words narrow it (title, source,
      // language or id), and what is ticked stays ticked when hidden.
      const narrow = () => {
        // Without the search box (a story grown small) nothing is hidden.
        const words = filter ? (draft.filter || '').toLowerCase().split(/\s+/).filter(Boolean) : [];
        for (const li of list.children) li.hidden = !words.every((w) => li.dataset.find.includes(w));
      };
      const filter = members.length >= FILTER_FROM ? el('input', { type: 'search', name: 'find', class: 'edit-find', value: draft.filter || '',
        'aria-label': 'Find articles', placeholder: 'Find by title, source or id', oninput: (ev) => { draft.filter = ev.target.value; narrow(); } }) : null;
      narrow();
      count();
      box.append(
        el('input', { type: 'text', name: 'note', class: 'edit-note', value: draft.note, maxlength: '300', 'aria-label': 'Why',
          placeholder: 'Why (shown on the story)', oninput: (ev) => { draft.note = ev.target.value; } }),
        el('div', { class: 'edit-op' }, el('h4', null, 'Move articles to a story of their own'),
          filter, list,
          el('div', { class: 'edit-row' },
            el('button', { type: 'button', class: 'split-btn', onclick: () => submitEdit(v, 'split') }, 'Move ticked articles'), ticked)),
        el('div', { class: 'edit-op' }, el('h4', null, 'Merge another story with this one'),
          el('div', { class: 'edit-row' },
            el('input', { type: 'text', name: 'other', value: draft.other, 'aria-label': 'Story to merge with this one',
              placeholder: 'Its id (s-\u2026) or page link', oninput: (ev) => { draft.other = ev.target.value; } }),
            el('button', { type: 'button', class: 'merge-btn', onclick: () => submitEdit(v, 'merge') }, 'Merge'))));
      if (msg) box.append(msg);
      box.append(
        el('button', { type: 'button', class: 'signout', onclick: () => { setEditorToken(''); draft.msg = null; rerender(); } }, 'Sign out'));
    }
    editBox = { key, node: box };
    return box;
  }

  async function submitEdit(v, op) {
    let body;
    if (op === 'split') {
      if (!draft.selected.size) { editMsg('error', 'Tick the articles to move first.'); return; }
      body = { op, articles: [...draft.selected], note: draft.note.trim() };
    } else {
      const other = storyIDFrom(draft.other);
      if (!other) { editMsg('error', 'Give the other story\u2019s id (s-\u2026) or its page link.'); return; }
      body = { op, stories: [v.id, other], note: draft.note.trim() };
    }
    editMsg('busy', 'Sending\u2026');
    let res, out = {};
    try {
      res = await fetch('api/corrections', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + editorToken() },
        body: JSON.stringify(body),
      });
      try { out = await res.json(); } catch (_) { /* not JSON */ }
    } catch (err) {
      editMsg('error', 'Not sent: ' + err.message);
      return;
    }
    if (res.status === 401) {
      setEditorToken('');
      editMsg('error', 'The token was not accepted: sign in again.');
      return;
    }
    if (res.status !== 200 && res.status !== 202) {
      editMsg('error', out.error || 'The correction failed (' + res.status + ').');
      return;
    }
    Object.assign(draft, { selected: new Set(), note: '', other: '', filter: '' });
    showToast(res.status === 200 ? 'Correction applied' : 'Correction queued');
    // A merge keeps the story seen first, which may be the other one.
    const survivor = res.status === 200 && out.result && out.result.story;
    if (survivor && survivor !== v.id) {
      Object.assign(draft, { story: survivor, msg: { kind: 'ok', text: out.message } });
      go(storyHash(survivor));
      return;
    }
    editMsg('ok', out.message || 'Queued.');
    scheduleRefresh([v.id]);
  }

  // relatedPanel lists the other stories that name the same people, places
  // and organisations (GET /api/stories/{id}/related): the earlier and
  // later events of the subject, which clustering keeps apart. It stays
  // hidden until they are loaded, and when there are none.
  function relatedPanel(v) {
    const box = el('section', { class: 'related-box', hidden: true }, el('h3', null, 'Related stories'));
    getJSON('api/stories/' + encodeURIComponent(v.id) + '/related').then((res) => {
      const list = (res && res.related) || [];
      if (!list.length) return;
      box.append(el('p', { class: 'hint' }, 'Other events naming the same people and places.'),
        el('ul', { class: 'related' }, list.map((h) => el('li', { 'data-story-id': h.story.id },
          el('a', { href: storyHash(h.story.id) }, h.story.headline || h.story.id),
          el('span', { class: 'sub' }, badges(h.story.languages), ' ',
            plural(storySize(h.story), 'article', 'articles'), ' \u00b7 ', timeEl(h.story.last_seen, ''))))));
      box.hidden = false;
    }).catch(() => { /* the story itself is shown; related ones are extra */ });
    return box;
  }

  // ---- live updates: server-sent events, or polling when unavailable

  let pending = new Set();
  let refreshTimer = null;

  function rerender() {
    if (!current) return;
    if (current.view === 'story') renderStory(current.state, current.data);
  }

  function scheduleRefresh(ids) {
    for (const id of ids) pending.add(id);
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshNow, 600);
  }

  async function refreshNow() {
    const ids = pending;
    pending = new Set();
    if (!current) return;
    // A navigation under way (the address already names another view or
    // story) shows what it asked for: a refresh of the old view, started
    // after it, would be the newer request and take its place.
    const here = parseHash();
    if (here.view !== current.view || (here.view === 'story' && here.id !== current.state.id)) return;
    if (current.view === 'search') {
      const before = new Set(current.data.hits.map((h) => h.story.id));
      await showSearch(current.state, true);
      if (current.view !== 'search') return;
      const fresh = new Set(current.data.hits.map((h) => h.story.id).filter((id) => ids.has(id) || !before.has(id)));
      if (fresh.size) {
        renderResults(current.state, current.data, fresh);
        showToast(plural(fresh.size, 'story', 'stories') + ' updated');
      }
    } else if (current.view === 'corrections') {
      if (ids.has('edit') || ids.has('*')) await showCorrections(true);
    } else if (current.view === 'sources') {
      await showSources(true);
    } else if (current.view === 'story') {
      const v = current.data;
      if (ids.has('*') || ids.has(v.id) || ids.has(current.state.id)) {
        const known = new Set((v.members || []).map((m) => m.article_id));
        await showStory(current.state, true);
        if (current.view !== 'story' || current.data.id !== v.id) return;
        const fresh = new Set((current.data.members || []).map((m) => m.article_id).filter((id) => !known.has(id)));
        if (fresh.size) {
          renderStory(current.state, current.data, fresh);
          showToast(plural(fresh.size, 'new article', 'new articles') + ' in this story');
        }
      }
    }
  }

  function setLive(state, text) {
    liveBadge.className = 'live ' + state;
    liveBadge.textContent = text;
  }

  function connectLive() {
    if (!window.EventSource) { startPolling(); return; }
    const es = new EventSource('api/events');
    es.addEventListener('open', () => setLive('on', 'Live'));
    es.addEventListener('story', (ev) => {
      let c = null;
      try { c = JSON.parse(ev.data); } catch (_) { return; }
      // 'edit': a correction's change, which the corrections log shows.
      scheduleRefresh([c.story_id, ...(c.absorbed || []), ...(c.edit ? ['edit'] : [])]);
    });
    es.addEventListener('resync', () => scheduleRefresh(['*']));
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED) { es.close(); startPolling(); } else setLive('off', 'Reconnecting\u2026');
    });
  }

  function startPolling() {
    setLive('off', 'Polling');
    setInterval(() => scheduleRefresh(['*']), 20000);
  }

  // ---- wiring

  function route() {
    const s = parseHash();
    if (s.view === 'sources') { document.title = 'Sources \u00b7 newsdedup'; showSources(); return; }
    if (s.view === 'corrections') { document.title = 'Corrections \u00b7 newsdedup'; showCorrections(); return; }
    if (s.view === 'story') showStory(s);
    else { document.title = s.q ? s.q + ' \u00b7 newsdedup' : 'newsdedup \u00b7 stories'; showSearch(s); }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const cur = parseHash();
    const base = cur.view === 'search' ? cur : { lang: [], source: [] };
    // Without an explicit choice the order follows the query: relevance for
    // a search, latest first for browsing.
    const sort = sortChosen || base.sort ? sortSelect.value : '';
    go(searchHash({ ...base, q: qInput.value.trim(), sort, page: 1 }));
  });
  sortSelect.addEventListener('change', () => { sortChosen = true; form.requestSubmit(); });
  window.addEventListener('hashchange', route);
  // A link written as a query string (/?q=Beauvau&lang=fr: a browser's
  // search box through opensearch.xml, a form, a link typed by hand) opens
  // the same search as its #/ form; the address then shows that form.
  if (window.location.search && !window.location.hash) {
    const qs = new URLSearchParams(window.location.search);
    const s = {
      q: qs.get('q') || '', sort: qs.get('sort') || '', lang: qs.getAll('lang'), source: qs.getAll('source'),
      date: qs.get('date') || '', from: qs.get('from') || '', to: qs.get('to') || '',
      page: Math.max(1, parseInt(qs.get('page') || '1', 10) || 1),
    };
    history.replaceState(null, '', window.location.pathname + searchHash(s));
  }
  route();
  connectLive();
  getJSON('api/editing').then((r) => {
    editingEnabled = !!(r && r.enabled);
    if (editingEnabled) rerender();
  }).catch(() => { /* an older server: no editing */ });
})();
