// The browser walk's harness: headless Debian chromium through
// playwright-core, one browser context per user, and visit(), which checks
// the page a user has reached and saves its screenshots.
//
// A walk is a list of steps (walk.step(name, fn, { needs })), run in order.
// A step drives the pages of its users (walk.goto, walk.submit, walk.click)
// and calls walk.visit(page, name, options) on every page it reaches.  A
// step that throws is one failed test and the steps that need it are not
// run (each counts as failed too); the checks of visit() never throw, so
// one walk reports every defect it meets.
//
// Every visit is checked at 1280 px and at 390 px wide (see CHECKS below);
// each check is one test.  Last line of the output: "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import {
	ALLOWED_LATIN, axeInPage, englishInPage, layoutInPage, navInPage, overflowInPage, printInPage,
	secretsInUrlsInPage, squeezedInPage,
} from './pagechecks.mjs';

const require = createRequire(import.meta.url);

export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 390, height: 844 };
// A4 (210 mm) less Chromium's default print margins (about 10 mm a side), at 96 px/in.
export const A4_CONTENT = { width: 718, height: 1040 };
// The same across the page (297 mm less the margins).
export const A4_LANDSCAPE_CONTENT = { width: 1047, height: 718 };

// How long one action or navigation may take: the test stack runs the
// sanitizer build on a shared 2-core machine.
const ACTION_TIMEOUT = 20e3;
const NAVIGATION_TIMEOUT = 45e3;

// Chromium as this machine runs it: root (no sandbox), no GPU, and nothing
// that calls out to the network (the machine has none but localhost).
const CHROMIUM_ARGS = [
	'--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	'--disable-default-apps', '--disable-extensions', '--mute-audio',
	// The browser's own strings (file and date controls) in Chinese, as its
	// users see them: needs Debian's chromium-l10n and LANGUAGE (CHROMIUM_ENV).
	'--lang=zh-CN',
];
const CHROMIUM_ENV = { LANGUAGE: 'zh_CN:zh' };

// At 390 px axe runs again only the cheap rules whose result depends on the
// layout: the rest ran at 1280 px on the same document (color-contrast, the
// costly one, does not change with the width in this one-colour stylesheet).
const AXE_NARROW_RULES = ['target-size', 'scrollable-region-focusable'];

const REDIRECT = (s) => s >= 300 && s < 400;

// At most max details of a failure in the output (report.json has them all).
function shorten(details, max = 12) {
	return details.length <= max ? details : [...details.slice(0, max), `… and ${details.length - max} more (report.json)`];
}

export function configFromEnv(env = process.env) {
	const srcDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
	const out = path.resolve(env.BIAOGAN_BROWSER_OUT || path.join(srcDir, '.test-logs', 'browser'));
	return {
		srcDir,
		baseUrl: (env.BIAOGAN_BASE_URL || '').replace(/\/+$/, ''),
		admin: env.BIAOGAN_ADMIN || '',
		conf: env.BIAOGAN_CONF || (env.BIAOGAN_RUN_DIR ? path.join(env.BIAOGAN_RUN_DIR, 'biaogan.conf') : ''),
		chromium: env.BIAOGAN_CHROMIUM || '/usr/bin/chromium',
		// The web server in front (scripts/stack's BIAOGAN_WEB_SERVER).
		webServer: env.BIAOGAN_WEB_SERVER || 'nginx',
		out,
		shots: path.join(out, 'screenshots'),
	};
}

export class Walk {
	constructor(cfg) {
		this.cfg = cfg;
		this.steps = [];
		this.results = []; // { test, ok, page, url, message, details }
		this.visits = []; // { n, name, url, user, checks: [...] }
		this.n = 0;
		this.browser = null;
		this.contexts = [];
		this.state = new WeakMap(); // page -> { user, console: [], nav: {...} }
		this.favicon = []; // console errors for /favicon.ico, a site-wide check
		this.axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	}

