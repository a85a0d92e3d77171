// Test data for the walk: unique names, credit codes, real PDF files,
// dates in Asia/Shanghai, and the operator tool (biaogan-admin) that makes
// the first province administrator.  Nothing here talks to a browser.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

// Unique per run (the database may outlive a run): digits only, so that a
// login such as bw<run>adm is an identifier, never an English word, and
// Chinese names with it stay free of Latin letters.
export const RUN_ID = (() => {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes()) +
		p(d.getUTCSeconds()) + String(crypto.randomInt(100, 1000));
})();

// Meets the password policy (8+ characters, 3 of 4 classes, not common, no login in it).
export const PASSWORD = 'Walk#2026-ok';
export const NEW_PASSWORD = 'Walk#2026-changed';

// Cities of Heilongjiang (sql/001_init.sql).
export const HARBIN = { code: '230100', name: '哈尔滨市' };
export const DAQING = { code: '230600', name: '大庆市' };

// --- 统一社会信用代码 (GB 32100-2015), as src/uscc.c checks it ------------------

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(code17) {
	let s = 0;
	for (let i = 0; i < 17; i++) s += USCC_CHARS.indexOf(code17[i]) * USCC_WEIGHTS[i];
	return USCC_CHARS[(31 - (s % 31)) % 31];
}

// "91" (an enterprise registered with the market regulator) + the city's
// division code + a random organisation code + the check character.
export function newUscc(cityCode = HARBIN.code) {
	let body = '91' + cityCode;
	for (let i = 0; i < 9; i++) body += USCC_CHARS[crypto.randomInt(USCC_CHARS.length)];
	return body + usccCheckChar(body);
}

// --- files ------------------------------------------------------------------------

