#!/bin/sh
# test_bench.sh: bench/ stays usable from a fresh clone without being a timed
# test (the speed targets are bench/run's, never a test's): `make bench`
# builds the hello-world baseline and the micro-benchmarks in the build tree,
# each micro-benchmark that needs no database runs briefly and prints its
# RESULT line, and bench/run reads its options.  No number is checked.
# Last line: "N passed, N failed"; exit status 1 on failure.
#
# Environment: BIAOGAN_SRCDIR (source tree), BIAOGAN_BUILD_DIR (the build
# tree; default .build).
set -u

srcdir=${BIAOGAN_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BIAOGAN_BUILD_DIR:-$srcdir/.build}
pass=0
fail=0
good() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

if make -s -C "$build" bench >"$tmp/make.log" 2>&1 && [ -x "$build/bench/hello" ] &&
	[ -x "$build/bench/micro" ]; then
	good
else
	bad "make bench in $build"
	sed 's/^/  /' "$tmp/make.log" | tail -20
	echo "$pass passed, $fail failed"
	exit 1
fi

# name, then the arguments: each must print its RESULT line and exit 0.
run_micro() {
	name=$1
	shift
	if "$build/bench/micro" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &&
		grep -q "^RESULT $name " "$tmp/$name.out"; then
		good
	else
		bad "bench/micro $*: no RESULT $name line"
		sed 's/^/  /' "$tmp/$name.out" "$tmp/$name.err" | tail -10
	fi
}
run_micro workdays_per_s workdays "$srcdir/tests/data/calendar.csv" 0.1
run_micro render_us render "$srcdir/htdocs/templates" 0.1
run_micro multipart_mibs multipart 1 0.1

if python3 "$srcdir/bench/run" --help >"$tmp/help.out" 2>&1 && grep -q -- "--quick" "$tmp/help.out"; then
	good
else
	bad "bench/run --help"
	sed 's/^/  /' "$tmp/help.out" | tail -10
fi
if python3 "$srcdir/bench/run" --no-such-option >"$tmp/bad.out" 2>&1; then
	bad "bench/run accepted an unknown option"
else
	good
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