	// --- the runner ----------------------------------------------------------

	step(name, fn, { needs = [] } = {}) {
		this.steps.push({ name, fn, needs, ok: null });
	}

	pass(test, extra = {}) {
		this.results.push({ test, ok: true, ...extra });
	}

	fail(test, message, extra = {}) {
		this.results.push({ test, ok: false, message, ...extra });
		const where = extra.page ? ` [${extra.page}]` : '';
		console.log(`    FAIL ${test}${where}: ${message}`);
		for (const d of shorten(extra.details || [])) console.log(`         ${d}`);
	}

	// A workflow assertion (not a page check): one test, passed or failed.
	// Reported with the page visited last, where the user is at that moment.
	expect(cond, test, message) {
		const where = this.last ? { page: this.last.page, url: this.last.url } : {};
		if (cond) this.pass(test, where);
		else this.fail(test, message, where);
		return !!cond;
	}

	// The same for something the following steps build on: a failure ends the step.
	must(cond, test, message) {
		if (!this.expect(cond, test, message)) throw new Error(`${test}: ${message}`);
	}

	async run() {
		const started = Date.now();
		console.log(`browser walk: ${this.cfg.baseUrl}, chromium ${this.cfg.chromium}`);
		console.log(`browser walk: screenshots in ${this.cfg.shots}`);
		this.prepareOut();
		try {
			const { chromium } = await import('playwright-core');
			this.browser = await chromium.launch({
				executablePath: this.cfg.chromium,
				headless: true,
				args: CHROMIUM_ARGS,
				env: { ...process.env, ...CHROMIUM_ENV },
			});
		} catch (e) {
			this.fail('start chromium', e.message.split('\n')[0]);
			return this.finish(started);
		}
		for (const s of this.steps) {
			const missing = s.needs.filter((n) => {
				const dep = this.steps.find((d) => d.name === n);
				return !dep || dep.ok !== true;
			});
			console.log(`\n== ${s.name}`);
			if (missing.length) {
				s.ok = false;
				this.fail(`step: ${s.name}`, `not run: it needs ${missing.join(', ')}, which did not complete`);
				continue;
			}
			try {
				await s.fn(this);
				s.ok = true;
				this.pass(`step: ${s.name}`);
			} catch (e) {
				s.ok = false;
				const msg = (e && e.message ? e.message : String(e)).split('\n').slice(0, 6).join(' | ');
				this.fail(`step: ${s.name}`, `stopped: ${msg}`);
			}
		}
		// Site-wide: the browser asks for /favicon.ico on its own; a 404 there
		// is a console error on whichever page was open.
		if (this.favicon.length) {
			this.fail('console: /favicon.ico', `${this.favicon.length} console error(s): ${this.favicon[0]}`, { page: 'site-wide' });
		} else {
			this.pass('console: /favicon.ico');
		}
		for (const c of this.contexts) await c.close().catch(() => {});
		await this.browser.close().catch(() => {});
		return this.finish(started);
	}

	prepareOut() {
		fs.mkdirSync(this.cfg.shots, { recursive: true });
		// Only what an earlier walk wrote: numbered screenshots and PDFs, and the reports.
		for (const f of fs.readdirSync(this.cfg.shots)) {
			if (/^\d{3}-.*\.(png|pdf)$/.test(f)) fs.rmSync(path.join(this.cfg.shots, f));
		}
		for (const f of ['report.json', 'report.md']) fs.rmSync(path.join(this.cfg.out, f), { force: true });
	}

