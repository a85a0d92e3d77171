#!/bin/sh
# test_conf.sh: the list of FastCGI programs has one source, the Makefile's
# fcgibin_PROGRAMS (Makefile.am), and every place that must name each
# program does, no more and no fewer:
#   - cgi-bin/<name>.c for each (and no cgi-bin/*.c outside the list);
#   - conf/nginx-site.conf: the alternatives of the "location ~" regex;
#   - conf/apache-biaogan.conf: one <LocationMatch "^/<name>(/|$)"> each,
#     whose SetHandler names <name>.sock;
#   - conf/systemd/biaogan.target: a Wants=biaogan-fcgi@<name>.service each;
#   - docs/deploy.md: "The FastCGI programs of this release are `a`, ...";
#   - conf/nginx.conf.in takes the list from scripts/stack (@PROGRAMS@).
# So a new program cannot be forgotten in the production samples.  Needs no
# build and no server.  Last line: "N passed, N failed"; exit 1 on failure.
#
# Environment: BIAOGAN_SRCDIR (the source tree; default: the one of this file).
set -u

srcdir=${BIAOGAN_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
pass=0
fail=0
good() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

# A sorted, space-separated set from words on stdin.
set_of() {
	tr -s ' \t\n' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# same WHAT HAVE: compare a set with the programs.
same() {
	if [ "$2" = "$programs" ]; then
		good
	else
		bad "$1 names '$2', the Makefile's fcgibin_PROGRAMS '$programs'"
	fi
}

# The one source: "fcgibin_PROGRAMS = cgi-bin/a cgi-bin/b ..." (one line).
programs=$(sed -n 's/^fcgibin_PROGRAMS[[:space:]]*=[[:space:]]*//p' "$srcdir/Makefile.am" |
	tr ' ' '\n' | sed -n 's#^cgi-bin/##p' | set_of)
if [ -z "$programs" ]; then
	bad "no fcgibin_PROGRAMS = cgi-bin/... line in $srcdir/Makefile.am"
	echo "$pass passed, $fail failed"
	exit 1
fi
echo "programs: $programs"

# cgi-bin/*.c
same "cgi-bin/*.c" "$(for f in "$srcdir"/cgi-bin/*.c; do basename "$f" .c; done | set_of)"

# nginx: location ~ ^/(?<biaogan_program>a|b|c)(?:/|$)
nginx=$(sed -n 's/.*(?<biaogan_program>\([^)]*\)).*/\1/p' "$srcdir/conf/nginx-site.conf" | tr '|' '\n' | set_of)
same "conf/nginx-site.conf (location ~)" "$nginx"
if [ "$(grep -c '(?<biaogan_program>' "$srcdir/conf/nginx-site.conf")" -eq 1 ]; then
	good
else
	bad "conf/nginx-site.conf: not exactly one program location"
fi

# Apache: <LocationMatch "^/name(/|$)"> ... SetHandler ".../name.sock|fcgi://biaogan-name"
apache=$(sed -n 's#^[[:space:]]*<LocationMatch "^/\([a-z0-9_-]*\)(/|\$)">.*#\1#p' \
	"$srcdir/conf/apache-biaogan.conf" | set_of)
same "conf/apache-biaogan.conf (LocationMatch)" "$apache"
handlers=$(sed -n 's#.*SetHandler "proxy:unix:/run/biaogan/\([a-z0-9_-]*\)\.sock|fcgi://biaogan-\1".*#\1#p' \
	"$srcdir/conf/apache-biaogan.conf" | set_of)
same "conf/apache-biaogan.conf (SetHandler)" "$handlers"
# Each block hands its own path to its own socket.
blocks=$(awk '/<LocationMatch "\^\// { split($0, a, "/"); loc = a[2]; sub(/\(.*/, "", loc) }
	/SetHandler/ && loc != "" { if (index($0, "/run/biaogan/" loc ".sock|") == 0) print loc; loc = "" }' \
	"$srcdir/conf/apache-biaogan.conf")
if [ -z "$blocks" ]; then
	good
else
	bad "conf/apache-biaogan.conf: LocationMatch of $blocks hands it to another program's socket"
fi

# Every block is closed before the next opens (an unclosed one nests the
# next program's block inside it, and Apache refuses the file).
unbalanced=$(awk '/^[[:space:]]*<LocationMatch/ { if (open) print NR; open = 1 } /<\/LocationMatch>/ { open = 0 }
	END { if (open) print "end" }' "$srcdir/conf/apache-biaogan.conf")
if [ -z "$unbalanced" ]; then
	good
else
	bad "conf/apache-biaogan.conf: a LocationMatch opens before the one above is closed (line $unbalanced)"
fi

# systemd: Wants=biaogan-fcgi@name.service ...
units=$(sed -n 's/^Wants=//p' "$srcdir/conf/systemd/biaogan.target" | tr ' ' '\n' |
	sed -n 's/^biaogan-fcgi@\([a-z0-9_-]*\)\.service$/\1/p' | set_of)
same "conf/systemd/biaogan.target (Wants=)" "$units"
if grep -q '^ExecStart=.*multiwatch' "$srcdir/conf/systemd/biaogan-fcgi@.service" ||
	grep -q '^	-- /usr/bin/multiwatch' "$srcdir/conf/systemd/biaogan-fcgi@.service"; then
	good
else
	bad "conf/systemd/biaogan-fcgi@.service: the workers are not supervised (multiwatch)"
fi
if grep -q '^PartOf=biaogan.target' "$srcdir/conf/systemd/biaogan-fcgi@.service"; then
	good
else
	bad "conf/systemd/biaogan-fcgi@.service: no PartOf=biaogan.target"
fi

# docs/deploy.md: the sentence with the list, which may run over lines.
# shellcheck disable=SC2016 # the backquotes are Markdown's
deploy=$(tr '\n' ' ' <"$srcdir/docs/deploy.md" |
	sed -n 's/.*The FastCGI programs of this release are \([^.]*\)\..*/\1/p' |
	grep -o '`[a-z0-9_-]*`' | tr -d '`' | set_of)
same "docs/deploy.md (\"The FastCGI programs of this release are ...\")" "$deploy"

# The local stack routes whatever it built: the template takes the list.
if grep -q '(?<biaogan_program>@PROGRAMS@)' "$srcdir/conf/nginx.conf.in"; then
	good
else
	bad "conf/nginx.conf.in: the program location does not take @PROGRAMS@ from scripts/stack"
fi
# The local stack supervises its workers too.
if grep -q 'multiwatch' "$srcdir/scripts/stack" && grep -q 'multiwatch' "$srcdir/scripts/install-deps"; then
	good
else
	bad "scripts/stack or scripts/install-deps: no multiwatch"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
