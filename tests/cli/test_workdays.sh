#!/bin/sh
# test_workdays.sh: runs the built `biaogan-admin workdays` with
# --calendar tests/data/calendar.csv (no database, no configuration) over
# every publicity case of tests/data/publicity-cases.csv, and checks the
# exit statuses: 2 for bad dates / N < 1 / bad usage, 3 for a year without
# an arrangement.  With a test stack (BIAOGAN_CONF set by scripts/test) it
# also runs the cases against the seeded database, reading only.
# Last line: "N passed, N failed"; exit status 1 on failure.
#
# Environment: BIAOGAN_SRCDIR (source tree; `make check` sets it), and
# BIAOGAN_ADMIN (the program; default ./src/biaogan-admin in the build tree).
set -u

srcdir=${BIAOGAN_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${BIAOGAN_ADMIN:-./src/biaogan-admin}
data=$srcdir/tests/data
cal=$data/calendar.csv
cases=$data/publicity-cases.csv
pass=0
fail=0

if [ ! -x "$bin" ]; then
	echo "test_workdays: $bin not built"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_workdays.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
# The test stack's configuration (scripts/test sets it), for the database
# checks at the end; --calendar must work without any configuration file.
stack_conf=${BIAOGAN_CONF:-}
BIAOGAN_CONF=$tmp/no-such.conf
export BIAOGAN_CONF

good() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

# expect STATUS STDOUT STDERR_PART ARGS...: run biaogan-admin ARGS; the exit
# status and stdout must match exactly, and stderr must contain STDERR_PART
# (empty: stderr must be empty).
expect() {
	want_rc=$1 want_out=$2 want_err=$3
	shift 3
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	if [ "$rc" -ne "$want_rc" ] || [ "$out" != "$want_out" ]; then
		bad "$*: exit $rc (want $want_rc), stdout '$out' (want '$want_out'), stderr: $(cat "$tmp/err")"
	elif [ -z "$want_err" ] && [ -s "$tmp/err" ]; then
		bad "$*: unexpected stderr: $(cat "$tmp/err")"
	elif [ -n "$want_err" ] && ! grep -q -e "$want_err" "$tmp/err"; then
		bad "$*: stderr lacks '$want_err': $(cat "$tmp/err")"
	else
		good
	fi
}

# Every publicity case: the end date, and 5 working days from start to end.
n=0
{
	read -r header
	[ "$header" = "start_date,end_date" ] || bad "unexpected header in $cases: $header"
	while IFS=, read -r start end; do
		[ -n "$start" ] || continue
		n=$((n + 1))
		expect 0 "$end" "" workdays end "$start" 5 --calendar "$cal"
		expect 0 5 "" workdays count "$start" "$end" --calendar "$cal"
	done
} <"$cases"
if [ "$n" -eq 40 ]; then good; else bad "expected 40 publicity cases, read $n"; fi

# Option placement and spellings.
expect 0 2026-10-12 "" workdays end 2026-09-30 5 --calendar "$cal"
expect 0 2026-10-12 "" workdays --calendar "$cal" end 2026-09-30 5
expect 0 2026-10-12 "" workdays end 2026-09-30 5 "--calendar=$cal"
expect 0 2024-10-12 "" workdays end 2024-10-01 5 --calendar "$cal"
expect 0 2026-02-14 "" workdays end 2026-02-14 1 --calendar "$cal"
expect 0 1 "" workdays count 2024-10-12 2024-10-12 --calendar "$cal"
expect 0 0 "" workdays count 2024-10-05 2024-10-05 --calendar "$cal"
expect 0 251 "" workdays count 2024-01-01 2024-12-31 --calendar "$cal"

# Exit 2: bad dates, N < 1, bad usage, bad calendar file.
for d in 2026-02-29 2026-13-01 2026-1-01 2026/01/01 20260101 abc "" " 2026-01-01" 2026-01-01x; do
	expect 2 "" "YYYY-MM-DD" workdays end "$d" 5 --calendar "$cal"
	expect 2 "" "YYYY-MM-DD" workdays count "$d" 2026-03-01 --calendar "$cal"
	expect 2 "" "YYYY-MM-DD" workdays count 2026-03-01 "$d" --calendar "$cal"
done
for n in 0 -1 -5 abc 1.5 "" " 5" 5x 99999999999999999999 +5; do
	expect 2 "" "N" workdays end 2026-03-02 "$n" --calendar "$cal"
done
expect 2 "" "晚于" workdays count 2026-03-10 2026-03-01 --calendar "$cal"
expect 2 "" "用法" workdays end 2026-03-02 --calendar "$cal"
expect 2 "" "用法" workdays end 2026-03-02 5 6 --calendar "$cal"
expect 2 "" "用法" workdays count 2026-03-02 --calendar "$cal"
expect 2 "" "用法" workdays
expect 2 "" "未知的子命令" workdays begin 2026-03-02 5 --calendar "$cal"
expect 2 "" "未知选项" workdays end 2026-03-02 5 --calender "$cal"
expect 2 "" "缺少" workdays end 2026-03-02 5 --calendar
expect 2 "" "只能给一次" workdays end 2026-03-02 5 --calendar "$cal" --calendar "$cal"
expect 2 "" "文件不存在" workdays end 2026-03-02 5 --calendar "$tmp/none.csv"
printf 'date,type,name\n2026-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n' >"$tmp/dup.csv"
expect 2 "" "第 3 行" workdays end 2026-03-02 5 --calendar "$tmp/dup.csv"
printf '2026-01-01,holiday,元旦\n' >"$tmp/nohead.csv"
expect 2 "" "第 1 行" workdays end 2026-03-02 5 --calendar "$tmp/nohead.csv"
printf 'date,type,name\n2026-01-01,off,元旦\n' >"$tmp/type.csv"
expect 2 "" "第 2 行" workdays count 2026-03-02 2026-03-09 --calendar "$tmp/type.csv"

# Exit 3: a year with no arrangement loaded (no row of that year in the file).
expect 3 "" "2027 年" workdays end 2027-01-04 5 --calendar "$cal"
expect 3 "" "2027 年" workdays end 2026-12-28 5 --calendar "$cal"
expect 3 "" "2027 年" workdays end 2026-12-31 2 --calendar "$cal"
expect 0 2026-12-31 "" workdays end 2026-12-31 1 --calendar "$cal"
expect 3 "" "2019 年" workdays end 2019-12-31 5 --calendar "$cal"
expect 3 "" "2027 年" workdays count 2026-12-01 2027-01-10 --calendar "$cal"
expect 3 "" "2019 年" workdays count 2019-12-30 2020-01-10 --calendar "$cal"
expect 3 "" "2027 年" workdays end 2026-03-02 2147483647 --calendar "$cal"
printf 'date,type,name\n2024-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n' >"$tmp/gap.csv"
expect 3 "" "2025 年" workdays count 2024-12-02 2026-01-05 --calendar "$tmp/gap.csv"

# Without --calendar: the same cases from the database the migration seeded
# (read-only checks; skipped when there is no test stack configuration).
if [ -n "$stack_conf" ] && [ -f "$stack_conf" ]; then
	BIAOGAN_CONF=$stack_conf
	{
		read -r header
		while IFS=, read -r start end; do
			[ -n "$start" ] || continue
			expect 0 "$end" "" workdays end "$start" 5
		done
	} <"$cases"
	"$bin" calendar years >"$tmp/years" 2>"$tmp/err"
	rc=$?
	# The seeded years are complete (sql/009), so they count as loaded.
	for y in 2020 2021 2022 2023 2024 2025 2026; do
		if [ "$rc" -eq 0 ] && grep -q "^$y	[0-9]*	完整	" "$tmp/years"; then
			good
		else
			bad "calendar years (exit $rc) lacks $y: $(cat "$tmp/years" "$tmp/err")"
		fi
	done
	expect 2 "" "四位数字" calendar export 26
	expect 2 "" "用法" calendar
	expect 2 "" "不需要参数" calendar years 2026
	BIAOGAN_CONF=$tmp/no-such.conf
else
	echo "note: no test stack configuration (BIAOGAN_CONF); database checks skipped"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