	finish(started) {
		const passed = this.results.filter((r) => r.ok).length;
		const failed = this.results.length - passed;
		fs.mkdirSync(this.cfg.out, { recursive: true });
		fs.writeFileSync(path.join(this.cfg.out, 'report.json'),
			JSON.stringify({ baseUrl: this.cfg.baseUrl, visits: this.visits, results: this.results }, null, 1));
		fs.writeFileSync(path.join(this.cfg.out, 'report.md'), this.markdown());
		const secs = Math.round((Date.now() - started) / 1000);
		console.log(`\nbrowser walk: ${this.visits.length} pages visited in ${secs} s`);
		if (failed) {
			console.log(`browser walk: ${failed} failed:`);
			for (const r of this.results.filter((x) => !x.ok)) {
				console.log(`  - ${r.page ? r.page + ': ' : ''}${r.test}: ${r.message}`);
			}
		}
		console.log(`browser walk: report ${path.join(this.cfg.out, 'report.md')}`);
		console.log(`browser walk: screenshots in ${this.cfg.shots}`);
		console.log(`${passed} passed, ${failed} failed`);
		return failed ? 1 : 0;
	}

	markdown() {
		const lines = ['# Browser walk report', '', `Stack: ${this.cfg.baseUrl}`, ''];
		const bad = this.results.filter((r) => !r.ok);
		lines.push(`${this.results.length - bad.length} passed, ${bad.length} failed; ${this.visits.length} pages visited.`, '');
		for (const r of bad) {
			lines.push(`- **${r.page || 'walk'}** ${r.url ? '`' + r.url + '`' : ''} — ${r.test}: ${r.message}`);
			for (const d of shorten(r.details || [], 30)) lines.push(`  - ${d}`);
		}
		lines.push('', '## Pages', '');
		for (const v of this.visits) {
			lines.push(`- ${String(v.n).padStart(3, '0')} ${v.name} (${v.user}) \`${v.url}\`: ${v.failed.length ? 'failed ' + v.failed.join(', ') : 'ok'}`);
		}
		return lines.join('\n') + '\n';
	}

	// --- users ---------------------------------------------------------------

	// A user of the walk: a browser context of its own (own cookies), with a
	// page whose console errors, page errors and navigations are recorded.
	async user(label) {
		const context = await this.browser.newContext({
			viewport: WIDE,
			locale: 'zh-CN',
			timezoneId: 'Asia/Shanghai',
			acceptDownloads: true,
			// The site's CSP stays on: a violation is a console error.  axe is
			// evaluated through the DevTools protocol, which CSP does not block.
		});
		context.setDefaultTimeout(ACTION_TIMEOUT);
		context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
		this.contexts.push(context);
		const page = await context.newPage();
		const st = { user: label, console: [], nav: null };
		this.state.set(page, st);
		page.on('console', (msg) => {
			if (msg.type() !== 'error') return;
			const url = msg.location() && msg.location().url;
			const text = msg.text() + (url ? ` (${url})` : '');
			if (url && new URL(url, this.cfg.baseUrl || 'http://x/').pathname === '/favicon.ico') this.favicon.push(text);
			else st.console.push({ text: msg.text(), url });
		});
		page.on('pageerror', (err) => st.console.push({ text: 'uncaught exception: ' + err.message, url: null }));
		page.on('response', (r) => {
			const req = r.request();
			if (req.isNavigationRequest() && req.frame() === page.mainFrame() && !REDIRECT(r.status())) {
				st.nav = { method: req.method(), status: r.status(), url: r.url(), redirected: !!req.redirectedFrom() };
			}
		});
		return page;
	}

	url(p) {
		return this.cfg.baseUrl + p;
	}

	// --- navigation: every one awaited until the new document has loaded ------

	async goto(page, p) {
		const resp = await page.goto(/^https?:/.test(p) ? p : this.url(p), { waitUntil: 'load' });
		return resp;
	}

	// Runs action (a click or a press that submits a form or follows a link)
	// and waits until the main frame has committed the new document (after
	// any redirects) and that document has loaded.
	async navigate(page, action) {
		const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
		committed.catch(() => {}); // awaited below, unless action fails first
		await action();
		await committed;
		await page.waitForLoadState('load');
	}

	async click(page, locator) {
		await this.navigate(page, () => locator.click());
	}

