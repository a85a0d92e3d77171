#!/usr/bin/env node
// The browser walk (issue 7, section 1): the intake as its users meet it,
// in headless Chromium against a running stack.
//
//   the province administrator logs in, creates two city bureau accounts
//   (账户管理 → 新建账户; the one-time password is shown); each city user
//   logs in and changes the forced password; the administrator adds a date
//   to the working-day calendar and creates a round open now (年度遴选 →
//   新建); an enterprise registers, fills in every field of the
//   application, uploads real PDFs (and a wrong type and a file over the
//   limit), submits; its city bureau sees it and downloads the file; the
//   other city gets 404 for the view and the download; the recommendation,
//   the expert pool, the draw and the review; the proposed list, the
//   publicity, a public objection and its handling, the approval, the
//   published list, the certificate (A4 landscape, QR code), the national
//   package and the public verification (issue 13); then the error pages
//   (403, 404 of the web server and of a program, the web server's 413) and
//   logging out.
//
// Every page reached goes through walk.visit() (lib/harness.mjs): full-page
// screenshots at 1280 and 390 px, numbered in visiting order, and the
// checks: HTTP status, post/redirect/get, console errors, Chinese headings
// and messages, site layout, navigation marking, no CSRF token in
// addresses, axe-core (serious/critical), no sideways scrolling, tables
// that fit, no one-character lines.  A later workflow step adds a step()
// here and calls visit() on each of its pages.
//
// Environment (as scripts/test's test_env gives it):
//   BIAOGAN_BASE_URL   the stack, e.g. http://127.0.0.1:18080 (required)
//   BIAOGAN_ADMIN      the biaogan-admin binary (makes the first administrator)
//   BIAOGAN_CONF       the stack's biaogan.conf (or BIAOGAN_RUN_DIR/biaogan.conf)
//   BIAOGAN_BROWSER_OUT  output folder (default .test-logs/browser; the
//                      screenshots go to its screenshots/, plus report.md)
//   BIAOGAN_CHROMIUM   the browser (default /usr/bin/chromium)
// Last line: "N passed, N failed"; exit status 1 when anything failed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { configFromEnv, Walk } from './lib/harness.mjs';
import {
	addAccount, DAQING, importDemoExperts, fileExists, HARBIN, makePdf, NEW_PASSWORD, PASSWORD, PNG_1x1, rawRequest, RUN_ID,
	sha256, shanghaiDate, shanghaiLocal, shanghaiYear, newUscc, writeFile, importCalendar, sql,
} from './lib/fixtures.mjs';

