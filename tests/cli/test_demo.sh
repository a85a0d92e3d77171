#!/bin/bash
# test_demo.sh: the README's first command gives a newcomer every step.
# `scripts/stack up --demo` (what scripts/up runs) on a stack of its own, in
# a fresh run directory: the demo accounts, this year's open round with
# ent1's draft, the expert pool, and last year's round carried through
# scripts/demo-workflow.py (applications submitted, recommended and
# declined, a batch submitted, a session drawn, replaced and revealed whose
# record verifies, a session waiting for its draw).  Then up --demo again:
# nothing is made twice.  Needs the build (BIAOGAN_BUILD_DIR) and the
# packages of scripts/install-deps.  Last line: "N passed, N failed".
set -u

srcdir=${BIAOGAN_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BIAOGAN_BUILD_DIR:-$srcdir/.build}
port=${BIAOGAN_DEMO_TEST_PORT:-18087}
run=$(mktemp -d /tmp/biaogan-demo-test.XXXXXX)
pass=0
fail=0
good() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
stack() { BIAOGAN_RUN_DIR=$run BIAOGAN_PORT=$port BIAOGAN_BUILD_DIR=$build "$srcdir/scripts/stack" "$@"; }
cleanup() {
	stack down >/dev/null 2>&1
	rm -rf "$run"
}
trap cleanup EXIT
q() { mariadb --no-defaults --socket="$run/db/mysqld.sock" --batch --skip-column-names biaogan -e "$1" 2>&1; }
expect() { # what, wanted, got
	if [ "$2" = "$3" ]; then good; else bad "$1: expected '$2', got '$3'"; fi
}

if ! out=$(stack up --demo 2>&1); then
	printf '%s\n' "$out" | tail -n 30
	bad "scripts/stack up --demo failed"
	echo "$pass passed, $fail failed"
	exit 1
fi
good
case "$out" in *"demo workflow: the "*"round carried through the draw"*) good ;;
*) bad "up --demo did not report the demo workflow" ;; esac
case "$out" in *jiandu*supervisor*) good ;; *) bad "the demo accounts list no supervisor" ;; esac

last=$(($(TZ=Asia/Shanghai date +%Y) - 1))
this=$((last + 1))
expect "rounds" "$last $this" "$(q "SELECT GROUP_CONCAT(year ORDER BY year SEPARATOR ' ') FROM selection_round")"
expect "last year's round is closed" "1" \
	"$(q "SELECT apply_close < NOW() AND recommend_deadline < NOW() FROM selection_round WHERE year = $last")"
# The publicity needs 5 working days of a complete calendar from today: late
# in December (next year's arrangement not yet loaded) the demo has none.
if [ "$(q "SELECT COUNT(*) FROM publicity")" = 1 ]; then
	states="draft:1 not_recommended:1 in_review:1 not_selected:1 benchmark:1"
	expect "the publicity, approved and published" "published" "$(q "SELECT state FROM publicity")"
	expect "its objection, answered" "dismissed" "$(q "SELECT state FROM objection")"
	expect "the certificate" "HLJZLBG-$last-001" "$(q "SELECT cert_no FROM benchmark")"
	expect "the national recommendation" "1" "$(q "SELECT COUNT(*) FROM national_recommendation")"
	expect "the title revoked and reinstated" "revocation reinstatement" \
		"$(q "SELECT GROUP_CONCAT(kind ORDER BY id SEPARATOR ' ') FROM title_decision")"
	expect "the title valid again" "valid" "$(q "SELECT status FROM benchmark")"
	expect "its exchange activity" "1" "$(q "SELECT COUNT(*) FROM exchange_participation")"
	expect "the announcements" "publication publicity reinstatement revocation" \
		"$(q "SELECT GROUP_CONCAT(kind ORDER BY CAST(kind AS CHAR) SEPARATOR ' ') FROM announcement")"
else
	states="draft:1 not_recommended:1 in_review:2 not_selected:1"
	case "$(TZ=Asia/Shanghai date +%m-%d)" in
	12-2[4-9] | 12-3[01]) good ;;
	*) bad "the demo has no publicity" ;;
	esac
fi
expect "application states" "$states" \
	"$(q "SELECT GROUP_CONCAT(CONCAT(status, ':', n) ORDER BY status SEPARATOR ' ') FROM
		(SELECT status, COUNT(*) n FROM application GROUP BY status) t")"  # enum order
expect "the batch" "submitted" "$(q "SELECT status FROM recommend_batch")"
expect "session states" "committed revealed" \
	"$(q "SELECT GROUP_CONCAT(state ORDER BY state SEPARATOR ' ') FROM review_session")"
expect "draws of the revealed session" "panel replacement" \
	"$(q "SELECT GROUP_CONCAT(kind ORDER BY number SEPARATOR ' ') FROM draw_event d
		JOIN review_session s ON s.id = d.session_id WHERE s.state = 'revealed'")"
expect "the expert pool" "24" "$(q "SELECT COUNT(*) FROM expert")"
expect "the review of the revealed session" "locked 5 10 1" \
	"$(q "SELECT rp.state, (SELECT COUNT(*) FROM review_declaration d WHERE d.session_id = rp.session_id),
		(SELECT COUNT(*) FROM review_sheet h WHERE h.session_id = rp.session_id AND h.state = 'submitted'),
		(SELECT COUNT(*) FROM review_confirmation f WHERE f.session_id = rp.session_id AND f.kind = 'dissent')
		FROM review_panel rp" | tr '\t' ' ')"
revealed=$(q "SELECT id FROM review_session WHERE state = 'revealed'")
if BIAOGAN_CONF=$run/biaogan.conf "$build/src/biaogan-admin" lottery verify "$revealed" >/dev/null; then
	good
else
	bad "biaogan-admin lottery verify $revealed of the demo"
fi
# Intact, and its head anchored (the stack's audit_anchor_file).
verify=$(BIAOGAN_CONF=$run/biaogan.conf "$build/src/biaogan-admin" audit verify 2>&1)
case $verify in
审计日志链完整*已锚定链头*) good ;;
*) bad "the audit chain: expected intact and anchored, got '$verify'" ;;
esac

# Again: nothing new.
before=$(q "SELECT (SELECT COUNT(*) FROM application), (SELECT COUNT(*) FROM review_session), (SELECT COUNT(*) FROM expert), (SELECT COUNT(*) FROM account)")
if out=$(stack up --demo 2>&1); then good; else bad "the second up --demo failed"; fi
case "$out" in *"round exists already"*) good ;; *) bad "the second up --demo made the workflow again" ;; esac
expect "a second up --demo makes nothing" "$before" \
	"$(q "SELECT (SELECT COUNT(*) FROM application), (SELECT COUNT(*) FROM review_session), (SELECT COUNT(*) FROM expert), (SELECT COUNT(*) FROM account)")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