	// A click that downloads a file: resolves the Download.
	async download(page, locator) {
		const dl = page.waitForEvent('download');
		dl.catch(() => {});
		await locator.click();
		return dl;
	}

	// --- visit: screenshots and every check, at both widths -------------------
	//
	// options:
	//   status   the expected HTTP status of the document (default 200)
	//   nav      the label of the navigation item that must be the only one
	//            marked aria-current; null: none may be; undefined: at most one
	//   url      a RegExp the page's address must match (e.g. an error
	//            re-display that keeps the object's id)
	//   english  more selectors whose text must be in Chinese (see pagechecks.mjs)
	//   print    also check the print layout (records meant for paper)
	//   layout   false for a page that is not the site's (none yet)
	async visit(page, name, opts = {}) {
		const st = this.state.get(page);
		const n = ++this.n;
		const label = `${String(n).padStart(3, '0')}-${name}`;
		const url = page.url();
		// Reports show addresses without the CSRF token some of them carry.
		const where = { page: label, url: url.replace(/([?&]csrf=)[^&#]*/gi, '$1…') };
		this.last = where;
		const failed = [];
		const times = {};
		let t0 = Date.now();
		const lap = (k) => {
			const t = Date.now();
			times[k] = (times[k] || 0) + t - t0;
			t0 = t;
		};
		const res = (test, problems, message, details) => {
			if (problems) {
				failed.push(test);
				this.fail(test, message, { ...where, details });
			} else {
				this.pass(test, where);
			}
		};
		console.log(`  [${label}] ${st.user}: ${where.url.replace(this.cfg.baseUrl, '') || '/'}`);
		await page.waitForLoadState('load');

		// The document: status, and post/redirect/get.
		const nav = st.nav;
		const want = opts.status ?? 200;
		if (!nav || nav.url.split('#')[0] !== url.split('#')[0]) {
			res('status', true, `could not tell the document's HTTP status (last navigation response: ${nav ? nav.url : 'none'})`);
		} else {
			res('status', nav.status !== want, `HTTP ${nav.status} (${nav.method}), expected ${want}`);
			res('post/redirect/get', nav.method === 'POST' && nav.status < 300,
				`a successful POST answered ${nav.status} with a page instead of 303 to a GET (reload re-posts the form)`);
		}
		if (opts.url) res('address', !opts.url.test(url), `address ${url} does not match ${opts.url}`);

		// Console errors since the previous visit, less the one Chromium logs
		// for the document's own status (the status check above covers it).
		const errors = st.console.splice(0).filter((e) => !(nav && e.url && e.url.split('#')[0] === nav.url.split('#')[0] &&
			/^Failed to load resource: the server responded with a status of \d+/.test(e.text)));
		res('console', errors.length > 0, `${errors.length} console error(s)`,
			errors.map((e) => e.text + (e.url ? ` — ${e.url}` : '')));

		// At 1280 px.
		await page.setViewportSize(WIDE);
		lap('start');
		await this.shot(page, `${label}-1280`);
		lap('shot');
		const english = await page.evaluate(englishInPage, { allowed: ALLOWED_LATIN, extraSelectors: opts.english || [] });
		res('chinese text', english.length > 0, `English in ${[...new Set(english.map((e) => e.kind))].join(', ')}`,
			english.map((e) => `${e.selector}: "${e.text}" — words ${e.words.map((w) => `"${w}"`).join(', ')}`));
		if (opts.layout !== false) {
			const missing = await page.evaluate(layoutInPage);
			res('site layout', missing.length > 0, `not in the site layout: missing ${missing.join(', ')}`);
		}
		const navInfo = await page.evaluate(navInPage);
		res('navigation', ...this.navProblem(navInfo, opts.nav));
		const secrets = await page.evaluate(secretsInUrlsInPage);
		res('no secret in URLs', secrets.length > 0, 'a CSRF token in an address', secrets);
		lap('checks');
		const axeWide = await this.axe(page);
		lap('axe');
		const wide = await page.evaluate(overflowInPage);
		const sqWide = await page.evaluate(squeezedInPage);
		lap('checks');

		// At 390 px: the same document, narrower (no reload: a POST result stays as it is).
		await page.setViewportSize(NARROW);
		lap('resize');
		await this.shot(page, `${label}-390`);
		lap('shot');
		const axeNarrow = await this.axe(page, AXE_NARROW_RULES);
		lap('axe');
		const narrow = await page.evaluate(overflowInPage);
		const sqNarrow = await page.evaluate(squeezedInPage);
		await page.setViewportSize(WIDE);
		lap('checks');

		const violations = this.mergeAxe(axeWide, axeNarrow);
		res('axe', violations.length > 0,
			`${violations.length} serious/critical axe violation(s): ${violations.map((v) => v.id).join(', ')}`,
			violations.map((v) => `${v.id} (${v.impact}, ${v.count} element(s)${v.widths}): ${v.help} — ${v.targets.join(' | ')}`));
		for (const [w, o] of [[1280, wide], [390, narrow]]) {
			res(`no sideways scrolling at ${w} px`, o.scrollWidth > o.clientWidth,
				`the page is ${o.scrollWidth} px wide in a ${o.clientWidth} px viewport`,
				o.culprits.map((c) => `${c.selector} reaches ${c.right} px (${c.width} px wide)`));
			res(`tables fit at ${w} px`, o.tables.length > 0, `${o.tables.length} table(s) wider than their box`,
				o.tables.map((t) => `${t.selector} is ${t.width} px wide in ${t.container} (${t.containerWidth} px)`));
		}
		for (const [w, sq] of [[1280, sqWide], [390, sqNarrow]]) {
			res(`no one-character lines at ${w} px`, sq.length > 0, `${sq.length} text(s) wrapped one character per line`,
				sq.map((s) => `${s.selector}: "${s.text}" on ${s.lines} lines`));
		}

		if (opts.print) {
			// print: 'landscape' for a record printed across the page (a certificate).
			const landscape = opts.print === 'landscape';
			await page.emulateMedia({ media: 'print' });
			await page.setViewportSize(landscape ? A4_LANDSCAPE_CONTENT : A4_CONTENT);
			const problems = await page.evaluate(printInPage);
			// The PDF as it prints: under the print rules, before the screen's come back.
			await page.pdf({ path: path.join(this.cfg.shots, `${label}-print.pdf`), format: 'A4', landscape, printBackground: true })
				.catch(() => {});
			await page.emulateMedia({ media: 'screen' });
			await page.setViewportSize(WIDE);
			res('print layout (A4)', problems.length > 0, 'does not print clean on A4', problems);
		}
		lap('print');
		this.visits.push({ n, name, url: where.url, user: st.user, failed, ms: times });
		return { url, status: nav ? nav.status : null };
	}

	// The in-page checks on small pages with known defects and known good
	// text; [test, ok, message] each.
	async selfTest(page) {
		const out = [];
		const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
		await page.setViewportSize(NARROW);
		await page.setContent(`<!DOCTYPE html><html lang="zh-CN"><head><title>Not Found - 系统</title></head><body>
			<header class="site"><div class="brand">系统</div></header>
			<nav class="main"><a href="/a" aria-current="page">首页</a><a href="/b" aria-current="page">申报</a><a href="/c">其他</a></nav>
			<main id="main"><section class="error"><h1>Not Found</h1><p class="message">您访问的页面不存在。</p></section>
			<h2>典型经验材料（PDF，SHA-256，20 MiB）</h2>
			<p class="notice">用户 bw0712ent 的文件“材料.pdf”已上传；ISO 9001；GB/T 19001；代码 91230100MA1B2C3D4X</p>
			<p class="error-summary">登录 failed：<code>biaogan-admin calendar import</code></p>
			<p class="hint">A hint in English is not a message.</p>
			<table style="width:600px"><tr><td>宽表格</td></tr></table>
			<table><tr><td style="width:1em">结果</td></tr></table>
			<form action="/x?id=1&amp;csrf=secret"></form></main>
			<footer class="site">页脚</footer></body></html>`);
		const english = await page.evaluate(englishInPage, { allowed: ALLOWED_LATIN, extraSelectors: [] });
		const words = english.map((e) => `${e.kind}:${e.words.join(' ')}`);
		out.push(['English words in the title, headings and messages, not elsewhere',
			same(words, ['title:Not Found', 'heading:Not Found', 'message:failed']), `found ${JSON.stringify(words)}`]);
		const nav = await page.evaluate(navInPage);
		out.push(['two items marked current are found', this.navProblem(nav, '首页')[0] && this.navProblem(nav, undefined)[0],
			`marked ${JSON.stringify(nav.current)}`]);
		const o = await page.evaluate(overflowInPage);
		out.push(['sideways scrolling and the table that causes it are found',
			o.scrollWidth > o.clientWidth && o.tables.length === 1 && o.culprits.some((c) => c.selector.includes('table')),
			`scrollWidth ${o.scrollWidth}, clientWidth ${o.clientWidth}, tables ${JSON.stringify(o.tables)}`]);
		const sq = await page.evaluate(squeezedInPage);
		out.push(['a cell squeezed to one character a line is found, and only that',
			same(sq.map((x) => x.text), ['结果']), `found ${JSON.stringify(sq)}`]);
		const secrets = await page.evaluate(secretsInUrlsInPage);
		out.push(['a CSRF token in a form action is found', secrets.length === 1, `found ${JSON.stringify(secrets)}`]);
		const layout = await page.evaluate(layoutInPage);
		out.push(['the site layout is recognised', layout.length === 0, `missing ${JSON.stringify(layout)}`]);
		await page.setContent('<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><input></body></html>');
		const bare = await page.evaluate(layoutInPage);
		out.push(['a page outside the site layout is recognised', bare.length === 4, `missing ${JSON.stringify(bare)}`]);
		const axe = (await this.axe(page)).map((v) => v.id).sort();
		out.push(['axe reports serious and critical violations', axe.includes('html-has-lang') && axe.includes('label'),
			`found ${JSON.stringify(axe)}`]);
		await page.setViewportSize(WIDE);
		return out;
	}

	navProblem(info, want) {
		const cur = info.current;
		if (want === undefined) {
			return [cur.length > 1, `${cur.length} navigation items marked current (exactly the current section may be): ${cur.join(', ')}`];
		}
		if (want === null) {
			return [cur.length > 0, `no section is current here, but marked: ${cur.join(', ')}`];
		}
		if (!info.present) return [true, `no navigation on the page (expected "${want}" marked current)`];
		const ok = cur.length === 1 && cur[0].startsWith(want + ' (');
		return [!ok, `expected exactly "${want}" marked current, marked: ${cur.length ? cur.join(', ') : 'none'}`];
	}

	async axe(page, rules = null) {
		if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(this.axeSource);
		return page.evaluate(axeInPage, rules);
	}

	mergeAxe(wide, narrow) {
		const out = new Map();
		for (const [w, list] of [[1280, wide], [390, narrow]]) {
			for (const v of list) {
				const o = out.get(v.id);
				if (o) {
					o.seen.push(w);
					o.count = Math.max(o.count, v.count);
				} else {
					out.set(v.id, { ...v, seen: [w] });
				}
			}
		}
		// A rule run at both widths but failing at one says so.
		return [...out.values()].map((v) => ({
			...v,
			widths: AXE_NARROW_RULES.includes(v.id) && v.seen.length === 1 ? `, only at ${v.seen[0]} px` : '',
		}));
	}

	async shot(page, file) {
		await page.screenshot({ path: path.join(this.cfg.shots, `${file}.png`), fullPage: true, animations: 'disabled' });
	}
}