const cfg = configFromEnv();
const missing = [];
if (!cfg.baseUrl) missing.push('BIAOGAN_BASE_URL');
if (!cfg.admin || !fileExists(cfg.admin)) missing.push('BIAOGAN_ADMIN (biaogan-admin binary)');
if (!cfg.conf || !fileExists(cfg.conf)) missing.push('BIAOGAN_CONF (the stack\'s biaogan.conf)');
if (!fileExists(cfg.chromium)) missing.push(`chromium at ${cfg.chromium} (scripts/install-deps installs it)`);
if (missing.length) {
	console.log(`browser walk: needs a running stack and chromium; missing or not found: ${missing.join(', ')}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
}

const w = new Walk(cfg);
// The files the enterprise picks in the file chooser.
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-files-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
// What the steps hand on to each other.
const s = { cities: {} };

const nav = (page, label) => page.locator('nav.main').getByRole('link', { name: label, exact: true });
const button = (scope, label) => scope.getByRole('button', { name: label, exact: true });

// A paged list searched as a user would: its search box, then the list found.
async function search(p, text, visitName, opts) {
	await p.locator('#f-q').fill(text);
	await w.click(p, button(p, '查找'));
	await w.visit(p, visitName, opts);
}

async function logIn(page, login, password) {
	await page.locator('#login').fill(login);
	await page.locator('#password').fill(password);
	await w.click(page, button(page, '登录'));
}

// --- the checks themselves ----------------------------------------------------

// On pages made here (no server): each check finds what it must and no more,
// so that a green walk means the pages are right, not that a check went blind.
w.step('self-test of the page checks', async () => {
	const p = await w.user('self-test');
	const results = await w.selfTest(p);
	for (const [test, ok, message] of results) w.expect(ok, `self-test: ${test}`, message);
	await p.context().close();
});

// --- the province administrator and the city accounts -------------------------

w.step('province administrator logs in', async () => {
	s.admin = addAccount(cfg, { login: `bw${RUN_ID}adm`, name: '走查省工信厅管理员', role: 'province' });
	const p = (s.adminPage = await w.user('province admin'));
	await w.goto(p, '/');
	await w.visit(p, 'login', { nav: null, url: /\/login\?next=/ });
	await logIn(p, s.admin.login, s.admin.password);
	await w.visit(p, 'admin-home', { nav: '首页' });
	w.expect(/\/home$/.test(p.url()), 'administrator reaches /home', `after logging in the address is ${p.url()}`);
});

w.step('administrator creates two city bureau accounts', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '账户管理'));
	await w.visit(p, 'admin-users', { nav: '账户管理' });
	for (const [key, city] of [['harbin', HARBIN], ['daqing', DAQING]]) {
		await w.click(p, p.locator('main').getByRole('link', { name: '新建账户', exact: true }));
		await w.visit(p, 'admin-user-new', { nav: '账户管理' });
		const login = `bw${RUN_ID}${key.slice(0, 3)}`;
		await p.locator('#login').fill(login);
		await p.locator('#display_name').fill(`${city.name}工信局（走查）`);
		await p.locator('#role').selectOption('city');
		await p.locator('#city_code').selectOption({ label: city.name });
		await w.click(p, button(p, '创建账户'));
		await w.visit(p, 'admin-user-created', { nav: '账户管理' });
		const shown = (await p.locator('#created-login').textContent()).trim();
		const password = (await p.locator('#initial-password').textContent()).trim();
		w.must(shown === login && password.length >= 8, `city account ${login} created with a one-time password`,
			`page shows login "${shown}", password "${password}"`);
		s.cities[key] = { login, password, city };
		await w.click(p, p.getByRole('link', { name: '返回账户列表', exact: true }));
		await w.visit(p, 'admin-users', { nav: '账户管理' });
		await search(p, login, 'admin-users-search', { nav: '账户管理' });
		w.expect(await p.locator('table.list tbody tr', { hasText: login }).count() === 1,
			`account list shows ${login}`, `${login} is not in /admin/users`);
	}
	// One account's own page.
	await search(p, s.cities.harbin.login, 'admin-users-search', { nav: '账户管理' });
	await w.click(p, p.locator('table.list').getByRole('link', { name: s.cities.harbin.login, exact: true }));
	await w.visit(p, 'admin-user', { nav: '账户管理' });
}, { needs: ['province administrator logs in'] });

w.step('city users change the forced password', async () => {
	for (const key of ['harbin', 'daqing']) {
		const c = s.cities[key];
		const p = (c.page = await w.user(`${c.city.name} bureau`));
		await w.goto(p, '/login');
		await w.visit(p, 'city-login', { nav: null });
		await logIn(p, c.login, c.password);
		await w.visit(p, 'city-forced-password', { nav: null, url: /\/login\/password$/ });
		await p.locator('#old_password').fill(c.password);
		await p.locator('#new_password').fill(NEW_PASSWORD);
		await p.locator('#new_password2').fill(NEW_PASSWORD);
		await w.click(p, button(p, '保存新密码'));
		await w.visit(p, 'city-home-password-changed', { nav: '首页' });
		w.must(/\/home(\?|$)/.test(p.url()) && (await p.locator('.notice').allTextContents()).join(' ').includes('密码已修改'),
			`${c.login} changed the forced password`, `after the change: ${p.url()}`);
		c.password = NEW_PASSWORD;
	}
}, { needs: ['administrator creates two city bureau accounts'] });

w.step('administrator sees who is online and ends a session', async () => {
	const p = s.adminPage;
	const other = addAccount(cfg, { login: `bw${RUN_ID}onl`, name: '走查在线专家', role: 'expert' });
	const op = await w.user('expert ended by the administrator');
	await w.goto(op, '/login');
	await logIn(op, other.login, other.password);
	await w.visit(op, 'expert-first-login', { nav: '首页' });
	const last = (await op.locator('header.site .last-login').textContent()).trim();
	w.expect(last === '首次登录', 'the header tells a first login', `the header says "${last}"`);
	await w.goto(p, '/admin');
	await w.click(p, p.locator('main').getByRole('link', { name: '在线用户', exact: true }));
	await w.visit(p, 'admin-sessions', { nav: '账户管理' });
	const row = p.locator('table.list tbody tr', { hasText: other.login });
	w.must(await row.count() === 1, `the online users list ${other.login}`, `rows for ${other.login}: ${await row.count()}`);
	const marked = await p.locator('table.list tbody tr', { hasText: '当前会话' }).count();
	w.expect(marked === 1, 'the administrator\'s own session is marked, only it', `rows that say 当前会话: ${marked}`);
	await w.click(p, button(row, `结束会话：${other.login}（登录于 ${(await row.locator('td').nth(3).textContent()).trim()}）`));
	await w.visit(p, 'admin-sessions-ended', { nav: '账户管理' });
	w.expect(await p.locator('table.list tbody tr', { hasText: other.login }).count() === 0,
		`${other.login} is no longer online`, 'the ended session is still listed');
	await op.reload();
	w.expect(/\/login\?next=/.test(op.url()), 'the ended session is sent to the login page', `after the end: ${op.url()}`);
	await op.context().close();
}, { needs: ['province administrator logs in'] });

// RFC 6238 (SHA-1, 30 s, 6 digits), as an authenticator app computes it.
function totpCode(base32, offsetSteps = 0) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of base32) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offsetSteps));
	const mac = crypto.createHmac('sha1', key).update(counter).digest();
	const o = mac[mac.length - 1] & 15;
	return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

w.step('an expert enables the second factor and logs in with it', async () => {
	const acct = addAccount(cfg, { login: `bw${RUN_ID}otp`, name: '走查动态口令专家', role: 'expert' });
	const p = await w.user('expert with a second factor');
	await w.goto(p, '/login');
	await logIn(p, acct.login, acct.password);
	await w.click(p, nav(p, '修改密码'));
	await w.click(p, p.locator('main').getByRole('link', { name: '动态口令（双因素认证）', exact: true }));
	await w.visit(p, 'totp-status', { nav: '修改密码' });
	await w.click(p, button(p, '启用动态口令'));
	await w.visit(p, 'totp-enrol', { nav: '修改密码' });
	const secret = (await p.locator('#totp-secret').textContent()).trim();
	w.must(/^[A-Z2-7]{32}$/.test(secret), 'the enrolment shows the key', `key shown: "${secret}"`);
	const qrOk = await p.locator('img[src="/login/totp/qr"]').evaluate((img) => img.complete && img.naturalWidth > 0);
	w.expect(qrOk, 'the enrolment shows its QR code', 'the QR image did not load');
	const first = totpCode(secret);
	await p.locator('#code').fill(first);
	await w.click(p, button(p, '完成绑定'));
	await w.visit(p, 'totp-codes', { nav: '修改密码' });
	const codes = await p.locator('#recovery-codes li').count();
	w.expect(codes === 10, 'ten recovery codes are shown once', `codes shown: ${codes}`);
	await w.click(p, p.getByRole('link', { name: '继续', exact: true }));
	await w.click(p, button(p.locator('header.site'), '退出'));
	await w.goto(p, '/login');
	await logIn(p, acct.login, acct.password);
	await w.visit(p, 'totp-verify', { nav: null, url: /\/login\/totp$/ });
	// The enrolment's code is spent: the next step's, when it is still now.
	const code = totpCode(secret) === first ? totpCode(secret, 1) : totpCode(secret);
	await p.locator('#code').fill(code);
	await w.click(p, button(p, '验证'));
	await w.visit(p, 'totp-home', { nav: '首页' });
	w.expect(/\/home$/.test(p.url()), 'the second step leads home', `after the code: ${p.url()}`);
	await p.context().close();
}, { needs: ['province administrator logs in'] });

// --- the administrator's calendar and round ----------------------------------

w.step('administrator adds a date to the working-day calendar', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '工作日历'));
	await w.visit(p, 'admin-calendar', { nav: '工作日历' });
	// A Saturday of this year that has no entry yet, as a holiday: a weekend
	// day marked 放假 changes no working-day count, whatever else runs.
	const year = shanghaiYear();
	const taken = new Set((await p.locator('table.list tbody tr td:first-child').allTextContents()).map((t) => t.trim()));
	let date = null;
	for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86400e3)) {
		const iso = d.toISOString().slice(0, 10);
		if (d.getUTCDay() === 6 && !taken.has(iso) && iso >= shanghaiDate(0)) {
			date = iso;
			break;
		}
	}
	if (!date) throw new Error(`no free Saturday left in ${year} for the calendar step`);
	const form = p.locator('form[action="/admin/calendar/add"]');
	await form.getByLabel('日期').fill(date);
	await form.getByLabel('类型').selectOption('holiday');
	await form.getByLabel('名称').fill('走查测试放假');
	await w.click(p, button(form, '添加'));
	await w.visit(p, 'admin-calendar-added', { nav: '工作日历' });
	w.expect(await p.locator(`table.list tbody tr[data-date="${date}"]`, { hasText: '走查测试放假' }).count() === 1, `calendar lists ${date}`,
		`after adding ${date}, the list of ${year} does not show it (${p.url()})`);
}, { needs: ['province administrator logs in'] });

w.step('administrator creates a round open now', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '年度遴选'));
	await w.visit(p, 'admin-rounds', { nav: '年度遴选' });
	const used = new Set((await p.locator('table.rounds tbody td:first-child').allTextContents()).map(Number));
	await w.click(p, p.getByRole('link', { name: '新建年度遴选', exact: true }));
	await w.visit(p, 'admin-round-new', { nav: '年度遴选' });
	// One round per year, and a window open now must lie within a year of
	// the round's year: the form's suggestion (the first year without a
	// round) if it is near, else a free one of this year, the next, the last.
	const now = shanghaiYear();
	let year = Number(await p.locator('#year').inputValue());
	if (!(year >= now - 1 && year <= now + 1 && !used.has(year))) year = [now, now + 1, now - 1].find((y) => !used.has(y));
	if (!year) throw new Error(`the years ${now - 1}-${now + 1} all have a round already: run the walk on a fresh stack`);
	await p.locator('#year').fill(String(year));
	s.roundYear = year;
	s.roundTitle = `${year}年度质量标杆遴选（走查${RUN_ID}）`;
	await p.locator('#title').fill(s.roundTitle);
	await p.locator('#apply_open').fill(shanghaiLocal(-1, 9));
	await p.locator('#apply_close').fill(shanghaiLocal(30, 17));
	await p.locator('#recommend_deadline').fill(shanghaiLocal(60, 17));
	if (!(await p.locator('#default_quota').inputValue())) await p.locator('#default_quota').fill('5');
	// The ten evaluation points: the defaults when the form has them, else 10 each (100).
	for (const input of await p.locator('table.scheme input[type=number]').all()) {
		if (!(await input.inputValue())) await input.fill('10');
	}
	await w.click(p, button(p, '创建'));
	await w.visit(p, 'admin-round', { nav: '年度遴选' });
	w.must((await p.locator('h1').textContent()).includes(s.roundTitle) && /\/admin\/round\?id=\d+/.test(p.url()),
		`round ${year} created`, `after 创建: ${p.url()}, heading "${await p.locator('h1').textContent()}"`);
}, { needs: ['province administrator logs in'] });

w.step('administrator pages: index, audit log, credit-code exceptions', async () => {
	const p = s.adminPage;
	await w.goto(p, '/admin');
	await w.visit(p, 'admin-index');
	await w.click(p, nav(p, '审计日志'));
	// The audit viewer's role, action and object columns are for people: Chinese too.
	await w.visit(p, 'admin-audit', {
		nav: '审计日志',
		english: ['table.list td:nth-child(4)', 'table.list td:nth-child(6)', 'table.list td:nth-child(7)'],
	});
	await w.goto(p, '/admin/uscc');
	await w.visit(p, 'admin-uscc');
}, { needs: ['province administrator logs in'] });

w.step('help and the measures: 使用说明, an article it cites, the footer link', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '使用说明'));
	await w.visit(p, 'admin-help', { nav: '使用说明' });
	await w.click(p, p.locator('#help-province').getByRole('link', { name: '第十二条', exact: true }));
	await w.visit(p, 'measures', { nav: '使用说明', url: /\/home\/measures#art-12$/ });
	w.expect((await p.locator('#art-12').textContent()).includes('公示5个工作日'),
		'the article cited is on the page', 'no 第十二条 text at #art-12');
	// Anyone may read them: a visitor without an account, from any page's footer.
	const v = await w.user('help visitor');
	await w.goto(v, '/login');
	await w.click(v, v.locator('footer.site').getByRole('link'));
	await w.visit(v, 'measures-public', { nav: null, url: /\/home\/measures$/ });
	await v.context().close();
}, { needs: ['province administrator logs in'] });

// --- the enterprise ------------------------------------------------------------

w.step('enterprise registers', async () => {
	const p = (s.entPage = await w.user('enterprise'));
	await w.goto(p, '/login');
	await w.visit(p, 'enterprise-login', { nav: null });
	await w.click(p, p.getByRole('link', { name: '注册账户', exact: true }));
	await w.visit(p, 'apply-register', { nav: null });
	s.ent = {
		name: `黑龙江走查${RUN_ID}精密制造有限公司`,
		uscc: newUscc(HARBIN.code),
		login: `bw${RUN_ID}ent`,
		password: PASSWORD,
	};
	await p.locator('#name').fill(s.ent.name);
	await p.locator('#uscc').fill(s.ent.uscc);
	await p.locator('#city_code').selectOption({ label: HARBIN.name });
	await p.locator('#address').fill('黑龙江省哈尔滨市南岗区学府路 52 号');
	await p.locator('#legal_rep').fill('王建国');
	await p.locator('#contact_name').fill('李晓梅');
	await p.locator('#mobile').fill('13904510000');
	await p.locator('#email').fill(`zoucha${RUN_ID}@example.cn`);
	await p.locator('#ent_type').selectOption({ label: '有限责任公司' });
	await p.locator('#login').fill(s.ent.login);
	await p.locator('#password').fill(s.ent.password);
	await p.locator('#password2').fill(s.ent.password);
	await w.click(p, button(p, '注册'));
	await w.visit(p, 'enterprise-apply', { nav: '企业申报' });
	w.must(/\/apply(\?|$)/.test(p.url()) && (await p.locator('main h2').first().textContent()).includes(s.ent.name),
		'enterprise registered and logged in', `after 注册: ${p.url()}`);
});

// Every field of the application form (htdocs/templates/apply_edit.html):
// category (4), SME figures of a medium industrial enterprise, the industry
// "other" with its name, all 8 indicators, both years' profits, the
// declarations.
function applicationFields() {
	const f = {
		'#method': '卓越绩效模式与数字化质量管控',
		'#title': '以数据驱动的全过程质量管控体系',
		'#abstract': '本企业自2018年起推行全过程质量管控，建立覆盖研发、采购、制造、交付的质量数据平台。\n五年来一次交检合格率由96.5%提升到99.3%，顾客投诉下降83%。',
		'#crit_innovation': '结合企业实际，将卓越绩效模式与统计过程控制相结合，形成“数据采集—分析—改进—固化”的闭环方法。',
		'#crit_system': '最高管理者亲自推动，设立质量委员会，制度覆盖全部关键过程，资源保障到位，实施过程有记录可查。',
		'#crit_effect': '质量和效益指标明显提升，在同行业处于领先水平，方法已在集团内三家企业推广，具有普遍适用性。',
		'#industry_other': '工业软件',
		'#employees': '450',
		'#revenue': '8000',
		'#assets': '12000.50',
		'#certifications': 'ISO 9001 质量管理体系认证；ISO 14001 环境管理体系认证',
		'#method_years': '6',
		'#profit_1': '1200.5',
		'#profit_2': '980',
		'#dishonest_checked': shanghaiDate(-3),
	};
	const indicators = [
		['一次交检合格率', '%', '96.5', '99.3'], ['顾客投诉', '件/年', '42', '7'],
		['质量损失率', '%', '2.1', '0.8'], ['准时交付率', '%', '91', '98.6'],
		['单位产品能耗', '千克标准煤/吨', '310', '268'], ['人均产值', '万元/人', '82', '117'],
		['新产品贡献率', '%', '18', '35'], ['供应商来料合格率', '%', '97.2', '99.5'],
	];
	indicators.forEach(([name, unit, before, after], i) => {
		f[`[name=ind_name_${i + 1}]`] = name;
		f[`[name=ind_unit_${i + 1}]`] = unit;
		f[`[name=ind_before_${i + 1}]`] = before;
		f[`[name=ind_after_${i + 1}]`] = after;
	});
	return f;
}

async function fillApplication(p, over = {}) {
	const form = p.locator('#application-form');
	await form.locator('input[name=scope][value="4"]').check();
	await form.locator('#industry').selectOption('99');
	await form.locator('#sme_industry').selectOption({ label: '工业' });
	for (const [sel, value] of Object.entries({ ...applicationFields(), ...over })) await form.locator(sel).fill(value);
	await form.locator('input[name=not_dishonest]').check();
	await form.locator('input[name=exchange_commitment]').check();
}

// Chooses file in the file field of kind (#file-<kind>, the id its label
// points to; file_<kind> inside the one application form) and presses
// 上传所选文件, which sends the whole form (and saves the draft).
async function upload(p, kind, file) {
	const form = p.locator('#application-form');
	await form.locator(`#file-${kind}`).setInputFiles(file.path);
	await w.click(p, button(form, '上传所选文件'));
}

// A refused upload: the reason (.field-error, role=alert) right after the
// kind's file field, which points to it (aria-invalid, aria-describedby).
async function refusedNextToField(p, kind, test, what) {
	const reason = p.locator(`#upload-${kind} #upload-result-${kind}.field-error[role=alert]`);
	const text = (await reason.count()) === 1 ? (await reason.textContent()).trim() : '';
	const input = p.locator(`#file-${kind}`);
	const invalid = (await input.count()) === 1 ? await input.getAttribute('aria-invalid') : null;
	const described = (await input.count()) === 1 ? await input.getAttribute('aria-describedby') : null;
	w.expect(text !== '' && invalid === 'true' && (described || '').split(/\s+/).includes(`upload-result-${kind}`), test,
		`after ${what}: reason "${text}" in #upload-result-${kind}; #file-${kind} aria-invalid=${invalid}, aria-describedby=${described}`);
}

w.step('enterprise fills in, uploads and submits the application', async () => {
	const p = s.entPage;
	const row = p.locator('#open-rounds tbody tr', { hasText: s.roundTitle });
	await w.click(p, button(row, '填写申报书'));
	await w.visit(p, 'apply-edit', { nav: '企业申报' });
	const id = new URL(p.url()).searchParams.get('id');
	if (!/^\d+$/.test(id || '')) throw new Error(`the application form's address has no id: ${p.url()}`);
	s.appId = id;
	const here = new RegExp(`/apply/edit\\?(.*&)?id=${id}(&|#|$)`);

	// A typing error first: the form comes back with the reason, the input
	// kept, at the application's own address.
	await fillApplication(p, { '#revenue': '八千' });
	await w.click(p, button(p, '保存草稿'));
	await w.visit(p, 'apply-edit-invalid', { nav: '企业申报', status: 422, url: here });
	w.expect(await p.locator('#revenue + .field-error').count() > 0,
		'a wrong amount is refused with the reason next to it', 'no .field-error after #revenue');
	w.expect(await p.locator('#revenue').inputValue() === '八千', 'the refused input is kept',
		`#revenue holds "${await p.locator('#revenue').inputValue()}"`);

	await fillApplication(p);
	await w.click(p, button(p, '保存草稿'));
	await w.visit(p, 'apply-edit-saved', { nav: '企业申报', url: here });

	// The files, as real PDFs.  Text typed but not saved yet must survive an upload.
	s.files = {
		experience: writeFile(TMP, '典型经验材料.pdf', makePdf(`experience ${RUN_ID}`)),
		commitment: writeFile(TMP, '签字盖章的承诺书.pdf', makePdf(`commitment ${RUN_ID}`)),
		supporting: writeFile(TMP, '佐证材料一.pdf', makePdf(`supporting ${RUN_ID}`)),
	};
	const unsaved = '（上传前补充、尚未保存的一句话）';
	const abstract = await p.locator('#abstract').inputValue();
	await p.locator('#abstract').fill(abstract + unsaved);
	await upload(p, 'experience', s.files.experience);
	await w.visit(p, 'apply-uploaded-experience', { nav: '企业申报', url: here });
	w.expect((await p.locator('#abstract').inputValue()).includes(unsaved), 'an upload keeps the text typed before it',
		'the sentence typed into 摘要 before the upload (not saved) is gone after it');
	await p.locator('#abstract').fill(abstract);
	for (const kind of ['experience', 'commitment', 'supporting']) {
		if (kind !== 'experience') {
			await upload(p, kind, s.files[kind]);
			await w.visit(p, `apply-uploaded-${kind}`, { nav: '企业申报', url: here });
		}
		w.expect(await p.locator(`#attachment-list tr[data-kind=${kind}]`, { hasText: s.files[kind].name }).count() === 1,
			`${kind} file listed after its upload`, `${s.files[kind].name} is not in #attachment-list`);
	}

	// Refused uploads: an image as the experience document, a file over the limit.
	await upload(p, 'experience', writeFile(TMP, '典型经验材料（扫描件）.pdf', PNG_1x1));
	await w.visit(p, 'apply-upload-wrong-type', { nav: '企业申报', status: 415 });
	await refusedNextToField(p, 'experience', 'a wrong file type is refused with the reason next to its field',
		'uploading a PNG as the experience document');
	await upload(p, 'supporting', writeFile(TMP, '佐证材料（过大）.pdf', makePdf('large', 21 * 1024 * 1024)));
	await w.visit(p, 'apply-upload-too-large', { nav: '企业申报', status: 413 });
	await refusedNextToField(p, 'supporting', 'a file over the size limit is refused with the reason next to its field',
		'uploading 21 MiB as a supporting document');

	// Deleting a file asks first (a GET page), then 303s back to the form.
	const extra = writeFile(TMP, '佐证材料二（多余）.pdf', makePdf(`extra ${RUN_ID}`));
	await upload(p, 'supporting', extra);
	await w.visit(p, 'apply-uploaded-extra', { nav: '企业申报', url: here });
	const extraRow = p.locator('#attachment-list tr[data-kind=supporting]', { hasText: extra.name });
	w.must(await extraRow.count() === 1, 'a second supporting file is listed', `${extra.name} is not in #attachment-list`);
	await w.click(p, extraRow.getByRole('link', { name: '删除', exact: true }));
	await w.visit(p, 'apply-delete-file-confirm', { nav: '企业申报', url: /\/apply\/delete-file\?/ });
	w.expect((await p.locator('#delete-file-name').textContent()).trim() === extra.name,
		'the confirmation names the file to delete', `#delete-file-name is "${await p.locator('#delete-file-name').textContent()}"`);
	await w.click(p, button(p.locator('main'), '确认删除'));
	await w.visit(p, 'apply-file-deleted', { nav: '企业申报', url: here });
	w.expect(await p.locator('#attachment-list tr', { hasText: extra.name }).count() === 0, 'the deleted file is gone',
		`${extra.name} is still in #attachment-list`);
	w.expect(await p.locator('#attachment-list tr[data-kind=supporting]', { hasText: s.files.supporting.name }).count() === 1,
		'the other supporting file stays', `${s.files.supporting.name} is no longer listed`);

	// Back on the form: every condition met, then submit.
	await w.goto(p, `/apply/edit?id=${id}`);
	await w.visit(p, 'apply-edit-complete', { nav: '企业申报' });
	const blocking = await p.locator('#checklist tr[data-state=missing], #checklist tr[data-state=fail]').allTextContents();
	w.expect(blocking.length === 0, 'the eligibility checklist is met',
		`still blocking: ${blocking.map((t) => t.replace(/\s+/g, ' ').trim()).join(' / ')}`);
	await w.click(p, button(p, '保存并提交'));
	await w.visit(p, 'apply-view-submitted', { nav: '企业申报', print: true });
	w.must(await p.locator('#app-status').getAttribute('data-status') === 'submitted', 'the application is submitted',
		`#app-status is "${await p.locator('#app-status').textContent()}" at ${p.url()}`);
	s.fileIds = {};
	for (const kind of ['experience', 'commitment', 'supporting']) {
		s.fileIds[kind] = await p.locator(`#attachment-list tr[data-kind=${kind}]`).getAttribute('data-attachment');
	}
	await w.click(p, nav(p, '首页'));
	await w.visit(p, 'enterprise-home', { nav: '首页' });
	w.expect(await p.locator('#home-applications tbody tr').count() >= 1, 'the enterprise home lists its application',
		'no row in #home-applications');
}, { needs: ['enterprise registers', 'administrator creates a round open now'] });

// --- the city bureaus ------------------------------------------------------------

w.step('its city bureau sees the application and downloads the file', async () => {
	const p = s.cities.harbin.page;
	await w.click(p, nav(p, '企业申报'));
	await w.visit(p, 'city-applications', { nav: '企业申报' });
	await search(p, s.ent.name, 'city-applications-search', { nav: '企业申报' });
	const row = p.locator('#applications tbody tr', { hasText: s.ent.name });
	w.expect(await row.count() === 1, `${HARBIN.name} bureau lists the application`, `${s.ent.name} not in /apply/city`);
	await w.click(p, row.getByRole('link', { name: '查看', exact: true }));
	await w.visit(p, 'city-application-view', { nav: '企业申报', print: true });
	const link = p.locator('#attachment-list a', { hasText: s.files.experience.name });
	const dl = await w.download(p, link);
	const got = fs.readFileSync(await dl.path());
	w.expect(sha256(got) === sha256(s.files.experience.buffer), 'the city bureau downloads the very file uploaded',
		`downloaded ${got.length} bytes, sha256 ${sha256(got)}; uploaded ${s.files.experience.buffer.length}`);
	w.expect(dl.suggestedFilename() === s.files.experience.name, 'the download keeps the file name',
		`suggested file name "${dl.suggestedFilename()}"`);
}, { needs: ['city users change the forced password', 'enterprise fills in, uploads and submits the application'] });

w.step('the other city bureau cannot see it', async () => {
	const p = s.cities.daqing.page;
	await w.click(p, nav(p, '企业申报'));
	await w.visit(p, 'other-city-applications', { nav: '企业申报' });
	await search(p, s.ent.name, 'other-city-applications-search', { nav: '企业申报' });
	w.expect(await p.locator('#applications tbody tr', { hasText: s.ent.name }).count() === 0,
		`${DAQING.name} bureau does not list a ${HARBIN.name} application`, `${s.ent.name} is listed`);
	await w.goto(p, `/apply/view?id=${s.appId}`);
	await w.visit(p, 'other-city-view-404', { status: 404 });
	await w.goto(p, `/files/download?id=${s.fileIds.experience}`);
	await w.visit(p, 'other-city-download-404', { status: 404 });
}, { needs: ['city users change the forced password', 'enterprise fills in, uploads and submits the application'] });

w.step('the province sees the application of every city', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '企业申报'));
	await w.visit(p, 'province-applications', { nav: '企业申报' });
	await search(p, s.ent.name, 'province-applications-search', { nav: '企业申报' });
	w.expect(await p.locator('#applications tbody tr', { hasText: s.ent.name }).count() === 1,
		'the province lists the application', `${s.ent.name} not in /apply/city`);
}, { needs: ['enterprise fills in, uploads and submits the application'] });

