#!/bin/sh
# test_calendar_io.sh: `biaogan-admin calendar import` and `export` against
# the test stack's database (BIAOGAN_CONF, set by scripts/test).  An import
# replaces whole years: the rows of every year in the file, and only those;
# one that would drop dates needs --replace and otherwise changes nothing; a
# bad file changes nothing; export writes back exactly what was imported.
# Uses the year 2097, which nothing else touches.
# Last line: "N passed, N failed"; exit status 1 on failure.
set -u

bin=${BIAOGAN_ADMIN:-./src/biaogan-admin}
pass=0
fail=0
good() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
if [ ! -x "$bin" ] || [ -z "${BIAOGAN_CONF:-}" ] || [ ! -r "$BIAOGAN_CONF" ]; then
	bad "needs the built biaogan-admin (BIAOGAN_ADMIN) and a test stack (BIAOGAN_CONF)"
	finish
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_calendar_io.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# run WANT_RC ARGS...: biaogan-admin ARGS must exit WANT_RC.
run() {
	want=$1
	shift
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		good
	else
		bad "biaogan-admin $*: exit $rc, want $want: $(cat "$tmp/out" "$tmp/err")"
	fi
}
# exported NAME FILE: calendar export 2097 must print FILE exactly.
exported() {
	"$bin" calendar export 2097 >"$tmp/export" 2>"$tmp/err"
	if cmp -s "$tmp/export" "$2"; then
		good
	else
		bad "$1: export of 2097 differs from $(basename "$2"):$(diff "$2" "$tmp/export" | sed 's/^/ /')"
	fi
}

printf 'date,type,name\n2097-01-01,holiday,元旦\n2097-02-01,holiday,春节\n2097-02-03,workday,春节\n' >"$tmp/a.csv"
printf 'date,type,name\n2097-01-01,holiday,元旦\n2097-05-01,holiday,劳动节\n' >"$tmp/b.csv"
printf 'date,type,name\n2097-01-01,holiday,元旦\n2097-13-01,holiday,坏日期\n' >"$tmp/bad.csv"
printf '\357\273\277date,type,name\r\n2097-01-01,holiday,元旦\r\n2097-02-01,holiday,春节\r\n2097-02-03,workday,春节\r\n' >"$tmp/a-bom-crlf.csv"

# A first import (or, on a database a previous run left, the same again).
run 0 calendar import "$tmp/a.csv" --replace
exported "first import" "$tmp/a.csv"
# The same file again: nothing is dropped, so no --replace is needed.
run 0 calendar import "$tmp/a.csv"
exported "same file again" "$tmp/a.csv"
# Excel's UTF-8 with BOM and CRLF reads the same.
run 0 calendar import "$tmp/a-bom-crlf.csv"
exported "BOM and CRLF" "$tmp/a.csv"
# A file that would drop two dates: refused without --replace, unchanged.
run 2 calendar import "$tmp/b.csv"
grep -q -e '--replace' "$tmp/err" && good || bad "the refusal does not name --replace: $(cat "$tmp/err")"
exported "refused import" "$tmp/a.csv"
# With --replace the year is exactly the file: the dropped dates are gone.
run 0 calendar import "$tmp/b.csv" --replace
exported "replacing import" "$tmp/b.csv"
# A bad row: nothing changes, and the message names the line.
run 2 calendar import "$tmp/bad.csv" --replace
grep -q '第 *3 *行' "$tmp/err" && good || bad "the bad line is not named: $(cat "$tmp/err")"
exported "bad file" "$tmp/b.csv"
# The year is listed as loaded.
"$bin" calendar years >"$tmp/years" 2>"$tmp/err"
grep -q '^2097[[:space:]]' "$tmp/years" && good || bad "calendar years does not list 2097: $(cat "$tmp/years")"
# A year that is not loaded: exit 3, and nothing on stdout.
run 3 calendar export 2098
[ ! -s "$tmp/out" ] && good || bad "export of a year not loaded printed: $(cat "$tmp/out")"
finish
