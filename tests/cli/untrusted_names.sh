#!/usr/bin/env bash
# untrusted_names.sh: names from the database are untrusted text (SPEC 8, issue 14 item 8).
# Tables, columns, labels, a schema and comments hold ESC sequences, BEL, other control
# characters, C1 controls and bidi overrides (U+202A-202E, U+2066-2069). `diff`, `check`,
# `report`, `update`, `status`, `backup list` and error messages print none of them raw:
# they show "\x1b", "\u202e". `diff --json` and SARIF carry the exact names. The UI (tmux)
# shows them escaped too, and the terminal's title and screen survive.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
need python3 tmux

ESC=$'\e' BEL=$'\a' RLO=$'\u202e' LRI=$'\u2066' CSI=$'\u009b'
dr_repo untrusted_names
python3 - "$DB" <<'PY' || fail "cannot create the hostile catalog"
import subprocess, sys
db = sys.argv[1]
def q(name):
    return '"' + name.replace('"', '""') + '"'
def lit(s):
    return "'" + s.replace("'", "''") + "'"
esc, bel, rlo, lri, csi = "\x1b", "\x07", "\u202e", "\u2066", "\u009b"
sql = f"""
CREATE SCHEMA {q("app" + rlo + "lmth.exe")};
CREATE TYPE {q("mood" + esc + "]0;pwned" + bel)} AS ENUM ({lit("ok")}, {lit("sad" + esc + "[2J")}, {lit(rlo + "evil")});
CREATE TABLE {q("acct" + esc + "[31m")} (id integer PRIMARY KEY, {q("name" + bel)} text, {q("x" + lri + "y")} text,
    {q("c" + csi + "1m")} integer);
COMMENT ON TABLE {q("acct" + esc + "[31m")} IS {lit("hi" + esc + "]0;title" + bel)};
CREATE TABLE {q(rlo + "txt.exe")} (id integer PRIMARY KEY);
CREATE TABLE {q("app" + rlo + "lmth.exe")}.t (id integer PRIMARY KEY);
"""
subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", db, "-c", sql], check=True)
PY
printf 'from enum import Enum\n' > schemas/enums.py
printf 'from typing import TypedDict\n\n\nclass AcctRow(TypedDict):\n    id: int\n    gone: str\n' > schemas/database/entities.py
printf '{"schemas": ["public", "app\xe2\x80\xaelmth.exe"], "names": {"tables": {"acct\\u001b[31m": "AcctRow"}}}\n' > .schemerge.json
git add -A && git commit -qm init

# raw_in FILE...: fail when a file holds ESC, BEL, a C0/C1 control other than \n and \t,
# or a bidi control, as bytes
raw_in() {
    python3 - "$@" <<'PY'
import sys
bad = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {"\x7f"} | {chr(c) for c in range(0x80, 0xa0)}
bad |= {"\u061c", "\u200e", "\u200f"} | {chr(c) for c in range(0x202a, 0x202f)} | {chr(c) for c in range(0x2066, 0x206a)}
found = []
for p in sys.argv[1:]:
    text = open(p, encoding="utf-8", errors="surrogateescape").read()
    hits = sorted({"U+%04X" % ord(ch) for ch in text if ch in bad})
    if hits:
        found.append(f"{p}: {' '.join(hits)}")
print("\n".join(found))
PY
}
# JSON and SARIF: the exact names (before the update writes them all)
sm diff --json >"$T/d.json" || fail "diff --json"
sm diff --sarif -o "$T/d.sarif" >/dev/null || fail "diff --sarif"
python3 - "$T/d.json" "$T/d.sarif" <<'PY' || fail "JSON or SARIF does not carry the exact names"
import json, sys
d = json.load(open(sys.argv[1]))
objects = {c["object"] for c in d["changes"]}
members = {c.get("member") for c in d["changes"]}
assert "acct\x1b[31m" in objects or any(o and o.endswith("acct\x1b[31m") for o in objects), objects
assert "name\x07" in members, members
assert "x\u2066y" in members, members
s = json.load(open(sys.argv[2]))
texts = " ".join(r["message"]["text"] for r in s["runs"][0]["results"])
assert "name\x07" in texts, texts
PY

n=0
for c in "diff" "check" "report -o $T/report.md" "update --dry-run" "update" "status" "backup list" "diff"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    sm $c >"$T/o.$n" 2>"$T/e.$n"
    echo "rc=$?" >>"$T/rcs"
    hits=$(raw_in "$T/o.$n" "$T/e.$n")
    [ -z "$hits" ] || fail "'$c' printed raw control or bidi characters: $hits"
done
hits=$(raw_in "$T/report.md")
[ -z "$hits" ] || fail "the report holds raw control characters: $hits"
grep -qF 'acct\x1b[31m' "$T/o.1" || fail "diff does not show the table escaped: $(head -c 600 "$T/o.1")"
grep -qF '\u202e' "$T/o.1" || fail "diff does not show the bidi override escaped"
grep -qF 'name\x07' "$T/o.1" || fail "diff does not show the column escaped"
grep -qF 'name\\x07' "$T/report.md" || fail "the report does not show the column escaped (Markdown doubles the backslash)"
# an error message that names a file of the repository with a control character
mkdir -p "$T/bad"
cp -a "$R/." "$T/bad/"
printf '{"files": {"enums": "schemas/e%snums.py"}}\n' "$ESC" > "$T/bad/.schemerge.json"
(cd "$T/bad" && "$SCHEMERGE" --db "$DB" diff) >"$T/o.err" 2>"$T/e.err"
hits=$(raw_in "$T/o.err" "$T/e.err")
[ -z "$hits" ] || fail "an error message printed raw control characters: $hits"

# the UI: the names escaped on screen, the terminal untouched
. "$(dirname "$TESTLIB")/tmux.sh"
git checkout -q -- . 2>/dev/null; git clean -qfd schemas && git status --porcelain | grep -q . && git add -A && git commit -qm "after update"
ui_start 120 40 "$R" -- --db "$DB"
wait_for 'changes' 15
screen >"$T/ui.screen"
grep -qF 'acct\x1b[31m' "$T/ui.screen" || fail "the UI does not show the table escaped: $(cat "$T/ui.screen")"
title=$(tm display -p '#{pane_title}' 2>/dev/null)
case $title in *pwned*|*title*) fail "a database name set the terminal's title: $title" ;; esac
keys q
ui_wait_exit 5
finish