// --- the city's review and recommendation (issue 10) ----------------------------

// 审核推荐 and 市（地）推荐 open on the current round; with other rounds open (a test
// database has many), the walk's own is chosen in the round selector.
async function walksRound(c, name, navLabel = '审核推荐') {
	const option = c.locator('form.rounds-select #round option', { hasText: s.roundTitle });
	if (await option.count() !== 1 || await option.evaluate((o) => o.selected)) return;
	await c.locator('form.rounds-select #round').selectOption(await option.getAttribute('value'));
	await w.click(c, button(c.locator('form.rounds-select'), '切换'));
	await w.visit(c, name, { nav: navLabel, url: /\/recommend(\/province)?\?round=\d+/ });
}

w.step('city bureau returns the application, the enterprise resubmits, the city recommends', async () => {
	const c = s.cities.harbin.page;
	const e = s.entPage;
	const appStatus = async (p) => p.locator('#app-status').getAttribute('data-status');

	// 审核推荐: the list, then the application; returned with a reason.
	await w.click(c, nav(c, '审核推荐'));
	await w.visit(c, 'recommend-index', { nav: '审核推荐' });
	await walksRound(c, 'recommend-index-round');
	const row = c.locator('#applications tbody tr', { hasText: s.ent.name });
	w.must(await row.count() === 1, `${HARBIN.name} bureau's 审核推荐 lists the application`, `${s.ent.name} not in /recommend`);
	await w.click(c, row.getByRole('link', { name: '审核', exact: true }));
	await w.visit(c, 'recommend-app', { nav: '审核推荐', url: new RegExp(`/recommend/app\\?id=${s.appId}$`) });
	const reason = '典型经验材料中“实施后”指标缺少统计口径说明，请补充后重新提交。';
	await c.locator('#return-reason').fill(reason);
	await w.click(c, button(c.locator('#form-return'), '退回修改'));
	await w.visit(c, 'recommend-app-returned', { nav: '审核推荐', url: /\/recommend\/app\?id=\d+&done=/ });
	w.must(await appStatus(c) === 'returned', 'the city returns the application', `#app-status is "${await appStatus(c)}"`);
	w.expect((await c.locator('#returns').textContent()).includes(reason), 'the return is recorded with its reason',
		'#returns does not show the reason');

	// The enterprise sees the reason on its home page and in the form, and resubmits.
	await w.click(e, nav(e, '首页'));
	await w.visit(e, 'enterprise-home-returned', { nav: '首页' });
	w.expect((await e.locator('#home-applications').textContent()).includes(reason),
		'the enterprise home shows the return reason', '#home-applications does not show it');
	// ... and the notice of it in its inbox (通知), which it reads and marks read.
	w.expect(await e.locator('#inbox li[data-kind="app.returned"]').count() === 1,
		'the enterprise home has the notice of the return', '#inbox has no app.returned notice');
	await w.click(e, e.locator('#inbox').getByRole('link', { name: '全部通知', exact: true }));
	await w.visit(e, 'notices', { nav: '首页', url: /\/home\/notices\?show=all$/ });
	w.expect((await e.locator('#notices li[data-kind="app.returned"]').textContent()).includes('被退回修改'),
		'the inbox lists the return', '#notices has no app.returned line');
	await w.click(e, button(e, '全部标为已读'));
	await w.visit(e, 'notices-read', { nav: '首页', url: /\/home\/notices\?done=1$/ });
	w.expect(await e.locator('#notices-empty').count() === 1, 'marked read, no unread notice is left',
		'#notices-empty is missing after 全部标为已读');
	await w.goto(e, `/apply/edit?id=${s.appId}`);
	await w.visit(e, 'apply-edit-returned', { nav: '企业申报' });
	w.expect((await e.locator('#return-reason').textContent()).includes(reason),
		'the application form shows the return reason', '#return-reason does not show it');
	await e.locator('#abstract').fill(`${await e.locator('#abstract').inputValue()}\n（已按退回意见补充指标统计口径。）`);
	await w.click(e, button(e, '保存并提交'));
	await w.visit(e, 'apply-view-resubmitted', { nav: '企业申报' });
	w.must(await appStatus(e) === 'submitted', 'the enterprise resubmits the returned application',
		`#app-status is "${await appStatus(e)}" at ${e.url()}`);

	// The city recommends it with an opinion and a rank.
	await w.click(c, nav(c, '审核推荐'));
	await w.visit(c, 'recommend-index-resubmitted', { nav: '审核推荐' });
	await walksRound(c, 'recommend-index-resubmitted-round');
	await c.locator('#f-q').fill(s.ent.name);
	await w.click(c, button(c.locator('#list-filters'), '筛选'));
	await w.visit(c, 'recommend-index-search', { nav: '审核推荐', url: /\/recommend\?.*q=/ });
	await w.click(c, c.locator('#applications tbody tr', { hasText: s.ent.name }).getByRole('link', { name: '审核', exact: true }));
	await w.visit(c, 'recommend-app-resubmitted', { nav: '审核推荐' });
	const opinion = '该企业质量管理体系健全，指标改善显著，方法具有推广价值，同意推荐。';
	const form = c.locator('#form-recommend');
	await form.locator('#opinion').fill(opinion);
	await form.locator('#rank').fill('1');
	await w.click(c, button(form, '推荐'));
	await w.visit(c, 'recommend-app-recommended', { nav: '审核推荐', url: /\/recommend\/app\?id=\d+&done=/ });
	w.must(await appStatus(c) === 'recommended', 'the city recommends the application', `#app-status is "${await appStatus(c)}"`);
	w.expect((await c.locator('#decision-opinion').textContent()).includes(opinion) &&
		(await c.locator('#decision').textContent()).includes('第 1 名'),
	'the decision shows the opinion and the rank', `#decision: "${(await c.locator('#decision').textContent()).trim()}"`);

	// 推荐批次: the list, submitted to the province; then the letter.
	await w.click(c, c.locator('main').getByRole('link', { name: '推荐批次', exact: true }));
	await w.visit(c, 'recommend-batch', { nav: '审核推荐' });
	w.expect(await c.locator('#batch-list tbody tr', { hasText: s.ent.name }).count() === 1,
		'the batch lists the recommended application', `${s.ent.name} not in #batch-list`);
	await w.click(c, button(c.locator('#batch-submit'), '提交省工信厅'));
	await w.visit(c, 'recommend-batch-submitted', { nav: '审核推荐', url: /\/recommend\/batch\?/ });
	w.must(await c.locator('#batch-summary').getAttribute('data-state') === 'submitted', 'the city submits the batch',
		`#batch-summary data-state is "${await c.locator('#batch-summary').getAttribute('data-state')}"`);
	await w.click(c, c.locator('main').getByRole('link', { name: '推荐函（打印）', exact: true }));
	await w.visit(c, 'recommend-letter', { nav: '审核推荐', print: true });
	w.expect(await c.locator('#letter-list tbody tr', { hasText: s.ent.name }).count() === 1 &&
		await c.locator('#letter-draft').count() === 0,
	'the letter lists the enterprise and is no longer a draft', `at ${c.url()}`);

	// The province sees the batch under 市（地）推荐.
	const p = s.adminPage;
	await w.click(p, nav(p, '市（地）推荐'));
	await w.visit(p, 'province-recommend', { nav: '市（地）推荐' });
	await walksRound(p, 'province-recommend-round', '市（地）推荐');
	const city = p.locator(`#overview tbody tr[data-city="${HARBIN.code}"]`);
	w.expect(await city.getAttribute('data-state') === 'submitted' &&
		await city.locator('td[data-used]').getAttribute('data-used') === '1',
	`the province sees ${HARBIN.name}'s submitted batch`,
	`#overview row ${HARBIN.code}: state "${await city.getAttribute('data-state')}", used "${await city.locator('td[data-used]').getAttribute('data-used')}"`);
	await w.click(p, city.getByRole('link', { name: '推荐批次', exact: true }));
	await w.visit(p, 'province-recommend-batch', { nav: '市（地）推荐' });
	w.expect(await p.locator('#batch-list tbody tr', { hasText: s.ent.name }).count() === 1,
		'the province opens the batch and sees the application', `${s.ent.name} not in #batch-list`);
}, { needs: ['city users change the forced password', 'enterprise fills in, uploads and submits the application'] });

