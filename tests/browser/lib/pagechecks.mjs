// The checks that run inside the page (page.evaluate): each returns plain
// data, the harness (harness.mjs) turns it into passed or failed tests.
//
// Every function here is serialised by Playwright and run in the page, so
// it must not use anything from this module's scope: each one is complete
// in itself (helpers are repeated on purpose).

// Latin-script words that a Chinese page may show: names of formats,
// standards and units that have no Chinese form in use.  Compared in upper
// case.  A later step that needs another one adds it here, with a reason.
export const ALLOWED_LATIN = [
	'PDF', 'JPEG', 'JPG', 'PNG', // file types (uploads)
	'SHA', // SHA-256 (file digests)
	'URL', 'CSV', 'ID', 'IP', // technical terms used as such in Chinese
	'KB', 'MB', 'GB', 'KIB', 'MIB', 'GIB', // sizes; GB is also the national standard prefix (GB/T)
	'ISO', // ISO 9001 and the like
	'BIAOGAN', // the system's name
];

// What "in English" means for the walk.  A word is a maximal run of two or
// more ASCII letters with no ASCII letter, digit or underscore right before
// or after it; so "Forbidden", "Not Found", "login.fail", "public" are
// words, while identifiers that mix letters and digits (logins such as
// bw0712ent, credit codes, "A4", "SHA-256" is SHA) are not.  Single letters
// are ignored.  A word in ALLOWED_LATIN is allowed.  Text inside code, kbd,
// samp, pre or an element with translate="no" is not looked at: that is
// where a page shows commands and codes on purpose.
//
// Looked at: the document title, every heading (h1-h6), and every message:
// .error, .error-summary, .field-error, .notice, .message, [role=alert],
// [role=status].  extraSelectors (per visit) adds more, e.g. table columns
// that must be in Chinese.  Only rendered elements count.
export function englishInPage({ allowed, extraSelectors }) {
	const allow = new Set(allowed);
	const word = /(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])/g;
	const skip = 'code, kbd, samp, pre, [translate="no"]';
	const groups = [
		['heading', 'h1, h2, h3, h4, h5, h6'],
		['message', '.error, .error-summary, .field-error, .notice, .message, [role="alert"], [role="status"]'],
	];
	for (const sel of extraSelectors || []) groups.push([sel, sel]);

	function cssPath(el) {
		const parts = [];
		while (el && el.nodeType === 1 && parts.length < 6) {
			let s = el.localName;
			// getAttribute: a form's .id can be its input named "id".
			const id = el.getAttribute('id');
			if (id) {
				parts.unshift(s + '#' + id);
				break;
			}
			const cls = [...el.classList].slice(0, 2);
			if (cls.length) s += '.' + cls.join('.');
			const parent = el.parentElement;
			if (parent) {
				const same = [...parent.children].filter((c) => c.localName === el.localName);
				if (same.length > 1) s += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
			}
			parts.unshift(s);
			el = parent;
		}
		return parts.join(' > ');
	}
	function textOf(el) {
		let out = '';
		const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			if (n.parentElement && n.parentElement.closest(skip)) continue;
			out += n.data;
		}
		return out.replace(/\s+/g, ' ').trim();
	}
	function rendered(el) {
		return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
	}
	function wordsIn(text) {
		return (text.match(word) || []).filter((w) => !allow.has(w.toUpperCase()));
	}

	const found = [];
	const titleWords = wordsIn(document.title);
	if (titleWords.length) found.push({ kind: 'title', selector: 'title', text: document.title, words: titleWords });
	const hits = [];
	const seen = new Set();
	for (const [kind, sel] of groups) {
		for (const el of document.querySelectorAll(sel)) {
			if (seen.has(el) || !rendered(el)) continue;
			seen.add(el);
			const text = textOf(el);
			const words = wordsIn(text);
			if (words.length) hits.push({ el, kind, text, words });
		}
	}
	// A box (say section.error) whose words all come from elements inside it
	// that are reported themselves (its h1) says nothing new: keep the inner ones.
	for (const h of hits) {
		const inner = new Set(hits.filter((o) => o !== h && h.el.contains(o.el)).flatMap((o) => o.words));
		if (inner.size && h.words.every((w) => inner.has(w))) continue;
		found.push({ kind: h.kind, selector: cssPath(h.el), text: h.text.slice(0, 200), words: h.words });
	}
	return found;
}

