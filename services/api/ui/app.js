// Search page for newsdedup. Plain DOM, no framework, no build step.
//
// Safety rule: every piece of article or story content is put into the page
// as text (textContent / text nodes), never parsed as HTML. Search snippets
// come from the server with the article text escaped and matches wrapped in
// <mark>; they are split on those tags and rebuilt as text nodes and <mark>
// elements, so nothing else in them can become markup.
'use strict';

(function () {
  const content = document.getElementById('content');
  const facets = document.getElementById('facets');
  const form = document.getElementById('search-form');
  const qInput = document.getElementById('q');
  const sortSelect = document.getElementById('sort');

  const PAGE_SIZE = 10;
  const MEMBERS_SHOWN = 5;
  let lastSearchHash = '#/';
  let requestSeq = 0;
  let sortChosen = false;

  // el builds an element; string children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
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
      const text = decodeEntities(part);
      p.append(marked ? el('mark', null, text) : text);
    }
    return p;
  }

  function formatTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d) || d.getUTCFullYear() < 1971) return '';
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function badges(langs) {
    return (langs || []).map((l) => el('span', { class: 'badge', title: 'language' }, l));
  }

  function showError(msg) {
    content.replaceChildren(el('div', { class: 'error', role: 'alert' }, msg));
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

  // ---- state in the URL hash: #/?q=..&lang=..&sort=..&page=..  or  #/story/ID

  function parseHash() {
    const h = window.location.hash.replace(/^#/, '') || '/';
    const m = h.match(/^\/story\/(.+)$/);
    if (m) return { view: 'story', id: decodeURIComponent(m[1]) };
    const qs = new URLSearchParams(h.includes('?') ? h.slice(h.indexOf('?') + 1) : '');
    return {
      view: 'search',
      q: qs.get('q') || '',
      sort: qs.get('sort') || '',
      page: Math.max(1, parseInt(qs.get('page') || '1', 10) || 1),
      lang: qs.getAll('lang'),
      source: qs.getAll('source'),
    };
  }

  function searchHash(s) {
    const qs = new URLSearchParams();
    if (s.q) qs.set('q', s.q);
    if (s.sort) qs.set('sort', s.sort);
    for (const l of s.lang || []) qs.append('lang', l);
    for (const src of s.source || []) qs.append('source', src);
    if (s.page > 1) qs.set('page', String(s.page));
    const str = qs.toString();
    return '#/' + (str ? '?' + str : '');
  }

  function go(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  }

  // ---- search view

  async function showSearch(s) {
    lastSearchHash = searchHash(s);
    qInput.value = s.q;
    sortSelect.value = s.sort || (s.q ? 'relevance' : 'updated');
    const params = new URLSearchParams();
    params.set('q', s.q);
    params.set('sort', s.sort || (s.q ? 'relevance' : 'updated'));
    params.set('page', String(s.page));
    params.set('size', String(PAGE_SIZE));
    for (const l of s.lang) params.append('lang', l);
    for (const src of s.source) params.append('source', src);

    const seq = ++requestSeq;
    content.setAttribute('aria-busy', 'true');
    let res;
    try {
      res = await getJSON('api/search?' + params.toString());
    } catch (err) {
      if (seq === requestSeq) { showError(err.message); facets.replaceChildren(); }
      return;
    } finally {
      if (seq === requestSeq) content.removeAttribute('aria-busy');
    }
    if (seq !== requestSeq) return; // a newer request has been made

    renderFacets(s, res.facets || {});
    const nodes = [];
    const what = s.q ? 'for \u201c' + s.q + '\u201d' : 'latest first';
    nodes.push(el('p', { class: 'summary' },
      plural(res.total, 'story', 'stories') + ' ' + what + ' \u00b7 ' + res.took_ms.toFixed(1) + ' ms'));
    if (res.hits.length === 0) {
      nodes.push(el('p', { class: 'empty' }, s.q ? 'No story matches. Try fewer or other words.' : 'No stories yet.'));
    }
    for (const hit of res.hits) nodes.push(storyCard(hit));
    nodes.push(pager(s, res));
    content.replaceChildren(...nodes);
  }

  function storyCard(hit) {
    const st = hit.story;
    const members = st.members || [];
    const sources = st.sources || [];
    const card = el('article', { class: 'story' },
      el('h2', null, el('a', { href: '#/story/' + encodeURIComponent(st.id) }, st.headline || '(no headline)')),
      el('div', { class: 'meta' },
        ...badges(st.languages),
        el('span', null, plural(members.length, 'article', 'articles') + ' \u00b7 ' + plural(sources.length, 'source', 'sources')),
        formatTime(st.last_seen) && el('span', null, 'last seen ' + formatTime(st.last_seen))));
    for (const sn of hit.snippets || []) card.append(snippetNode(sn));
    if (members.length) {
      const ul = el('ul', { class: 'members' });
      for (const m of members.slice(0, MEMBERS_SHOWN)) ul.append(memberItem(m));
      if (members.length > MEMBERS_SHOWN) {
        ul.append(el('li', null, el('a', { href: '#/story/' + encodeURIComponent(st.id) },
          '+ ' + plural(members.length - MEMBERS_SHOWN, 'more article', 'more articles'))));
      }
      card.append(ul);
    }
    return card;
  }

  function memberItem(m) {
    const href = safeHref(m.url);
    const title = m.title || m.url || m.article_id;
    return el('li', null,
      m.lang ? el('span', { class: 'badge' }, m.lang) : null,
      href ? el('a', { class: 'title', href, target: '_blank', rel: 'noopener noreferrer' }, title)
        : el('span', { class: 'title' }, title),
      m.source ? el('span', { class: 'source' }, m.source) : null);
  }

  function pager(s, res) {
    const pages = Math.max(1, Math.ceil(res.total / res.size));
    const prev = el('button', { type: 'button', disabled: s.page <= 1 }, '\u2190 Previous');
    const next = el('button', { type: 'button', disabled: s.page >= pages }, 'Next \u2192');
    prev.addEventListener('click', () => go(searchHash({ ...s, page: s.page - 1 })));
    next.addEventListener('click', () => go(searchHash({ ...s, page: s.page + 1 })));
    return el('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, el('span', null, 'page ' + s.page + ' of ' + pages), next);
  }

  // renderFacets shows the language and source filters; chosen values stay
  // listed even when the current results no longer count them.
  function renderFacets(s, f) {
    const groups = [
      { key: 'lang', title: 'Language', terms: f.lang || [], badge: true },
      { key: 'source', title: 'Source', terms: (f.source || []).slice(0, 15), badge: false },
    ];
    const nodes = [];
    for (const g of groups) {
      const chosen = s[g.key];
      const terms = g.terms.slice();
      for (const c of chosen) if (!terms.some((t) => t.term === c)) terms.push({ term: c, count: 0 });
      if (!terms.length) continue;
      const sec = el('section', null, el('h3', null, g.title));
      for (const t of terms) {
        const box = el('input', { type: 'checkbox', value: t.term });
        box.checked = chosen.includes(t.term);
        box.addEventListener('change', () => {
          const next = box.checked ? chosen.concat([t.term]) : chosen.filter((x) => x !== t.term);
          go(searchHash({ ...s, [g.key]: next, page: 1 }));
        });
        sec.append(el('label', null, box,
          g.badge ? el('span', { class: 'badge' }, t.term) : el('span', null, t.term),
          el('span', { class: 'count' }, String(t.count))));
      }
      if (chosen.length) {
        const clear = el('a', { class: 'clear', href: searchHash({ ...s, [g.key]: [], page: 1 }) }, 'clear');
        sec.append(clear);
      }
      nodes.push(sec);
    }
    facets.replaceChildren(...nodes);
  }

  // ---- story view

  async function showStory(id) {
    facets.replaceChildren(el('a', { href: lastSearchHash }, '\u2190 Back to results'));
    const seq = ++requestSeq;
    let v;
    try {
      v = await getJSON('api/stories/' + encodeURIComponent(id));
    } catch (err) {
      if (seq === requestSeq) showError(err.status === 404 ? 'This story does not exist (any more).' : err.message);
      return;
    }
    if (seq !== requestSeq) return;

    const nodes = [];
    if (v.id !== id) {
      nodes.push(el('p', { class: 'note' }, 'The story you asked for was merged into this one.'));
    }
    nodes.push(el('h1', null, v.headline || '(no headline)'));
    nodes.push(el('div', { class: 'meta' },
      ...badges(v.languages),
      el('span', null, plural((v.members || []).length, 'article', 'articles') + ' \u00b7 ' +
        plural((v.sources || []).length, 'source', 'sources')),
      formatTime(v.first_seen) && el('span', null, 'first seen ' + formatTime(v.first_seen)),
      formatTime(v.last_seen) && el('span', null, 'last seen ' + formatTime(v.last_seen))));
    for (const a of v.articles || []) nodes.push(articleNode(a));
    const wrap = el('div', { class: 'view' }, ...nodes);
    content.replaceChildren(wrap);
    document.title = (v.headline || 'story') + ' \u00b7 newsdedup';
    window.scrollTo(0, 0);
  }

  function articleNode(a) {
    const href = safeHref(a.url);
    const title = a.title || a.url || a.id;
    const text = el('div', { class: 'text' });
    const paras = (a.text || '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    if (paras.length === 0) text.append(el('p', { class: 'notext' }, 'No text for this article.'));
    for (const p of paras) text.append(el('p', null, p));
    return el('article', { class: 'article', lang: a.lang || null },
      el('h2', null, href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, title) : title),
      el('div', { class: 'meta' },
        a.lang ? el('span', { class: 'badge' }, a.lang) : null,
        a.source ? el('span', null, a.source) : null,
        formatTime(a.published) && el('span', null, 'published ' + formatTime(a.published))),
      text);
  }

  // ---- wiring

  function route() {
    const s = parseHash();
    if (s.view === 'story') showStory(s.id);
    else { document.title = 'newsdedup \u00b7 stories'; showSearch(s); }
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
  route();
})();