// A second enterprise, in the other city: it applies with its own PDFs; its
// bureau learns of it from its inbox and does not recommend it; the
// enterprise learns of that from its own.
w.step('an enterprise of the other city applies; its bureau does not recommend it; both are told', async () => {
	const p = await w.user('enterprise of the other city');
	const ent = { name: `大庆走查${RUN_ID}石化装备有限公司`, login: `bw${RUN_ID}dq` };
	await w.goto(p, '/apply/register');
	await w.visit(p, 'apply-register-other-city', { nav: null });
	await p.locator('#name').fill(ent.name);
	await p.locator('#uscc').fill(newUscc(DAQING.code));
	await p.locator('#city_code').selectOption({ label: DAQING.name });
	await p.locator('#address').fill('黑龙江省大庆市让胡路区西宾路 18 号');
	await p.locator('#legal_rep').fill('赵立新');
	await p.locator('#contact_name').fill('孙海燕');
	await p.locator('#mobile').fill('13904590000');
	await p.locator('#email').fill(`daqing${RUN_ID}@example.cn`);
	await p.locator('#ent_type').selectOption({ label: '有限责任公司' });
	await p.locator('#login').fill(ent.login);
	await p.locator('#password').fill(PASSWORD);
	await p.locator('#password2').fill(PASSWORD);
	await w.click(p, button(p, '注册'));
	await w.visit(p, 'enterprise-apply-other-city', { nav: '企业申报' });
	await w.click(p, button(p.locator('#open-rounds tbody tr', { hasText: s.roundTitle }), '填写申报书'));
	await w.visit(p, 'apply-edit-other-city', { nav: '企业申报' });
	await fillApplication(p, { '#title': '炼化装备全生命周期质量追溯', '#method': '六西格玛管理' });
	for (const kind of ['experience', 'commitment']) {
		await upload(p, kind, writeFile(TMP, `大庆${kind === 'experience' ? '典型经验材料' : '承诺书'}.pdf`, makePdf(`${kind} daqing ${RUN_ID}`)));
		await w.visit(p, `apply-uploaded-${kind}-other-city`, { nav: '企业申报' });
	}
	await w.click(p, button(p, '保存并提交'));
	await w.visit(p, 'apply-view-submitted-other-city', { nav: '企业申报' });
	w.must(await p.locator('#app-status').getAttribute('data-status') === 'submitted',
		`the ${DAQING.name} enterprise submits its application`, `#app-status at ${p.url()}`);

	// Its bureau: the notice on its home page leads to the application.
	const c = s.cities.daqing.page;
	await w.click(c, nav(c, '首页'));
	await w.visit(c, 'other-city-home-notice', { nav: '首页' });
	const notice = c.locator('#inbox li[data-kind="app.submitted"]', { hasText: ent.name });
	w.must(await notice.count() === 1, `${DAQING.name} bureau's home has the notice of the submission`,
		`no app.submitted notice naming ${ent.name} in #inbox`);
	await w.click(c, notice.getByRole('link'));
	await w.visit(c, 'other-city-recommend-app', { nav: '审核推荐', url: /\/recommend\/app\?id=\d+$/ });
	const reason = '典型经验与本市重点产业关联度不高，示范性不足，本年度不予推荐。';
	await c.locator('#decline-reason').fill(reason);
	await w.click(c, button(c.locator('#form-decline'), '不予推荐'));
	await w.visit(c, 'other-city-declined', { nav: '审核推荐', url: /\/recommend\/app\?id=\d+&done=/ });
	w.must(await c.locator('#app-status').getAttribute('data-status') === 'not_recommended',
		`${DAQING.name} bureau does not recommend it`, `#app-status is "${await c.locator('#app-status').getAttribute('data-status')}"`);

	// The enterprise is told on its home page and reads why on its application.
	await w.click(p, nav(p, '首页'));
	await w.visit(p, 'other-city-enterprise-home', { nav: '首页' });
	const told = p.locator('#inbox li[data-kind="app.declined"]');
	w.must(await told.count() === 1, 'the enterprise home has the notice that it was not recommended',
		'no app.declined notice in #inbox');
	await w.click(p, told.getByRole('link'));
	await w.visit(p, 'other-city-enterprise-view', { nav: '企业申报', url: /\/apply\/view\?id=\d+$/ });
	w.expect((await p.locator('main').textContent()).includes(reason), 'the application shows the reason it was not recommended',
		'the reason is not on /apply/view');
	await p.context().close();
}, { needs: ['city users change the forced password', 'administrator creates a round open now'] });

// --- the expert pool (issue 11, annex part one) -------------------------------------

// An expert's line of an import file (UTF-8 with BOM, CRLF, as Excel saves
// "CSV UTF-8"); mobile numbers 15x unique to the run.
const EXPERT_HEADER = ['姓名', '工作单位', '单位统一社会信用代码', '单位类型', '职称', '职称级别',
	'质量管理教学或实践年限', '专业领域', '来源', '推荐单位', '手机号码', '电子邮箱',
	'声明：遵纪守法、无不良信用记录', '声明：身体健康、能独立完成评审', '回避企业'];