// The site layout: the header with the system's name, <main id="main"> and
// the footer, as layout.html renders them.  Error pages (the programs' and
// nginx's) must have it too.
export function layoutInPage() {
	const missing = [];
	if (!document.querySelector('header.site .brand')) missing.push('header.site .brand (site header)');
	if (!document.querySelector('main#main')) missing.push('main#main');
	if (!document.querySelector('footer.site')) missing.push('footer.site (site footer)');
	if (document.documentElement.lang !== 'zh-CN') missing.push('<html lang="zh-CN"> (lang is "' + document.documentElement.lang + '")');
	return missing;
}

// The main navigation: which items carry aria-current (any value but "false").
export function navInPage() {
	const nav = document.querySelector('nav.main');
	if (!nav) return { present: false, items: [], current: [] };
	const links = [...nav.querySelectorAll('a')];
	const label = (a) => a.textContent.replace(/\s+/g, ' ').trim();
	return {
		present: true,
		items: links.map(label),
		current: links.filter((a) => a.hasAttribute('aria-current') && a.getAttribute('aria-current') !== 'false')
			.map((a) => label(a) + ' (aria-current="' + a.getAttribute('aria-current') + '")'),
	};
}

// Horizontal overflow: the page scrolls sideways when the scrolling
// element is wider than the viewport.  The culprits reported are the
// outermost elements that stick out past the right edge (their parent does
// not), the 8 reaching farthest.  Also: tables wider than the box they sit in, unless that
// box (or a box between) scrolls or clips on its own (the usual way to let
// a wide table scroll inside the page).
export function overflowInPage() {
	function cssPath(el) {
		const parts = [];
		while (el && el.nodeType === 1 && parts.length < 6) {
			let s = el.localName;
			// getAttribute: a form's .id can be its input named "id".
			const id = el.getAttribute('id');
			if (id) {
				parts.unshift(s + '#' + id);
				break;
			}
			const cls = [...el.classList].slice(0, 2);
			if (cls.length) s += '.' + cls.join('.');
			const parent = el.parentElement;
			if (parent) {
				const same = [...parent.children].filter((c) => c.localName === el.localName);
				if (same.length > 1) s += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
			}
			parts.unshift(s);
			el = parent;
		}
		return parts.join(' > ');
	}
	const se = document.scrollingElement || document.documentElement;
	const vw = se.clientWidth;
	const result = { scrollWidth: se.scrollWidth, clientWidth: vw, culprits: [], tables: [] };
	if (se.scrollWidth > vw) {
		const all = [...document.body.querySelectorAll('*')];
		const sticks = new Set(all.filter((el) => {
			const r = el.getBoundingClientRect();
			return r.width > 0 && r.right + window.scrollX > vw + 1;
		}));
		for (const el of sticks) {
			if (sticks.has(el.parentElement)) continue;
			const r = el.getBoundingClientRect();
			result.culprits.push({ selector: cssPath(el), right: Math.round(r.right + window.scrollX), width: Math.round(r.width) });
		}
		// The ones reaching farthest first: they set the page's width.
		result.culprits.sort((a, b) => b.right - a.right);
		result.culprits.splice(8);
	}
	const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
	for (const t of document.querySelectorAll('table')) {
		const p = t.parentElement;
		if (!p || t.getClientRects().length === 0) continue;
		const tr = t.getBoundingClientRect();
		const pr = p.getBoundingClientRect();
		const ps = getComputedStyle(p);
		const inner = pr.right - parseFloat(ps.paddingRight) - parseFloat(ps.borderRightWidth);
		if (tr.right <= inner + 1) continue;
		let scrolls = false;
		for (let a = p; a && a !== document.body; a = a.parentElement) {
			if (clips(a)) {
				scrolls = true;
				break;
			}
		}
		if (scrolls) continue;
		result.tables.push({
			selector: cssPath(t),
			width: Math.round(tr.width),
			container: cssPath(p),
			containerWidth: Math.round(inner - pr.left - parseFloat(ps.paddingLeft) - parseFloat(ps.borderLeftWidth)),
		});
	}
	return result;
}

