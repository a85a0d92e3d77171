#!/usr/bin/env python3
"""Independent reference verifier for the expert draw `biaogan-lottery-v1`.

Written from docs/lottery.md alone (section numbers below are that page's).

    lottery_ref.py EXPORT.json     verify an export (§12); '-' or no argument: stdin
    lottery_ref.py --example       recompute the worked example of §13

Exit status: 0 everything matches, 1 some check gave MISMATCH,
2 unusable input (bad JSON, missing field, seed missing or not yet revealed).
Standard library only.
"""
import hashlib
import json
import sys

FORMAT = "biaogan-lottery-v1"
TWO64 = 1 << 64
ZERO32 = bytes(32)


def sha256(b):
    return hashlib.sha256(b).digest()


def be32(v):
    return v.to_bytes(4, "big")


class Unusable(Exception):
    """Input that cannot be checked at all (exit 2)."""


# ---------------------------------------------------------------- §1, §3

def valid_text(s):
    """§1 'valid' text: well-formed UTF-8 (Python str -> no overlong forms), no
    surrogates (a JSON "\\ud800" escape gives a lone surrogate: encode fails),
    nothing above U+10FFFF (impossible in str), no NUL."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\0" not in s


# The 27 dropped white-space code points of §3, step 1.
DROPPED = set([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
              + list(range(0x2000, 0x200B + 1))
              + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF])
assert len(DROPPED) == 27


def normalise_name(name):
    out = []
    for ch in name:
        c = ord(ch)
        if c in DROPPED:                       # step 1
            continue
        if 0xFF01 <= c <= 0xFF5E:              # step 2
            c -= 0xFEE0
        if 0x61 <= c <= 0x7A:                  # step 3 ("then": also applies to
            c -= 0x20                          # the output of step 2, ａ -> a -> A)
        out.append(chr(c))
    return "".join(out)


def org_key(credit_code, name):
    """§3; returns the key as str, or None for 'no key'."""
    if credit_code:                            # "recorded (non-empty)"
        if any(not 0x21 <= ord(c) <= 0x7E for c in credit_code):
            return None
        key = "C:" + credit_code.upper()       # ASCII-only here, so upper() is a-z only
    else:
        if not valid_text(name):
            return None
        norm = normalise_name(name)
        if not norm:
            return None
        key = "N:" + norm
    return key if len(key.encode("utf-8")) <= 400 else None


# ---------------------------------------------------------------- §4 - §6

def list_problem(cands):
    """§4 rules; returns a message, or None when the list is acceptable."""
    prev = 0
    for cid, key in cands:
        if type(cid) is not int or cid < 1:
            return "expert_id %r is not an integer >= 1" % (cid,)
        if cid <= prev:
            return "expert_id %d is not strictly greater than %d" % (cid, prev)
        prev = cid
        if (type(key) is not str or not key or not valid_text(key)
                or "\t" in key or "\n" in key):
            return "org_key %r of %d is not non-empty valid text without TAB/LF" % (key, cid)
    return None


def serialise(cands):
    return b"".join(b"%d\t" % cid + key.encode("utf-8") + b"\n" for cid, key in cands)


def public_digest(value):
    # §6: an empty value is the same as none (zero digest), never SHA-256("").
    # §12 step 5 only mentions null; we follow §6 for "" as well.
    if value is None or value == "":
        return ZERO32
    return sha256(value.encode("utf-8"))


# ---------------------------------------------------------------- §7 - §9

def prefix(seed, pub_digest, cand_digest, d):
    return FORMAT.encode("ascii") + seed + pub_digest + cand_digest + be32(d)


class Stream:
    """§7: the numbers of draw d, four big-endian u64 per block, blocks from j = 0."""

    def __init__(self, pfx):
        self.pfx, self.j, self.buf, self.blocks = pfx, 0, [], []

    def next(self):
        if not self.buf:
            block = sha256(self.pfx + be32(self.j))
            self.blocks.append(block)
            self.j += 1
            self.buf = [int.from_bytes(block[k:k + 8], "big") for k in (0, 8, 16, 24)]
        return self.buf.pop(0)


def uniform(stream, n, trace):
    """§8: rejection sampling; 'trace' collects every number read (u, accepted)."""
    rem = TWO64 % n
    while True:
        u = stream.next()                      # at least one read, even for n = 1
        ok = rem == 0 or u < TWO64 - rem
        trace.append((u, ok))
        if ok:
            return u % n, rem


class Session:
    """State of §9: used[], on_panel[], plus the panel in the order of §12 step 7."""

    def __init__(self, cands, seed, pub_value):
        self.ids = [c for c, _ in cands]
        self.keys = [k.encode("utf-8") for _, k in cands]   # keys compared as bytes
        self.index = {c: i for i, c in enumerate(self.ids)}
        self.cand_digest = sha256(serialise(cands))
        self.seed, self.pub = seed, public_digest(pub_value)
        n = len(cands)
        self.used, self.on_panel, self.panel = [False] * n, [False] * n, []

    def onpanel(self, key):
        return sum(1 for i, k in enumerate(self.keys) if k == key and self.on_panel[i])

    def feasibility(self):
        avail, room = {}, {}
        for i, k in enumerate(self.keys):
            avail[k] = avail.get(k, 0) + (not self.used[i])
            room[k] = max(0, 2 - self.onpanel(k))
        return sum(avail.values()), sum(min(room[g], avail[g]) for g in avail)

    def excuse(self, expert_id):
        """§10 step 1 / §12 step 6; False when the expert is not on the panel now."""
        i = self.index.get(expert_id)
        if i is None or not self.on_panel[i]:
            return False
        self.on_panel[i] = False               # stays used
        self.panel.remove(expert_id)
        return True

    def draw(self, d, count):
        """§9. Returns a trace dict; trace['refused'] is set when capacity < count."""
        available, capacity = self.feasibility()
        t = {"available": available, "capacity": capacity, "picks": [], "blocks": []}
        if capacity < count:                   # refused: nothing changes, no read
            t["refused"] = True
            return t
        st = Stream(prefix(self.seed, self.pub, self.cand_digest, d))
        t["prefix"] = st.pfx
        for _ in range(count):
            elig = [i for i in range(len(self.ids))
                    if not self.used[i] and self.onpanel(self.keys[i]) < 2]
            reads = []
            r, rem = uniform(st, len(elig), reads)
            i = elig[r]
            self.used[i] = self.on_panel[i] = True
            self.panel.append(self.ids[i])
            t["picks"].append({"eligible": [self.ids[e] for e in elig], "n": len(elig),
                               "rem": rem, "reads": reads, "r": r, "picked": self.ids[i]})
        t["blocks"] = st.blocks
        t["picked"] = [p["picked"] for p in t["picks"]]
        return t


# ---------------------------------------------------------------- §12 export replay

def need(obj, name, types, where="export"):
    if not isinstance(obj, dict) or name not in obj:
        raise Unusable("%s: field '%s' is missing" % (where, name))
    v = obj[name]
    # bool is a subclass of int in Python; JSON true/false is never an integer here
    if not isinstance(v, types) or (isinstance(v, bool) and bool not in types):
        raise Unusable("%s: field '%s' has the wrong type" % (where, name))
    return v


def hex_bytes(s, what, length=32):
    try:
        b = bytes.fromhex(s)                   # accepts either case (§1)
    except ValueError:
        b = None
    if b is None or len(b) != length or len(s) != 2 * length:
        raise Unusable("%s is not %d bytes of hex: %r" % (what, length, s))
    return b


class Report:
    def __init__(self):
        self.bad = False

    def check(self, ok, label, detail=""):
        print("%-8s %s%s" % ("OK" if ok else "MISMATCH", label,
                             (": " + detail) if detail else ""))
        self.bad |= not ok
        return ok


def verify(text):
    rep = Report()
    try:
        rec = json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except (UnicodeDecodeError, ValueError) as e:
        raise Unusable("not UTF-8 JSON: %s" % e)
    if not isinstance(rec, dict):
        raise Unusable("the export is not a JSON object")
    fmt = need(rec, "format", (str,))
    if fmt != FORMAT:
        raise Unusable("format is %r, not %r" % (fmt, FORMAT))
    N = need(need(rec, "session", (dict,)), "panel_size", (int,), "session")
    cand_list = need(rec, "candidates", (list,))
    cands = [(need(c, "expert_id", (int,), "candidate"), need(c, "org_key", (str,), "candidate"))
             for c in cand_list]
    cand_digest = hex_bytes(need(rec, "candidate_digest", (str,)), "candidate_digest")
    commitment = hex_bytes(need(rec, "commitment", (str,)), "commitment")

    # step 2: the list and its digest (the 'digest shown before the draw' is not
    # in the export: the caller must compare candidate_digest with it by hand).
    prob = list_problem(cands)
    rep.check(prob is None, "candidate list (§4)", prob or "%d candidates" % len(cands))
    got = sha256(serialise(cands))
    rep.check(got == cand_digest, "candidate digest", got.hex())
    ids = set(c for c, _ in cands)
    excl = [need(e, "expert_id", (int,), "excluded") for e in rec.get("excluded") or []]
    clash = sorted(ids.intersection(excl))
    rep.check(not clash, "excluded experts are not candidates", " ".join(map(str, clash)))
    # optional part of step 2: "N:" keys against the recorded organisation name.
    # Informational only (WARN, not counted): the record may have changed since.
    for c in cand_list:
        k, org = c.get("org_key"), c.get("organisation")
        if isinstance(k, str) and k.startswith("N:") and isinstance(org, str):
            if org_key("", org) != k:
                print("WARN     org_key of %s is not the §3 key of %r" % (c.get("expert_id"), org))
    rep.check(type(N) is int and 3 <= N <= 25 and N % 2 == 1, "panel size N = %r" % N)

    # step 3
    if "seed" not in rec:
        raise Unusable("field 'seed' is missing")
    if rec["seed"] is None:
        print("seed is null (not revealed yet): only the list could be checked")
        return 1 if rep.bad else 2
    seed = hex_bytes(need(rec, "seed", (str,)), "seed")

    # step 4
    rep.check(sha256(seed) == commitment, "commitment", sha256(seed).hex())

    # step 5 (whether public_value is what public_source published is for a person)
    pv = rec.get("public_value")
    if pv is not None and not isinstance(pv, str):
        raise Unusable("public_value is neither a string nor null")
    if rec.get("public_source") is not None:
        rep.check(pv is not None, "public value present (public_source was announced)")
    if pv is not None:
        rep.check(valid_text(pv) and len(pv.encode("utf-8")) <= 200,
                  "public value is valid text of at most 200 bytes")
    print("info     public_digest %s" % public_digest(pv).hex())

    # step 6: replay
    if prob is not None:
        print("the candidate list breaks §4: draws not replayed")
        return 1
    s = Session(cands, seed, pv)
    for pos, dr in enumerate(need(rec, "draws", (list,))):
        d = pos + 1
        num = need(dr, "number", (int,), "draw")
        count = need(dr, "count", (int,), "draw")
        kind = dr.get("kind")
        picked = need(dr, "picked", (list,), "draw")
        label = "draw %d" % d
        shape = num == d and d < 2 ** 32
        if d == 1:
            shape = shape and kind == "panel" and count == N
        else:
            shape = shape and kind == "replacement" and count == 1
        if not rep.check(shape, label + " header",
                         "number %r kind %r count %r" % (num, kind, count)):
            continue                            # cannot know what this draw meant
        if d > 1:
            rp = dr.get("replaces")
            if not rep.check(s.excuse(rp), label + " replaces %r, on the panel now" % (rp,)):
                continue
        t = s.draw(d, count)
        if t.get("refused"):
            rep.check(False, label, "refused (capacity %d < count %d): a refused draw "
                      "is not in the record" % (t["capacity"], count))
            continue
        rep.check(t["picked"] == picked, label, "picked %s (record %s)" % (
            " ".join(map(str, t["picked"])), " ".join(map(str, picked))))

    # step 7
    panel = need(rec, "panel", (list,))
    keys = dict(cands)
    per_key = {}
    for p in s.panel:
        per_key[keys[p]] = per_key.get(keys[p], 0) + 1
    rep.check(s.panel == panel and len(s.panel) == N and max(per_key.values() or [0]) <= 2,
              "final panel", "%s (record %s)" % (" ".join(map(str, s.panel)),
                                                 " ".join(map(str, panel))))
    return 1 if rep.bad else 0


# ---------------------------------------------------------------- §13 worked example
# Everything below is copied from the text of §13.

EX_ORGS = [  # (organisation as recorded, credit code, key)
    ("龙江工业大学", "12230000MB0A12345C", "C:12230000MB0A12345C"),
    ("北疆标准化研究院", "", "N:北疆标准化研究院"),
    ("松花江装备制造（集团）有限公司", "", "N:松花江装备制造(集团)有限公司"),
    ("松花江装备制造 (集团) 有限公司", "", "N:松花江装备制造(集团)有限公司"),
    ("冰城检验检测有限公司", "", "N:冰城检验检测有限公司"),
]
_L, _B, _S, _C = ("C:12230000MB0A12345C", "N:北疆标准化研究院",
                  "N:松花江装备制造(集团)有限公司", "N:冰城检验检测有限公司")
EX_LIST = [(3, _L), (5, _B), (8, _S), (12, _L), (17, _C), (21, _S), (26, _L), (33, _B)]
EX_N = 5
EX_SER_LEN = 259
EX_SER_LINES = [
    "3309433a31323233303030304d4230413132333435430a",
    "35094e3ae58c97e79686e6a087e58786e58c96e7a094e7a9b6e999a20a",
    "38094e3ae69dbee88ab1e6b19fe8a385e5a487e588b6e980a028e99b86e59ba229e69c89e99990e585ace58fb80a",
    "313209433a31323233303030304d4230413132333435430a",
    "3137094e3ae586b0e59f8ee6a380e9aa8ce6a380e6b58be69c89e99990e585ace58fb80a",
    "3231094e3ae69dbee88ab1e6b19fe8a385e5a487e588b6e980a028e99b86e59ba229e69c89e99990e585ace58fb80a",
    "323609433a31323233303030304d4230413132333435430a",
    "3333094e3ae58c97e79686e6a087e58786e58c96e7a094e7a9b6e999a20a",
]
EX_CAND_DIGEST = "de558f6637e4edf40b4aa5fe6ab3c4caf6f34efe36344147c12dae847085e272"
EX_EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
EX_SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
EX_COMMITMENT = "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
EX_PUBLIC = "2026-12-03 福彩3D 第2026318期 开奖号码 4 7 1"
EX_PUBLIC_LEN = 52
EX_PUBLIC_DIGEST = "351c400223b56becf7240976f88cb5e47b0ebbe57486b239c0f062f4448ab957"
EX_PREFIX1 = ("6269616f67616e2d6c6f74746572792d7631"
              "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
              "351c400223b56becf7240976f88cb5e47b0ebbe57486b239c0f062f4448ab957"
              "de558f6637e4edf40b4aa5fe6ab3c4caf6f34efe36344147c12dae847085e272"
              "00000001")
EX_D1_BLOCKS = ["5dd7573cbc624b8b 4170c0b9265444f4 a34263ce526f8c66 cd1478e3934cf8cf",
                "4e2c9072d9b63f9c 97a031b05d54e039 a79011c935537973 3f3fb2666cfc3d66"]
EX_D1_STREAM = [  # (hex, decimal) of the first eight numbers
    ("5dd7573cbc624b8b", 6761969283890301835), ("4170c0b9265444f4", 4715480711301448948),
    ("a34263ce526f8c66", 11764074914442611814), ("cd1478e3934cf8cf", 14777569196133644495),
    ("4e2c9072d9b63f9c", 5633036056886919068), ("97a031b05d54e039", 10925787329550671929),
    ("a79011c935537973", 12074170156861061491), ("3f3fb2666cfc3d66", 4557557500907109734),
]
# draws: (d, replaces, available, capacity, block 0, picks); each pick is
# (eligible ids, n, rem, u, u mod n, picked id)
EX_DRAWS = [
    (1, None, 8, 7, EX_D1_BLOCKS[0], [
        ([3, 5, 8, 12, 17, 21, 26, 33], 8, 0, 6761969283890301835, 3, 12),
        ([3, 5, 8, 17, 21, 26, 33], 7, 2, 4715480711301448948, 6, 33),
        ([3, 5, 8, 17, 21, 26], 6, 4, 11764074914442611814, 0, 3),
        ([5, 8, 17, 21], 4, 0, 14777569196133644495, 3, 21),
        ([5, 8, 17], 3, 1, 5633036056886919068, 2, 17)]),
    (2, 3, 3, 3, "d840dcf9c200ecb4 6e99f1da06a19e09 d5db6046f4646c89 e4eba36bc5e603a4", [
        ([5, 8, 26], 3, 1, 15582697675961724084, 0, 5)]),
]
EX_PANEL_AFTER_1 = [12, 33, 3, 21, 17]
EX_STATE_BEFORE_2 = ({3, 12, 17, 21, 33}, {12, 33, 21, 17})   # used, on the panel
EX_PANEL = [12, 33, 21, 17, 5]


def example():
    rep = Report()
    for org, code, key in EX_ORGS:
        got = org_key(code, org)
        rep.check(got == key, "§3 key of %s" % org, repr(got))
    ser = serialise(EX_LIST)
    rep.check(len(ser) == EX_SER_LEN, "serialisation length %d" % len(ser))
    lines = [(l + b"\n").hex() for l in ser.split(b"\n")[:-1]]   # each with its LF
    for i, want in enumerate(EX_SER_LINES):
        rep.check(lines[i] == want, "serialisation line %d" % i, lines[i])
    rep.check(sha256(serialise([])).hex() == EX_EMPTY_DIGEST, "empty list digest")
    rep.check(sha256(ser).hex() == EX_CAND_DIGEST, "candidate digest", sha256(ser).hex())
    seed = bytes.fromhex(EX_SEED)
    rep.check(sha256(seed).hex() == EX_COMMITMENT, "commitment", sha256(seed).hex())
    rep.check(len(EX_PUBLIC.encode("utf-8")) == EX_PUBLIC_LEN,
              "public value length %d" % len(EX_PUBLIC.encode("utf-8")))
    pd = public_digest(EX_PUBLIC).hex()
    rep.check(pd == EX_PUBLIC_DIGEST, "public digest", pd)

    s = Session(EX_LIST, seed, EX_PUBLIC)
    for d, replaces, avail, cap, block0, picks in EX_DRAWS:
        if replaces is not None:
            rep.check(s.excuse(replaces), "draw %d: excuse %d" % (d, replaces))
            used = {s.ids[i] for i in range(len(s.ids)) if s.used[i]}
            onp = {s.ids[i] for i in range(len(s.ids)) if s.on_panel[i]}
            rep.check((used, onp) == EX_STATE_BEFORE_2, "draw %d: state used/on panel" % d,
                      "%s / %s" % (sorted(used), sorted(onp)))
        t = s.draw(d, len(picks))
        rep.check((t["available"], t["capacity"]) == (avail, cap),
                  "draw %d: available %d, capacity %d" % (d, t["available"], t["capacity"]))
        if t.get("refused"):
            rep.check(False, "draw %d refused" % d)
            continue
        if d == 1:
            rep.check(t["prefix"].hex() == EX_PREFIX1 and len(t["prefix"]) == 118,
                      "draw 1: prefix (%d bytes)" % len(t["prefix"]))
            # the page prints blocks 0 and 1; draw 1 reads only 5 numbers, so block 1
            # is computed directly, and with it the eight stream numbers of the table.
            st = Stream(t["prefix"])
            nums = [st.next() for _ in range(8)]
            for j, want in enumerate(EX_D1_BLOCKS):
                got = " ".join(st.blocks[j].hex()[k:k + 16] for k in range(0, 64, 16))
                rep.check(got == want, "draw 1: block %d" % j, got)
            for k, (hx, dec) in enumerate(EX_D1_STREAM):
                rep.check(nums[k] == dec == int(hx, 16),
                          "draw 1: stream number %d = %d" % (k + 1, nums[k]))
        else:
            got = " ".join(t["blocks"][0].hex()[k:k + 16] for k in range(0, 64, 16))
            rep.check(got == block0, "draw %d: block 0" % d, got)
        for k, (elig, n, rem, u, r, pid) in enumerate(picks):
            p = t["picks"][k]
            got = (p["eligible"], p["n"], p["rem"], [x for x, _ in p["reads"]], p["r"], p["picked"])
            rep.check(got == (elig, n, rem, [u], r, pid) and all(ok for _, ok in p["reads"]),
                      "draw %d pick %d" % (d, k + 1),
                      "eligible %s n %d rem %d u %s r %d -> %d" % (
                          " ".join(map(str, got[0])), got[1], got[2],
                          " ".join("%d%s" % (x, "" if ok else "(rejected)") for x, ok in p["reads"]),
                          got[4], got[5]))
        if d == 1:
            rep.check(s.panel == EX_PANEL_AFTER_1, "panel after draw 1",
                      " ".join(map(str, s.panel)))
    rep.check(s.panel == EX_PANEL, "final panel", " ".join(map(str, s.panel)))

    # The same example through the export path of §12 (fields not entering the
    # computation are left out).
    rec = {"format": FORMAT, "session": {"panel_size": EX_N},
           "commitment": EX_COMMITMENT, "seed": EX_SEED,
           "public_source": "福彩3D", "public_value": EX_PUBLIC,
           "candidate_digest": EX_CAND_DIGEST,
           "candidates": [{"expert_id": c, "org_key": k} for c, k in EX_LIST],
           "excluded": [],
           "draws": [{"number": 1, "kind": "panel", "count": 5, "picked": [12, 33, 3, 21, 17]},
                     {"number": 2, "kind": "replacement", "count": 1, "replaces": 3,
                      "picked": [5]}],
           "panel": EX_PANEL}
    print("-- the example as an export (§12):")
    rc = verify(json.dumps(rec, ensure_ascii=False))
    return 1 if rep.bad or rc else 0


def main(argv):
    try:
        if argv[1:] == ["--example"]:
            return example()
        if len(argv) > 2 or (argv[1:] and argv[1].startswith("--")):
            print("usage: lottery_ref.py [EXPORT.json | -] | --example", file=sys.stderr)
            return 2
        if argv[1:] and argv[1] != "-":
            with open(argv[1], "rb") as f:
                data = f.read()
        else:
            data = sys.stdin.buffer.read()
        return verify(data)
    except Unusable as e:
        print("unusable input: %s" % e, file=sys.stderr)
        return 2
    except OSError as e:
        print("cannot read input: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