const expertMobile = (i) => `15${RUN_ID.slice(-8)}${i}`;
function expertCsv(lines) {
	const cell = (v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
	return Buffer.from('\ufeff' + [EXPERT_HEADER, ...lines].map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
}

w.step('administrator maintains the expert pool: import, a new expert, a suspension', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '专家库'));
	await w.visit(p, 'experts-index', { nav: '专家库' });
	await w.click(p, p.locator('main').getByRole('link', { name: '导入专家（CSV）', exact: true }));
	await w.visit(p, 'experts-import', { nav: '专家库' });

	const org = `走查质量研究院${RUN_ID}`;
	const good = [
		['走查专家甲', org, '', '协会学会', '研究员', '正高级', '18', '卓越绩效；质量奖评审', '单位推荐', '黑龙江省质量协会', expertMobile(1), 'jia@example.com', '是', '是', ''],
		['走查专家乙', org, '', '协会学会', '高级工程师', '副高级', '9', '质量管理体系\n内部审核', '公开征集', '', expertMobile(2), 'yi@example.com', '是', '是', ''],
		['走查专家丙', '哈尔滨工业大学', '', '高等院校', '教授', '正高级', '20', '可靠性工程', '公开征集', '', expertMobile(3), 'bing@example.com', '是', '是',
			'91230100MA1B2C3D49/咨询/哈尔滨示范企业有限公司'],
	];
	// A file with bad lines first: nothing is imported, every bad line is listed.
	const bad = [good[0],
		['走查专家丁', org, '', '协会学会', '工程师', '中级及以下', '2', '质量检验', '公开征集', '', expertMobile(4), 'ding@example.com', '是', '是', ''],
		['走查专家戊', org, '', '协会', '研究员', '正高级', '10', '标准化', '公开征集', '', '1380000', 'wu@example.com', '是', '否', '']];
	await p.locator('#file').setInputFiles(writeFile(TMP, '专家库（有误）.csv', expertCsv(bad)).path);
	await w.click(p, button(p.locator('#import-form'), '检查并导入'));
	await w.visit(p, 'experts-import-refused', { nav: '专家库', status: 422, url: /\/experts\/import$/ });
	const lines = await p.locator('#import-errors tbody tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.line}${r.dataset.column}`));
	w.expect(JSON.stringify(lines) === JSON.stringify(['3F', '3G', '4D', '4K', '4N']),
		'a bad file lists every bad line with its line and column', `#import-errors rows: ${lines.join(' ')}`);

	await p.locator('#file').setInputFiles(writeFile(TMP, '专家库.csv', expertCsv(good)).path);
	await w.click(p, button(p.locator('#import-form'), '检查并导入'));
	await w.visit(p, 'experts-import-result', { nav: '专家库', url: /\/experts\/import\/result\?id=\d+$/ });
	const summary = (await p.locator('#import-summary').textContent()).replace(/\s+/g, '');
	w.must(summary.includes('新增3位专家'), 'a good file is imported, three experts added', `#import-summary: ${summary}`);
	await w.click(p, p.locator('main').getByRole('link', { name: '返回专家库', exact: true }));
	await w.visit(p, 'experts-index-imported', { nav: '专家库' });
	await p.locator('#f-q').fill(org);
	await w.click(p, button(p.locator('#expert-filters'), '筛选'));
	await w.visit(p, 'experts-index-filtered', { nav: '专家库' });
	const mobiles = await p.locator('#experts td.mobile').allTextContents();
	w.expect(mobiles.length === 2 && mobiles.every((m) => /^15\d\*\*\*\*\d{4}$/.test(m.trim())),
		'the list shows the mobile numbers masked', `mobiles in the list: ${mobiles.join(', ')}`);

	// One by the form: refused first (a title below the annex's condition), then entered.
	await w.click(p, p.locator('main').getByRole('link', { name: '新增专家', exact: true }));
	await w.visit(p, 'experts-new', { nav: '专家库' });
	const form = p.locator('#expert-form');
	await form.locator('#name').fill('走查专家己');
	await form.locator('#org_name').fill('中国第一重型机械集团公司');
	await form.locator('#org_type').selectOption({ label: '重点企业' });
	await form.locator('#title').fill('工程师');
	await form.locator('#title_level').selectOption({ label: '中级及以下' });
	await form.locator('#years').fill('12');
	await form.locator('#specialties').fill('大型铸锻件质量；无损检测');
	await form.locator('#source').selectOption({ label: '公开征集' });
	await form.locator('#mobile').fill(expertMobile(5));
	await form.locator('#email').fill('ji@example.com');
	await form.locator('#declared_integrity').check();
	await form.locator('#declared_health').check();
	await w.click(p, button(form, '入库'));
	await w.visit(p, 'experts-new-refused', { nav: '专家库', status: 422, url: /\/experts\/new$/ });
	const reason = await p.locator('#title_level + .field-error').textContent().catch(() => '');
	w.expect(reason.includes('须具有副高级及以上专业技术职称'), 'a title below 副高级 is refused with the annex\'s reason',
		`the message after 职称级别: "${reason}"`);
	w.expect(await p.locator('#name').inputValue() === '走查专家己', 'the refused input is kept',
		`#name holds "${await p.locator('#name').inputValue()}"`);
	await form.locator('#title').fill('正高级工程师');
	await form.locator('#title_level').selectOption({ label: '正高级' });
	await w.click(p, button(form, '入库'));
	await w.visit(p, 'experts-view-created', { nav: '专家库', url: /\/experts\/view\?id=\d+&done=created$/ });
	w.expect((await p.locator('#expert-mobile').textContent()).trim() === expertMobile(5),
		'the expert\'s page shows the full mobile number', `#expert-mobile: ${await p.locator('#expert-mobile').textContent()}`);

	// Suspended until a date, with a reason.
	const suspend = p.locator('#form-suspend');
	await suspend.locator('#suspend_until').fill(shanghaiDate(30));
	await suspend.locator('#suspend_reason').fill('评审期间因公出国，本人申请暂停。');
	await w.click(p, button(suspend, '暂停'));
	await w.visit(p, 'experts-view-suspended', { nav: '专家库', url: /\/experts\/view\?id=\d+&done=suspended$/ });
	w.expect(await p.locator('#expert-status').getAttribute('data-status') === 'suspended' &&
		(await p.locator('#expert-status').textContent()).includes(shanghaiDate(30)),
	'the expert is suspended until the date', `#expert-status: ${await p.locator('#expert-status').textContent()}`);

	// Its account, the password shown once on its own page.
	await w.click(p, button(p.locator('#form-account'), '开通账户'));
	await w.visit(p, 'experts-account-password', { nav: '专家库', url: /\/experts\/account\/password\?id=\d+$/ });
	const pw = (await p.locator('#initial-password').textContent().catch(() => '')).trim();
	w.expect(pw.length >= 8, 'the expert\'s account is opened with a one-time password', `#initial-password: "${pw}"`);

	// One of the imported experts, viewed from the list.
	await w.click(p, nav(p, '专家库'));
	await w.visit(p, 'experts-index-again', { nav: '专家库' });
	await p.locator('#f-q').fill('走查专家丙');
	await w.click(p, button(p.locator('#expert-filters'), '筛选'));
	await w.visit(p, 'experts-index-search', { nav: '专家库' });
	await w.click(p, p.locator('#experts').getByRole('link', { name: '走查专家丙', exact: true }).first());
	await w.visit(p, 'experts-view', { nav: '专家库', url: /\/experts\/view\?id=\d+$/ });
	w.expect(await p.locator('#relation-list tr[data-uscc="91230100MA1B2C3D49"]').count() === 1,
		'the imported relation is on the expert\'s page', 'no row for 91230100MA1B2C3D49 in #relation-list');
	await w.click(p, p.locator('#expert').getByRole('link', { name: '修改信息', exact: true }));
	await w.visit(p, 'experts-edit', { nav: '专家库', url: /\/experts\/edit\?id=\d+$/ });
}, { needs: ['province administrator logs in'] });

// --- review sessions and the supervised expert draw (issue 11) -------------------

w.step('administrator draws a panel with the supervisor, replaces an expert, reveals, prints the record', async () => {
	const p = s.adminPage;
	importDemoExperts(cfg);
	// The supervisor's account; they log in and read the draw pages and the audit log.
	s.supervisor = addAccount(cfg, { login: `bw${RUN_ID}sup`, name: '走查纪检监督', role: 'supervisor' });
	const v = (s.supervisorPage = await w.user('supervisor'));
	await w.goto(v, '/login');
	await w.visit(v, 'supervisor-login', { nav: null });
	await logIn(v, s.supervisor.login, s.supervisor.password);
	await w.visit(v, 'supervisor-home', { nav: '首页' });
	await w.click(v, nav(v, '审计日志'));
	await w.visit(v, 'supervisor-audit', { nav: '审计日志' });

	// A new session of the walk's round: an even panel size is refused at its field.
	await w.click(p, nav(p, '专家抽取'));
	await w.visit(p, 'draw-index', { nav: '专家抽取' });
	await w.click(p, p.locator('main').getByRole('link', { name: '新建评审会', exact: true }));
	await w.visit(p, 'draw-new', { nav: '专家抽取' });
	await p.locator('#round').selectOption({ label: s.roundTitle });
	await w.click(p, button(p, '显示该年度的申报书'));
	await w.visit(p, 'draw-new-round', { nav: '专家抽取', url: /\/draw\/new\?round=\d+$/ });
	const tick = p.locator(`#app-${s.appId}`);
	w.must(await tick.count() === 1 && await tick.isChecked(), 'the recommended application is offered and ticked',
		`#app-${s.appId} missing or not ticked`);
	const form = p.locator('form.stacked');
	await form.locator('#title').fill(`${s.roundYear}年度质量标杆材料评审会（走查）`);
	await form.locator('#review_date').fill(shanghaiDate(7));
	await form.locator('#place').fill('哈尔滨市南岗区中山路 省工信厅第三会议室');
	await form.locator('#panel_size').fill('4');
	await w.click(p, button(form, '保存'));
	await w.visit(p, 'draw-new-even-refused', { nav: '专家抽取', status: 422 });
	w.expect((await p.locator('#panel_size ~ .field-error').first().textContent()).includes('单数'),
		'an even panel size is refused at its field', 'no 单数 message after #panel_size');
	await p.locator('#panel_size').fill('3');
	await w.click(p, button(p.locator('form.stacked'), '保存'));
	await w.visit(p, 'draw-session', { nav: '专家抽取', url: /\/draw\/session\?id=\d+&done=created$/ });
	s.sessionId = new URL(p.url()).searchParams.get('id');
	const state = async () => p.locator('#session-state').getAttribute('data-state');

	// Candidates and seed fixed, with a public value announced.
	await p.locator('#public_source').fill('评审会当日中国福利彩票“福彩3D”开奖号码');
	await w.click(p, button(p, '固定候选名单'));
	await w.visit(p, 'draw-committed', { nav: '专家抽取', url: /done=committed$/ });
	w.must(await state() === 'committed', 'the candidate list and the seed are fixed', `state "${await state()}"`);
	const commitment = (await p.locator('#commitment-value').textContent()).trim();
	w.expect(/^[0-9a-f]{64}$/.test(commitment) && await p.locator('#seed-value').count() === 0,
		'the commitment is shown and the seed is not', `commitment "${commitment}"`);

	// The draw: a wrong supervisor password is refused, then the supervisor confirms.
	const draw = p.locator('#draw form');
	await draw.locator('#public_value').fill('3 8 6');
	await draw.locator('#panel-supervisor_login').fill(s.supervisor.login);
	await draw.locator('#panel-supervisor_password').fill('not-the-password');
	await w.click(p, button(draw, '抽取'));
	await w.visit(p, 'draw-wrong-supervisor', { nav: '专家抽取', status: 422 });
	const again = p.locator('#draw form');
	await again.locator('#panel-supervisor_login').fill(s.supervisor.login);
	await again.locator('#panel-supervisor_password').fill(s.supervisor.password);
	await w.click(p, button(again, '抽取'));
	await w.visit(p, 'draw-drawn', { nav: '专家抽取', url: /done=drawn$/ });
	w.must(await state() === 'drawn' && await p.locator('#members tbody tr').count() === 3,
		'a panel of 3 is drawn', `state "${await state()}", ${await p.locator('#members tbody tr').count()} members`);

	// One member cannot attend: replaced.
	const replace = p.locator('#replace form');
	await replace.locator('#replace-expert').selectOption({ index: 1 });
	const gone = await replace.locator('#replace-expert').inputValue();
	await replace.locator('#reason').fill('评审当日另有公务，不能参加');
	await replace.locator('#replace-supervisor_login').fill(s.supervisor.login);
	await replace.locator('#replace-supervisor_password').fill(s.supervisor.password);
	await w.click(p, button(replace, '补抽一名专家'));
	await w.visit(p, 'draw-replaced', { nav: '专家抽取', url: /done=replaced$/ });
	w.expect(await p.locator(`#members tr[data-expert="${gone}"]`).count() === 0 &&
		await p.locator('#members tbody tr').count() === 3 &&
		(await p.locator('#replaced').textContent()).includes('另有公务'),
	'the member is replaced and the reason recorded', `member ${gone} still on the panel or no reason`);

	// The reveal, and the page's own verification.
	const reveal = p.locator('#reveal form');
	await reveal.locator('#reveal-supervisor_login').fill(s.supervisor.login);
	await reveal.locator('#reveal-supervisor_password').fill(s.supervisor.password);
	await w.click(p, button(reveal, '公开种子'));
	await w.visit(p, 'draw-revealed', { nav: '专家抽取', url: /done=revealed$/ });
	const seed = (await p.locator('#seed-value').textContent()).trim();
	w.must(await state() === 'revealed' && sha256(Buffer.from(seed, 'hex')) === commitment,
		'the revealed seed matches the commitment', `seed "${seed}"`);
	w.expect(await p.locator('#verify-result').getAttribute('data-ok') === '1',
		'the draw verifies from the record', '#verify-result data-ok is not 1');

	// The 抽取记录 for signature, on A4; the supervisor reads the session.
	await w.click(p, p.locator('main').getByRole('link', { name: '抽取记录（打印）', exact: true }));
	await w.visit(p, 'draw-record', { nav: '专家抽取', print: true });
	await w.goto(v, `/draw/session?id=${s.sessionId}`);
	await w.visit(v, 'supervisor-draw-session', { nav: '专家抽取' });
	w.expect(await v.locator('#draw, #replace, #reveal, #rate').count() === 0,
		'the supervisor reads the session and has no forms', 'a form shows on the supervisor\'s page');
	// The list of sessions finds it by an enterprise in it.
	await w.click(v, nav(v, '专家抽取'));
	await w.visit(v, 'supervisor-draw-index', { nav: '专家抽取' });
	await search(v, s.ent.name, 'supervisor-draw-index-search', { nav: '专家抽取', url: /\/draw\?.*q=/ });
	w.expect(await v.locator(`#sessions tbody tr[data-id="${s.sessionId}"]`).count() === 1,
		'the session list finds the session by its enterprise', `session ${s.sessionId} not listed for "${s.ent.name}"`);
}, { needs: ['city bureau returns the application, the enterprise resubmits, the city recommends',
	'administrator maintains the expert pool: import, a new expert, a suspension'] });