// Text squeezed to about one character per line: a text of two or more
// characters (spaces not counted) on two or more lines with at most 1.5
// characters a line on average, as in a table column too narrow for "结果"
// or "查看", or a navigation item 年/度/遴/选.
export function squeezedInPage() {
	function cssPath(el) {
		const parts = [];
		while (el && el.nodeType === 1 && parts.length < 6) {
			let s = el.localName;
			// getAttribute: a form's .id can be its input named "id".
			const id = el.getAttribute('id');
			if (id) {
				parts.unshift(s + '#' + id);
				break;
			}
			const cls = [...el.classList].slice(0, 2);
			if (cls.length) s += '.' + cls.join('.');
			const parent = el.parentElement;
			if (parent) {
				const same = [...parent.children].filter((c) => c.localName === el.localName);
				if (same.length > 1) s += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
			}
			parts.unshift(s);
			el = parent;
		}
		return parts.join(' > ');
	}
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const range = document.createRange();
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const chars = [...n.data.replace(/\s+/g, '')];
		if (chars.length < 2) continue;
		const el = n.parentElement;
		if (!el || el.closest('script, style, title, option, select, textarea')) continue;
		range.selectNodeContents(n);
		// Lines: boxes that do not overlap vertically (boxes of one line may
		// differ a little in height, e.g. Latin and Chinese glyphs).
		const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top);
		let lines = 0;
		let bottom = -Infinity;
		for (const r of rects) {
			if (r.top >= bottom - 1) {
				lines++;
				bottom = r.bottom;
			} else {
				bottom = Math.max(bottom, r.bottom);
			}
		}
		if (lines >= 2 && chars.length <= 1.5 * lines) {
			out.push({ selector: cssPath(el), text: n.data.trim().slice(0, 40), lines });
			if (out.length >= 40) break;
		}
	}
	return out;
}

// Secrets in URLs: the page's own address, and every form's action and
// link's href, must not carry the CSRF token (it ends up in logs and history).
export function secretsInUrlsInPage() {
	const out = [];
	const bad = (u) => /[?&](csrf|token|reg_token)=/i.test(u);
	if (bad(location.href)) out.push('the page address: ' + location.pathname + location.search.replace(/(csrf=)[^&]*/i, '$1…'));
	for (const f of document.querySelectorAll('form[action]')) {
		const a = f.getAttribute('action');
		if (bad(a)) out.push('form action ' + a.replace(/(csrf=)[^&]*/i, '$1…') + (f.id ? ' (form#' + f.id + ')' : ''));
	}
	for (const a of document.querySelectorAll('a[href]')) {
		const h = a.getAttribute('href');
		if (bad(h)) out.push('link ' + h.replace(/(csrf=)[^&]*/i, '$1…'));
	}
	return out;
}

// For print (media print, A4 content width): the site header, the
// navigation and the footer must not print, and nothing may stick out past
// the page edge.
export function printInPage() {
	const problems = [];
	for (const sel of ['header.site', 'nav.main', 'footer.site']) {
		const el = document.querySelector(sel);
		if (el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
			problems.push(sel + ' is printed');
	}
	const se = document.scrollingElement || document.documentElement;
	if (se.scrollWidth > se.clientWidth)
		problems.push('content is ' + se.scrollWidth + ' px wide on a ' + se.clientWidth + ' px wide A4 page: it prints over the page edge');
	return problems;
}

// axe-core, injected before (window.axe): every rule but the experimental
// ones, or only the rules named.  Violations of impact serious or critical,
// with up to 6 offending selectors each.
export async function axeInPage(rules) {
	const opts = { resultTypes: ['violations'] };
	if (rules) opts.runOnly = { type: 'rule', values: rules };
	const r = await window.axe.run(document, opts);
	return r.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			count: v.nodes.length,
			targets: v.nodes.slice(0, 6).map((n) => n.target.join(' ')),
		}));
}