// A small valid PDF (one A4 page with a line of text) with a correct
// cross-reference table; note makes each one unique.  pad adds a stream of
// that many random bytes (for a file over the upload limit).
export function makePdf(note = '', pad = 0) {
	const text = `BT /F1 14 Tf 72 770 Td (biaogan browser walk ${note.replace(/[()\\]/g, '')}) Tj ET`;
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	].map((s) => Buffer.from(s, 'latin1'));
	if (pad) {
		objs.push(Buffer.concat([Buffer.from(`<< /Length ${pad} >>\nstream\n`), crypto.randomBytes(pad),
			Buffer.from('\nendstream')]));
	}
	const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
	let len = parts[0].length;
	const offsets = [];
	objs.forEach((o, i) => {
		offsets.push(len);
		const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
		parts.push(b);
		len += b.length;
	});
	let xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets) xref += String(off).padStart(10, '0') + ' 00000 n \n';
	xref += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`;
	parts.push(Buffer.from(xref));
	return Buffer.concat(parts);
}

// A 1x1 PNG: a real image, which the experience document (PDF only) refuses.
export const PNG_1x1 = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64');

// A file on disk under dir with the given name (what the user picks in the
// file chooser): { path, name, buffer }.  Chromium reads it itself, so even a
// file over the upload limit goes fast.
export function writeFile(dir, name, buffer) {
	fs.mkdirSync(dir, { recursive: true });
	const p = path.join(dir, name);
	fs.writeFileSync(p, buffer);
	return { path: p, name, buffer };
}

export function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

// --- dates: the programs work in Asia/Shanghai (UTC+8, no daylight saving) ----------

function shanghai(offsetDays = 0, offsetHours = 0) {
	return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3 + offsetHours * 3600e3);
}
export function shanghaiDate(offsetDays = 0) {
	return shanghai(offsetDays).toISOString().slice(0, 10);
}
// The value of an <input type="datetime-local">: "YYYY-MM-DDTHH:MM".
export function shanghaiLocal(offsetDays = 0, hour = null) {
	const d = shanghai(offsetDays);
	const s = d.toISOString().slice(0, 16);
	return hour === null ? s : s.slice(0, 11) + String(hour).padStart(2, '0') + ':00';
}
export function shanghaiYear() {
	return shanghai().getUTCFullYear();
}

// --- the operator tool -------------------------------------------------------------

// biaogan-admin user add ... --password-stdin, as the integration tests'
// create_account does: the first province administrator of the walk.
// The demo expert pool (scripts/demo/experts.csv), imported as an operator
// would, so a draw on a fresh stack has candidates from many organisations.
// Importing it again only updates the same experts.
export function importDemoExperts(cfg) {
	const file = new URL('../../../scripts/demo/experts.csv', import.meta.url).pathname;
	const p = spawnSync(cfg.admin, ['experts', 'import', file], {
		env: { ...process.env, BIAOGAN_CONF: cfg.conf },
		encoding: 'utf8',
		timeout: 60e3,
	});
	if (p.error) throw new Error(`biaogan-admin experts import: ${p.error.message}`);
	if (p.status !== 0) throw new Error(`biaogan-admin experts import exited ${p.status}: ${p.stdout}${p.stderr}`);
}

// A statement run on the stack's database with its own credentials (the
// conf's db_socket, db_name, db_user, db_password): only where a test must
// move time, as the integration tests' sql() does (a publicity's period).
export function sql(cfg, statement) {
	const conf = Object.fromEntries(fs.readFileSync(cfg.conf, 'utf8').split('\n')
		.map((l) => /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(l)).filter(Boolean).map((m) => [m[1], m[2]]));
	const p = spawnSync('mariadb', ['--no-defaults', `--socket=${conf.db_socket}`, `--user=${conf.db_user}`,
		conf.db_name, '-N', '-e', statement], {
		env: { ...process.env, MYSQL_PWD: conf.db_password },
		encoding: 'utf8',
		timeout: 60e3,
	});
	if (p.error) throw new Error(`mariadb: ${p.error.message}`);
	if (p.status !== 0) throw new Error(`mariadb exited ${p.status}: ${p.stderr}`);
	return p.stdout.trim();
}

// biaogan-admin calendar import FILE, as an operator loads a year's arrangement.
export function importCalendar(cfg, file) {
	const p = spawnSync(cfg.admin, ['calendar', 'import', file], {
		env: { ...process.env, BIAOGAN_CONF: cfg.conf },
		encoding: 'utf8',
		timeout: 60e3,
	});
	if (p.error) throw new Error(`biaogan-admin calendar import: ${p.error.message}`);
	if (p.status !== 0) throw new Error(`biaogan-admin calendar import exited ${p.status}: ${p.stdout}${p.stderr}`);
}

export function addAccount(cfg, { login, name, role, city = null, password = PASSWORD }) {
	const args = ['user', 'add', '--login', login, '--name', name, '--role', role, '--no-force-change',
		'--password-stdin'];
	if (city) args.push('--city', city);
	const p = spawnSync(cfg.admin, args, {
		input: password + '\n',
		env: { ...process.env, BIAOGAN_CONF: cfg.conf },
		encoding: 'utf8',
		timeout: 60e3,
	});
	if (p.error) throw new Error(`biaogan-admin ${args.join(' ')}: ${p.error.message}`);
	if (p.status !== 0) throw new Error(`biaogan-admin ${args.join(' ')} exited ${p.status}: ${p.stdout}${p.stderr}`);
	return { login, name, role, city, password };
}

// --- raw HTTP ------------------------------------------------------------------

// One request whose headers a browser would never send as they are, e.g. a
// Content-Length over nginx's client_max_body_size with no body behind it:
// nginx answers 413 from the headers alone.  Resolves { status, headers, body }.
export function rawRequest(baseUrl, { method, path, headers }) {
	const u = new URL(baseUrl);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: u.hostname, port: u.port || 80, method, path, headers, timeout: 30e3 }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
				req.destroy();
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
		req.on('error', (e) => {
			// nginx may close the connection while the (never sent) body is
			// still expected: the answer has been read by then.
			if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
		});
		req.flushHeaders();
	});
}

export function fileExists(p) {
	try {
		fs.accessSync(p);
		return true;
	} catch {
		return false;
	}
}