// --- review, scoring and the panel's consensus (issue 12) -----------------------

w.step('panel members declare and score, the chair concludes, members answer, the administrator prints and exports', async () => {
	const p = s.adminPage;
	// The drawn members' accounts, each opened on the expert's own page.
	await w.goto(p, `/draw/session?id=${s.sessionId}`);
	const ids = await p.locator('#members tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.expert));
	w.must(ids.length === 3, 'the revealed session has a panel of 3', `${ids.length} members`);
	const members = [];
	for (const [i, id] of ids.entries()) {
		await w.goto(p, `/experts/view?id=${id}`);
		let login, password;
		if (await p.locator('#form-account').count() === 1) {
			login = `bw${RUN_ID}rv${i}`;
			await p.locator('#form-account #login').fill(login);
			await w.click(p, button(p.locator('#form-account'), '开通账户'));
			await p.waitForURL(/\/experts\/account\/password\?id=\d+$/);
		} else {
			// Drawn from a pool that other tests share: an expert with an
			// account already gets a new one-time password in 账户管理.
			const link = p.locator('#account-link a');
			login = (await link.textContent()).trim();
			await w.click(p, link);
			await w.click(p, button(p.locator('main'), '重置密码'));
			await p.waitForURL(/\/admin\/user\/password\?id=\d+/);
		}
		password = (await p.locator('#initial-password').textContent()).trim();
		members.push({ id, login, password });
	}
	// The administrator's progress page before anything: no scores, the chair and the deadline.
	await w.click(p, nav(p, '材料评审'));
	await w.visit(p, 'review-list', { nav: '材料评审' });
	await search(p, s.ent.name, 'review-list-search', { nav: '材料评审', url: /\/review\?.*q=/ });
	await w.click(p, p.locator(`#sessions tr[data-id="${s.sessionId}"] a`).first());
	await w.visit(p, 'review-admin-progress', { nav: '材料评审', url: /\/review\/session\?id=\d+$/ });
	await p.locator('#chair').selectOption(members[0].id);
	await w.click(p, button(p.locator('#configure'), '保存设置'));
	await w.visit(p, 'review-admin-configured', { nav: '材料评审', url: /done=configured$/ });
	w.expect((await p.locator('#chair-name').textContent()).trim() !== '尚未指定', 'the chair is set', '#chair-name says none');

	// Each member logs in, changes the one-time password and signs the declaration.
	for (const [i, m] of members.entries()) {
		const e = (m.page = await w.user(`expert${i + 1}`));
		await w.goto(e, '/login');
		await logIn(e, m.login, m.password);
		await e.waitForURL(/\/login\/password$/);
		await e.locator('#old_password').fill(m.password);
		await e.locator('#new_password').fill(NEW_PASSWORD);
		await e.locator('#new_password2').fill(NEW_PASSWORD);
		await w.click(e, button(e, '保存新密码'));
		await e.waitForURL(/\/home/);
		m.password = NEW_PASSWORD;
		if (i === 0) await w.visit(e, 'expert-home-review-todo', { nav: '首页' });
		await w.click(e, nav(e, '评审任务'));
		if (i === 0) await w.visit(e, 'expert-review-mine', { nav: '评审任务' });
		await w.click(e, e.locator(`#assignments tr[data-id="${s.sessionId}"]`).getByRole('link', { name: '签署声明' }));
		if (i === 0) {
			await w.visit(e, 'expert-declare', { nav: '评审任务', url: /\/review\/declare\?id=\d+$/ });
			await e.locator('#conflict-none').check();
			await e.locator('#password').fill(m.password);
			await w.click(e, button(e.locator('#declare-form'), '签署声明'));
			await w.visit(e, 'expert-declare-refused', { nav: '评审任务', status: 422 });
			w.expect((await e.locator('#agree ~ .field-error, #declaration .field-error').first().textContent().catch(() => '')).includes('勾选'),
				'signing without the box is refused at the box', 'no message at the declaration\'s box');
		}
		await e.locator('#agree').check();
		await e.locator('#conflict-none').check();
		await e.locator('#password').fill(m.password);
		await w.click(e, button(e.locator('#declare-form'), '签署声明'));
		await e.waitForURL(/done=declared$/);
		if (i === 0) await w.visit(e, 'expert-review-session', { nav: '评审任务' });
	}

	// Scoring: a bad score refused at its field with the input kept; then every member submits.
	const first = members[0].page;
	const appLink = first.locator('#review-items tbody tr a').first();
	const appHref = await appLink.getAttribute('href');
	const scores = [
		['9', '8', '8', '9', '8', '8', '9', '8', '8', '9'],
		['2', '8', '8', '8', '8', '8', '8', '8', '8', '8'],
		['9', '9', '8', '9', '9', '8', '9', '9', '8', '9'],
	];
	for (const [i, m] of members.entries()) {
		const e = m.page;
		await w.goto(e, appHref);
		if (i === 0) {
			await w.visit(e, 'review-app-sheet', { nav: '评审任务' });
			await e.locator('#p1').fill('11');
			await w.click(e, button(e.locator('#sheet-form'), '保存草稿'));
			await w.visit(e, 'review-app-refused', { nav: '评审任务', status: 422 });
			w.expect((await e.locator('#p1 ~ .field-error').textContent().catch(() => '')).includes('0到'),
				'a score above its maximum is refused at its field', 'no message after #p1');
			w.expect(await e.locator('#p1').inputValue() === '11', 'the refused score is kept', `#p1 holds "${await e.locator('#p1').inputValue()}"`);
		}
		for (const [k, v] of scores[i].entries()) await e.locator(`#p${k + 1}`).fill(v);
		await e.locator('#overall').fill('典型经验系统完整，方法应用成效明显，具有示范作用。');
		if (i === 0) {
			await w.click(e, button(e.locator('#sheet-form'), '保存草稿'));
			await w.visit(e, 'review-app-saved', { nav: '评审任务', url: /done=saved$/ });
		}
		await w.click(e, button(e.locator('#sheet-form'), '提交评分'));
		await e.waitForURL(/done=submitted$/);
		if (i === 0) {
			await w.visit(e, 'review-app-submitted', { nav: '评审任务' });
			await w.goto(e, appHref.replace('/review/app', '/review/panel'));
			await w.visit(e, 'review-panel-waiting', { nav: '评审任务' });
			w.expect(await e.locator('#score-table').count() === 0, 'no other member\'s scores before all have submitted',
				'#score-table shows before the others submitted');
		}
	}

	// The chair: scores side by side with the divergence flag, the conclusion.
	const chair = members[0].page;
	await w.goto(chair, appHref.replace('/review/app', '/review/panel'));
	await w.visit(chair, 'review-panel-chair', { nav: '评审任务' });
	w.expect(await chair.locator('#score-table tr[data-point="1"].divergent').count() === 1,
		'point 1 (9, 2, 9) is flagged as divergent', 'no divergent row for point 1');
	await chair.locator('#verdict-yes').check();
	await chair.locator('#opinion').fill('经合议，该企业典型经验科学系统、成效显著，同意推荐为省级质量标杆。');
	await chair.locator('#ranking').fill('1');
	await w.click(chair, button(chair.locator('#conclude'), '记录结论'));
	await w.visit(chair, 'review-panel-concluded', { nav: '评审任务', url: /done=concluded$/ });

	// The members answer: one dissents with reasons; the last answer locks the session.
	for (const [i, m] of members.entries()) {
		const e = m.page;
		await w.goto(e, appHref.replace('/review/app', '/review/panel'));
		if (i === 1) {
			await e.locator('#kind-dissent').check();
			await w.click(e, button(e.locator('#answer-form'), '提交意见'));
			await w.visit(e, 'review-panel-dissent-refused', { nav: '评审任务', status: 422 });
			await e.locator('#kind-dissent').check();
			await e.locator('#dissent-reason').fill('第1项“符合质量品牌管理发展趋势”论证不足，建议暂缓推荐。');
		} else {
			await e.locator('#kind-confirm').check();
		}
		await w.click(e, button(e.locator('#answer-form'), '提交意见'));
		await e.waitForURL(/done=(answered|locked)$/);
	}
	const last = members[2].page;
	await w.visit(last, 'review-panel-locked', { nav: '评审任务', url: /done=locked$/ });

	// The administrator now sees the scores, prints the sheet and the summary, exports.
	await w.goto(p, `/review/session?id=${s.sessionId}`);
	await w.visit(p, 'review-admin-locked', { nav: '材料评审' });
	w.expect(await p.locator('#review-state').getAttribute('data-state') === 'locked', 'the conclusions are locked',
		`#review-state: ${await p.locator('#review-state').getAttribute('data-state')}`);
	w.expect(await p.locator('a[href*="/review/export"][href*="format=xlsx"]').count() === 1, 'the Excel export is offered once locked',
		'no export link');
	await w.click(p, p.locator('#item-progress').getByRole('link', { name: '评分表（打印）' }).first());
	await w.visit(p, 'review-sheet', { nav: '材料评审', print: true });
	await w.goto(p, `/review/summary?id=${s.sessionId}`);
	await w.visit(p, 'review-summary', { nav: '材料评审', print: true });
}, { needs: ['administrator draws a panel with the supervisor, replaces an expert, reveals, prints the record'] });
// --- publicity and objections (issue 13) ---------------------------------------

// What a person answers to the objection form's "三加五等于几？".
function answerOf(question) {
	const digits = '零一二三四五六七八九';
	const m = /([一二三四五六七八九])加([一二三四五六七八九])等于几/.exec(question);
	if (!m) throw new Error(`no question in "${question}"`);
	return String(digits.indexOf(m[1]) + digits.indexOf(m[2]));
}

w.step('the province proposes the list and starts the publicity; the public objects and looks up the answer; the administrator handles it', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '公示与异议'));
	await w.visit(p, 'publicity-rounds', { nav: '公示与异议' });
	await w.click(p, p.locator('#publicity-rounds tr', { hasText: s.roundTitle }).getByRole('link', { name: '拟定名单与公示' }));
	await w.visit(p, 'publicity-round', { nav: '公示与异议', url: /\/publicity\/round\?id=\d+$/ });
	const roundUrl = p.url();
	// The panel recommended it, but its credit is not checked yet: not eligible, and why.
	const row = p.locator('#candidate-list tbody tr[data-app]').first();
	const appId = await row.getAttribute('data-app');
	w.must(await row.getAttribute('data-ineligible') === '1', 'an application without credit checks cannot be proposed',
		'the candidate is offered for the list');
	w.expect((await row.textContent()).includes('信用核查'), 'the candidate says why it cannot be proposed', 'no reason shown');
	await w.click(p, row.getByRole('link', { name: '记录信用核查' }));
	await w.visit(p, 'recommend-app-credit', { nav: '市（地）推荐', url: /\/recommend\/app\?id=\d+#credit$/ });
	for (const kind of ['dishonest_debtor', 'serious_violation']) {
		await p.locator('#credit-kind').selectOption(kind);
		await p.locator('#credit-result').selectOption('clear');
		await p.locator('#checked_on').fill(shanghaiDate());
		await w.click(p, button(p.locator('#form-credit'), '记录'));
		await p.waitForURL(/done=credit/);
	}
	await w.goto(p, roundUrl);
	await w.click(p, p.locator(`#candidate-list tr[data-app="${appId}"]`).getByRole('button', { name: '列入拟定名单' }));
	await w.visit(p, 'publicity-proposed', { nav: '公示与异议', url: /done=proposed$/ });
	// The period, from the calendar, for today: shown at once.  Late in
	// December it runs into a year the stack may not have; the operator
	// then imports that year's arrangement (here: a minimal one).
	if ((await p.locator('#period').textContent()).includes('日历')) {
		const next = shanghaiYear() + 1;
		importCalendar(cfg, writeFile(TMP, `calendar-${next}.csv`, Buffer.from(`date,type,name\n${next}-01-01,holiday,元旦\n`)).path);
		await w.goto(p, roundUrl);
	}
	const period = await p.locator('#period').textContent();
	w.must(/公示期 5 个工作日：\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日/.test(period),
		'the publicity period of 5 working days is shown for the chosen start', `#period: ${period}`);
	await w.click(p, button(p.locator('#start'), '开始公示'));
	await w.visit(p, 'publicity-started', { nav: '公示与异议', url: /done=started$/ });
	const noticeHref = await p.getByRole('link', { name: '公示页面（公众看到的）' }).getAttribute('href');
	s.publicityId = /id=(\d+)/.exec(noticeHref)[1];

	// The public: the notice without logging in, an objection with a file.
	const pub = await w.user('public');
	await w.goto(pub, noticeHref);
	await w.visit(pub, 'public-notice', { nav: null });
	w.expect(await pub.locator(`#publicity-list tr[data-app="${appId}"]`).count() === 1, 'the notice lists the proposed enterprise',
		'the enterprise is not on the public list');
	const fill = async (answer) => {
		await pub.locator('#app').selectOption(appId);
		await pub.locator('#objector_name').fill('赵六');
		await pub.locator('input[name="id_type"][value="person"]').check();
		await pub.locator('#contact-field').fill('13712345678');
		await pub.locator('#content').fill('该企业典型经验中所列质量指标的统计口径与年报不一致，请核实。');
		await pub.locator('#answer').fill(answer);
	};
	await fill('99');
	await w.click(pub, button(pub.locator('#object'), '提交异议'));
	await w.visit(pub, 'public-objection-refused', { nav: null, status: 422 });
	w.expect((await pub.locator('#answer ~ .field-error').textContent().catch(() => '')).includes('答案'),
		'a wrong answer to the question is refused at its field', 'no message after #answer');
	w.expect((await pub.locator('#content').inputValue()).includes('统计口径'), 'the refused objection keeps its text', '#content is empty');
	await fill(answerOf(await pub.locator('label[for="answer"]').textContent()));
	await pub.locator('#file').setInputFiles(writeFile(TMP, '异议证明材料.pdf', makePdf(`objection ${RUN_ID}`)).path);
	await w.click(pub, button(pub.locator('#object'), '提交异议'));
	await w.visit(pub, 'public-objection-received', { nav: null, url: /\/publicity\/received$/ });
	const tracking = (await pub.locator('#tracking').textContent()).trim();
	w.must(/^\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(tracking), 'the objector gets a tracking number', `#tracking: ${tracking}`);
	const lookUp = async (label) => {
		await w.goto(pub, '/publicity/track');
		if (label === 'public-track-form') await w.visit(pub, label, { nav: null });
		await pub.locator('#tracking').fill(tracking);
		await pub.locator('#track-contact').fill('13712345678');
		await w.click(pub, button(pub.locator('main'), '查询'));
		await w.visit(pub, label === 'public-track-form' ? 'public-track-received' : label, { nav: null, url: /\/publicity\/track$/ });
		return pub.locator('#track-state').getAttribute('data-state');
	};
	w.expect(await lookUp('public-track-form') === 'received', 'the lookup shows the objection received', 'another state');

	// The administrator: the objector's identity, the file, notes, the decision.
	await w.goto(p, roundUrl);
	await w.click(p, p.locator('#objection-list').getByRole('link', { name: tracking }));
	await w.visit(p, 'publicity-objection', { nav: '公示与异议', url: /\/publicity\/objection\?id=\d+$/ });
	w.expect((await p.locator('#objector').textContent()).includes('赵六'), 'the administrator sees who objected', '#objector');
	await p.locator('#notes').fill('已调取该企业年报核对统计口径。');
	await w.click(p, button(p.locator('#note'), '保存调查核实情况'));
	await w.visit(p, 'publicity-objection-noted', { nav: '公示与异议', url: /done=noted$/ });
	await p.locator('input[name="outcome"][value="dismissed"]').check();
	await p.locator('#reasons').fill('年报与申报材料采用同一统计口径，所列指标一致。');
	await p.locator('#reply').fill('经核实，该企业申报材料与年报的统计口径一致，异议不成立。感谢您的监督。');
	await w.click(p, button(p.locator('#decide'), '记录处理结论'));
	await w.visit(p, 'publicity-objection-decided', { nav: '公示与异议', url: /done=decided$/ });
	w.expect(await lookUp('public-track-answered') === 'dismissed', 'the objector reads the outcome', 'still not decided');
	w.expect((await pub.locator('#track-reply').textContent()).includes('异议不成立'), 'the objector reads the reply', '#track-reply');

	// The archive and the announcements.
	await w.goto(pub, '/publicity/archive');
	await w.visit(pub, 'public-archive', { nav: null });
	await w.goto(pub, '/publicity/announcements');
	await w.visit(pub, 'public-announcements', { nav: null });
	w.expect(await pub.locator('#announcements li[data-kind="publicity"]').count() >= 1, 'the publicity is announced', 'no announcement');
}, { needs: ['panel members declare and score, the chair concludes, members answer, the administrator prints and exports'] });
w.step('the period over, the administrator records the approval and publishes; the certificate with its QR code; the public list, verification and open data; the national package', async () => {
	const p = s.adminPage;
	// The walk cannot wait five working days: the period is moved into the past.
	sql(cfg, `UPDATE publicity SET start_date = CURDATE() - INTERVAL 7 DAY, end_date = CURDATE() - INTERVAL 1 DAY WHERE id = ${Number(s.publicityId)}`);
	await w.click(p, nav(p, '审议与发布'));
	await w.visit(p, 'publish-index', { nav: '审议与发布' });
	const card = p.locator(`section[data-publicity="${s.publicityId}"]`);
	await card.locator('input[name="approval_date"]').fill(shanghaiDate());
	await card.locator('input[name="approval_ref"]').fill(`厅长办公会议纪要〔${s.roundYear}〕9号`);
	await w.click(p, button(card, '记录审议通过'));
	await w.visit(p, 'publish-approved', { nav: '审议与发布', url: /done=approved$/ });
	await card.locator('input[name="award_date"]').fill(shanghaiDate());
	await w.click(p, button(card, '发布名单'));
	await w.visit(p, 'publish-published', { nav: '审议与发布', url: /done=published$/ });
	w.expect(await card.getAttribute('data-state') === 'published', 'the list is published', `state ${await card.getAttribute('data-state')}`);
	await w.click(p, card.getByRole('link', { name: `${s.roundYear}年度名单与证书` }));
	await w.visit(p, 'publish-list-admin', { nav: '审议与发布' });
	const cert = await p.locator('#benchmark-list tbody tr').first().getAttribute('data-cert');
	w.must(new RegExp(`^HLJZLBG-${s.roundYear}-001$`).test(cert), 'the first benchmark has certificate number 001 of the year', `certificate ${cert}`);
	await w.goto(p, `/publish/certificate?no=${cert}`);
	await w.visit(p, 'publish-certificate', { nav: '审议与发布', print: 'landscape' });
	w.expect(await p.locator('#certificate img').evaluate((img) => img.complete && img.naturalWidth > 0),
		'the certificate shows its QR code', 'the QR image did not load');

	// The national recommendation and its package.
	await w.goto(p, `/publish/national?year=${s.roundYear}`);
	await w.visit(p, 'publish-national', { nav: '审议与发布' });
	await p.locator('#national-list input[name="bm"]').first().check();
	await p.locator('#note').fill('典型经验示范作用突出，推荐参加全国质量标杆遴选。');
	await w.click(p, button(p.locator('#national-form'), '保存推荐名单'));
	await w.visit(p, 'publish-national-saved', { nav: '审议与发布', url: /done=saved$/ });
	const [download] = await Promise.all([
		p.waitForEvent('download'),
		p.locator('#package a').click(),
	]);
	w.expect(/推荐全国质量标杆材料\.zip$/.test(download.suggestedFilename()), 'the package downloads under its Chinese name',
		`named ${download.suggestedFilename()}`);

	// The public: the annual list, verification (from the QR code's address), the data.
	const pub = await w.user('public reader');
	await w.goto(pub, '/publish/lists');
	await w.visit(pub, 'public-lists', { nav: null });
	await w.click(pub, pub.getByRole('link', { name: `${s.roundYear}年度黑龙江省质量标杆名单` }));
	await w.visit(pub, 'public-list', { nav: null });
	await w.click(pub, pub.locator('#benchmark-list').getByRole('link', { name: cert }));
	await w.visit(pub, 'public-verify', { nav: null, url: /\/publish\/verify\?no=/ });
	w.expect(await pub.locator('#verdict').getAttribute('data-status') === 'valid', 'verification says the title is valid',
		'#verdict is not valid');
	await w.goto(pub, '/publish/verify?no=HLJZLBG-2001-999');
	await w.visit(pub, 'public-verify-unknown', { nav: null, status: 404 });
	const feed = await pub.request.get(w.url('/publish/feed.atom'));
	w.expect(feed.ok() && (await feed.text()).includes(`${s.roundYear}年度黑龙江省质量标杆名单`), 'the Atom feed announces the list',
		`HTTP ${feed.status()}`);
}, { needs: ['the province proposes the list and starts the publicity; the public objects and looks up the answer; the administrator handles it'] });
w.step('the province sees the year in pictures: 统计 per city and per scope category', async () => {
	const p = s.adminPage;
	await w.click(p, nav(p, '统计'));
	await w.visit(p, 'dashboard', { nav: '统计' });
	// It opens on the newest round; other suites' rounds may be newer than the walk's.
	const option = p.locator('#round-select option', { hasText: s.roundTitle });
	w.must(await option.count() === 1, "the walk's round can be chosen on the dashboard", 'no option for it');
	if (!await option.evaluate((o) => o.selected)) {
		await p.locator('#round-select').selectOption(await option.getAttribute('value'));
		await w.click(p, button(p.locator('form.filters'), '查看'));
		await w.visit(p, 'dashboard-round', { nav: '统计', url: /\/home\/dashboard\?round=\d+$/ });
	}
	const benchmarks = await p.locator('#funnel-table tfoot td[data-stage="benchmark"]').textContent();
	w.expect(Number(benchmarks) >= 1, 'the dashboard counts the published benchmark',
		`the total row's 质量标杆 is "${benchmarks}"`);
	const charts = await p.locator('svg.chart[role="img"]').count();
	w.expect(charts >= 3, 'the dashboard draws its funnels and bars, each labelled', `${charts} charts`);
	await w.click(p, p.locator('#by-scope').getByRole('link', { name: '第七条', exact: true }));
	await w.visit(p, 'dashboard-measures', { nav: '使用说明', url: /\/home\/measures#art-7$/ });
}, { needs: ['the period over, the administrator records the approval and publishes; the certificate with its QR code; the public list, verification and open data; the national package'] });
w.step('dynamic management: a title revoked for falsified materials and announced, the enterprise barred, a reinstatement, exchange activities and their report, a national title', async () => {
	const p = s.adminPage;
	// The walk's enterprise holds one of the year's titles.
	const cert = sql(cfg, `SELECT cert_no FROM benchmark WHERE application_id = ${Number(s.appId)}`);
	w.must(/^HLJZLBG-\d{4}-\d{3}$/.test(cert), "the walk's enterprise is a benchmark", `certificate ${cert}`);
	await w.click(p, nav(p, '动态管理'));
	await w.visit(p, 'manage-index', { nav: '动态管理' });
	await p.locator('#q').fill(cert);
	await w.click(p, button(p.locator('form.filters'), '查询'));
	await w.visit(p, 'manage-search', { nav: '动态管理', url: /\/manage\?q=/ });
	await w.click(p, p.locator('#benchmarks').getByRole('link', { name: cert }));
	await w.visit(p, 'manage-benchmark', { nav: '动态管理', url: /\/manage\/benchmark\?id=\d+$/ });
	const benchmarkUrl = p.url();

	// The first step: without the decision document the form comes back, input kept.
	const form = p.locator('#decision-form');
	await p.locator('#ground').selectOption('falsified');
	await p.locator('#facts').fill('经核查，该企业申报材料中的质量损失率数据与统计年报不符，系人为修改。');
	await p.locator('#decision_ref').fill(`黑工信质量〔${s.roundYear}〕15号`);
	await p.locator('#decision_date').fill(shanghaiDate());
	await p.locator('#file').evaluate((el) => el.removeAttribute('required'));
	await w.click(p, button(form, '下一步：确认公告内容'));
	await w.visit(p, 'manage-decide-refused', { nav: '动态管理', status: 422 });
	w.expect((await p.locator('#facts').inputValue()).includes('质量损失率'), 'the refused form keeps the facts', '#facts is empty');
	await p.locator('#file').setInputFiles(writeFile(TMP, '撤销称号决定书.pdf', makePdf(`decision ${RUN_ID}`)).path);
	await w.click(p, button(form, '下一步：确认公告内容'));
	await w.visit(p, 'manage-confirm', { nav: '动态管理', url: /\/manage\/confirm\?id=\d+$/ });
	const preview = await p.locator('#preview-body').textContent();
	w.expect(preview.includes('申报材料弄虚作假') && !preview.includes('质量损失率'),
		'the second page shows the announcement: the ground, not the internal facts', preview);
	await w.click(p, button(p.locator('main'), '确认撤销称号并发布公告'));
	await w.visit(p, 'manage-revoked', { nav: '动态管理', url: /done=revoked$/ });

	// The public: the announcement, the list, the verification.
	const pub = await w.user('public reader (revocation)');
	await w.goto(pub, '/publicity/announcements');
	await w.visit(pub, 'public-announcements-revocation', { nav: null });
	await w.click(pub, pub.locator('#announcements li[data-kind="revocation"]').first().getByRole('link'));
	await w.visit(pub, 'public-announcement', { nav: null, url: /\/publicity\/announcement\?id=\d+$/, print: true });
	await w.goto(pub, `/publish/list?year=${s.roundYear}`);
	await w.visit(pub, 'public-list-revoked', { nav: null });
	w.expect(await pub.locator(`#benchmark-list tr[data-cert="${cert}"]`).getAttribute('data-status') === 'revoked',
		'the annual list shows the title revoked', 'not marked revoked');
	await w.goto(pub, `/publish/verify?no=${cert}`);
	await w.visit(pub, 'public-verify-revoked', { nav: null });
	w.expect(await pub.locator('#verdict').getAttribute('data-status') === 'revoked', 'verification says revoked', '#verdict');

	// The enterprise is told why it cannot apply again.
	await w.goto(s.entPage, '/apply');
	await w.visit(s.entPage, 'enterprise-reapply-barred', { nav: '企业申报' });
	w.expect(await s.entPage.locator('#reapply-ban').count() === 1, 'the enterprise reads why it cannot apply', 'no #reapply-ban');

	// The supervisor reads the title's history.
	await w.goto(s.supervisorPage, benchmarkUrl);
	await w.visit(s.supervisorPage, 'supervisor-manage-benchmark', { nav: '动态管理' });
	w.expect(await s.supervisorPage.locator('#decision-form').count() === 0, 'the supervisor has no decision form', 'a form is shown');

	// Reinstatement after review: a new decision, its own announcement.
	await w.goto(p, benchmarkUrl);
	await w.visit(p, 'manage-benchmark-revoked', { nav: '动态管理' });
	await p.locator('#facts').fill('企业申诉后复核，统计口径差异已作说明，原认定的事实不成立。');
	await p.locator('#decision_ref').fill(`黑工信质量〔${s.roundYear}〕21号`);
	await p.locator('#decision_date').fill(shanghaiDate());
	await p.locator('#file').setInputFiles(writeFile(TMP, '恢复称号决定书.pdf', makePdf(`reinstatement ${RUN_ID}`)).path);
	await w.click(p, button(form, '下一步：确认公告内容'));
	await w.visit(p, 'manage-confirm-reinstatement', { nav: '动态管理', url: /\/manage\/confirm\?id=\d+$/ });
	await w.click(p, button(p.locator('main'), '确认恢复称号并发布公告'));
	await w.visit(p, 'manage-reinstated', { nav: '动态管理', url: /done=reinstated$/ });
	w.expect(await p.locator('#decisions tr[data-kind]').count() === 2, 'the history keeps both decisions', 'not two decisions');

	// A national title (第十七条).
	await p.locator('#national_title_year').fill(String(s.roundYear));
	await w.click(p, button(p.locator('#national-form'), '保存'));
	await w.visit(p, 'manage-national-title', { nav: '动态管理', url: /done=national$/ });

	// Exchange activities (第十五条), a participant, the report of who took part in none.
	await w.click(p, p.getByRole('link', { name: '返回质量标杆列表' }));
	await w.visit(p, 'manage-index-again', { nav: '动态管理' });
	await w.click(p, p.locator('main').getByRole('link', { name: '经验交流活动' }).first());
	await w.visit(p, 'manage-activities', { nav: '动态管理' });
	await p.locator('#held_on').fill(shanghaiDate());
	await p.locator('#topic').fill('全省质量标杆经验交流现场会');
	await p.locator('#place').fill('哈尔滨市松北区');
	await p.locator('#organiser').fill('黑龙江省工业和信息化厅');
	await w.click(p, button(p.locator('#activity-form'), '登记活动'));
	await w.visit(p, 'manage-activity', { nav: '动态管理', url: /done=added$/ });
	await p.locator('#benchmark').selectOption({ index: 1 });
	await p.locator('#contribution').fill('大会发言：数据驱动的全过程质量管控');
	await w.click(p, button(p.locator('#participation-form'), '登记'));
	await w.visit(p, 'manage-activity-joined', { nav: '动态管理', url: /done=joined$/ });
	await w.click(p, p.locator('main').getByRole('link', { name: '返回活动列表' }));
	await w.click(p, p.locator('main').getByRole('link', { name: '未参加交流名单' }).first());
	await w.visit(p, 'manage-report', { nav: '动态管理' });
	const [xlsx] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Excel' }).click()]);
	w.expect(/^未参加经验交流的质量标杆_.*\.xlsx$/.test(xlsx.suggestedFilename()), 'the report exports under its Chinese name',
		`named ${xlsx.suggestedFilename()}`);
}, { needs: ['the period over, the administrator records the approval and publishes; the certificate with its QR code; the public list, verification and open data; the national package'] });
// --- error pages and logging out ------------------------------------------------

w.step('error pages', async () => {
	const p = s.entPage;
	await w.goto(p, '/admin');
	await w.visit(p, 'enterprise-admin-403', { status: 403 });
	await w.goto(p, '/apply/no-such-page');
	await w.visit(p, 'program-404', { status: 404 });
	await w.goto(p, '/no-such-page');
	await w.visit(p, `${cfg.webServer}-404`, { status: 404 });

	// The web server's 413: a declared body over its limit (nginx's
	// client_max_body_size, Apache's LimitRequestBody).  A browser cannot be
	// made to declare what it does not send, so the answer the server gives
	// to a raw request is shown in the browser at the same address.
	const target = `/apply/edit?id=${s.appId || 1}`;
	const r = await rawRequest(cfg.baseUrl, {
		method: 'POST',
		path: target,
		headers: { 'Content-Type': 'multipart/form-data; boundary=bw', 'Content-Length': String(200 * 1024 * 1024) },
	});
	w.expect(r.status === 413, `${cfg.webServer} refuses a request body over its limit with 413`, `HTTP ${r.status}`);
	const href = w.url(target);
	await p.route((u) => u.href === href, (route) => route.fulfill({
		status: r.status,
		headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'connection', 'transfer-encoding'].includes(k))),
		body: r.body,
	}));
	await w.goto(p, href);
	await w.visit(p, `${cfg.webServer}-413`, { status: 413 });
	await p.unrouteAll();

	// Not logged in: a page that needs a session leads to the login form.
	const anon = await w.user('anonymous');
	await w.goto(anon, '/admin/users');
	await w.visit(anon, 'login-required', { nav: null, url: /\/login\?next=%2Fadmin%2Fusers/ });
}, { needs: ['enterprise registers'] });

w.step('enterprise logs out', async () => {
	const p = s.entPage;
	await w.goto(p, '/home');
	await w.click(p, nav(p, '使用说明'));
	await w.visit(p, 'enterprise-help', { nav: '使用说明' });
	await w.goto(p, '/login/logout');
	await w.visit(p, 'logout-confirm');
	await w.click(p, button(p.locator('main'), '确认退出'));
	await w.visit(p, 'logged-out', { nav: null });
	w.expect(/\/login\?bye=1$/.test(p.url()), 'logging out ends at the login page', `after 确认退出: ${p.url()}`);
}, { needs: ['enterprise registers'] });

process.exitCode = await w.run();
