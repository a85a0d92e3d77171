#!/bin/sh
# test_lottery_ref.sh: docs/lottery.md is enough to reimplement the draw.
# tests/tools/lottery_ref.py was written from that page alone (by someone who
# read no other file of the project): its --example mode recomputes the
# page's worked example, every intermediate number, from the page's inputs;
# and it replays tests/data/lottery-example.json, the same example as an
# export, which the C code's unit test (tests/unit/rules/test_lottery.c)
# checks too.  So the page, the Python and the C agree.  A changed pick in
# the export must fail the replay.  (test_draw.py replays real draws made
# by the programs.)  Needs python3 only.  Last line: "N passed, N failed".
set -u

srcdir=${BIAOGAN_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ref="$srcdir/tests/tools/lottery_ref.py"
example="$srcdir/tests/data/lottery-example.json"
pass=0
fail=0
check() { # what, expected exit, command...
	what=$1 want=$2
	shift 2
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what: exit $got, expected $want"
		printf '%s\n' "$out" | sed -n '1,20p'
	fi
}

check "the page's worked example recomputes" 0 python3 "$ref" --example
check "the example export replays" 0 python3 "$ref" "$example"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 - "$example" "$tmp" <<'PY'
import json, sys
rec = json.load(open(sys.argv[1], encoding="utf-8"))
picked = rec["draws"][0]["picked"]
others = [c["expert_id"] for c in rec["candidates"] if c["expert_id"] not in picked]
picked[0] = others[0]
json.dump(rec, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
check "an export with a changed pick fails" 1 python3 "$ref" "$tmp"
python3 - "$example" "$tmp" <<'PY'
import json, sys
rec = json.load(open(sys.argv[1], encoding="utf-8"))
rec["seed"] = None
json.dump(rec, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
check "an export without its seed cannot be checked" 2 python3 "$ref" "$tmp"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
