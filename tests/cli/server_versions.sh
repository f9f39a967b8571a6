#!/usr/bin/env bash
# server_versions.sh: every PostgreSQL people run, 13 to 18 (issue 17 item 1). For each
# server (Debian's 15, and 13, 14, 16, 17, 18 from .ci/install-pg-versions under
# $SCHEMERGE_PG_ROOT, default /opt/schemerge-pg) a throwaway cluster gets one catalog
# (tests/fixtures/versions/schema.sql: identity and generated columns, a partitioned
# table, domains, enums in two schemas, checks, comments, a view), and:
#   - `diff --json` gives the same DB hash as on 15: the hash is a function of the schema;
#   - a snapshot of it reads back to the same hash;
#   - `update` writes the same files, byte for byte, as on 15; they parse (ast) and pass
#     mypy; `check` is then in sync;
#   - the UI opens on it (tmux) and quits;
#   - on 18, a virtual generated column is read (check finds it, update writes it).
. "$TESTLIB"
need git psql python3 mypy tmux
. "$(dirname "$TESTLIB")/pg.sh"
. "$(dirname "$TESTLIB")/tmux.sh"

root=${SCHEMERGE_PG_ROOT:-/opt/schemerge-pg}
debian=$(pg_bindir) || skip "no PostgreSQL server binaries (apt-get install postgresql)"
missing=
for m in 13 14 16 17 18; do
    [ -x "$root/$m/bin/postgres" ] || missing="$missing $m"
done
[ -z "$missing" ] || skip "PostgreSQL$missing not installed under $root (run .ci/install-pg-versions)"

# the tests' own server is left alone: each version gets its own cluster, one at a time
unset SCHEMERGE_TEST_DB
trap 'pg_stop; tm_cleanup; t_cleanup' EXIT


base_hash= base_files=
for bin in "$debian" "$root/13/bin" "$root/14/bin" "$root/16/bin" "$root/17/bin" "$root/18/bin"; do
    ver=$("$bin/postgres" --version | awk '{print $3}')
    major=${ver%%.*}
    PG_PORT=$((55700 + major))
    pg_start "$bin" >"$T/pg-$major.log" 2>&1 || { fail "PostgreSQL $ver does not start: $(tail -5 "$T/pg-$major.log")"; continue; }
    DB="$SCHEMERGE_TEST_DB dbname=postgres"
    sql "$DB" -f "$SRCDIR/tests/fixtures/versions/schema.sql" || { fail "$ver: the schema does not load"; pg_stop; continue; }
    [ "$(psql -X -tA "$DB" -c 'SHOW server_version' | cut -d' ' -f1)" = "$ver" ] || fail "$ver: another server answered"

    R="$T/repo-$major"
    git init -q -b main "$R"
    mkdir -p "$R/schemas/database"
    printf '{"schemas": ["public", "billing"]}\n' >"$R/.schemerge.json"
    cd "$R" || { fail "cd $R"; finish; }

    # the DB hash, live and through a snapshot
    run "$SCHEMERGE" --db "$DB" diff --json -o "$T/diff-$major.json"
    expect_rc 0 "$ver: diff --json"
    h=$(diff_json_hash "$T/diff-$major.json")
    run "$SCHEMERGE" --db "$DB" snapshot -o "$T/snap-$major.json"
    expect_rc 0 "$ver: snapshot"
    assert_contains "$T/snap-$major.json" "\"server_version\": \"$ver\""
    run "$SCHEMERGE" --db "$T/snap-$major.json" diff --json -o "$T/diff-snap-$major.json"
    expect_rc 0 "$ver: diff from the snapshot"
    assert_eq "$(diff_json_hash "$T/diff-snap-$major.json")" "$h" "$ver: the DB hash through a snapshot"
    if [ -z "$base_hash" ]; then
        base_hash=$h
    else
        assert_eq "$h" "$base_hash" "PostgreSQL $ver: the DB hash of the same schema (15 gave it)"
    fi

    # the UI opens on the drift and quits
    ui_start 100 30 "$R" -- --db "$DB"
    wait_for "0 accepted" 15
    screen | grep -qF "Add AccountRow" || screen | grep -qF "Add enum" || fail "$ver: the UI shows no drift: $(screen | head -5)"
    keys q
    ui_wait_exit 10
    assert_eq "$UI_RC" 0 "$ver: the UI's exit status"
    tmux -L "$TM_SOCK" kill-server >/dev/null 2>&1

    # update, the files, check
    run "$SCHEMERGE" --db "$DB" update
    expect_rc 0 "$ver: update"
    files=$(cd "$R" && cat schemas/enums.py schemas/database/entities.py | sha256sum)
    if [ -z "$base_files" ]; then
        base_files=$files
        python3 - schemas/enums.py schemas/database/entities.py <<'PY' || fail "$ver: the files do not parse"
import ast, sys
for p in sys.argv[1:]:
    ast.parse(open(p).read(), p)
PY
        (cd "$R" && MYPYPATH=. mypy --no-error-summary --ignore-missing-imports schemas >"$T/mypy" 2>&1) ||
            fail "$ver: mypy: $(head -20 "$T/mypy")"
        assert_contains schemas/database/entities.py "class AccountRow(TypedDict, total=False):"
        assert_contains schemas/database/entities.py "class InvoiceRow(TypedDict, total=False):"
        assert_contains schemas/enums.py "class BillingStatus(str, Enum):"
    else
        assert_eq "$files" "$base_files" "PostgreSQL $ver: the files update writes (15 wrote them)"
    fi
    run "$SCHEMERGE" --db "$DB" check
    expect_rc 0 "$ver: check after update"

    if [ "$major" -ge 18 ]; then
        sql "$DB" -c "ALTER TABLE public.account ADD COLUMN handle_upper text GENERATED ALWAYS AS (upper(handle)) VIRTUAL"
        run "$SCHEMERGE" --db "$DB" check
        expect_rc 1 "$ver: check after a virtual generated column is added"
        run "$SCHEMERGE" --db "$DB" diff
        assert_contains "$T/out" "handle_upper: Optional[str]"
        run "$SCHEMERGE" --db "$DB" update
        expect_rc 0 "$ver: update with the virtual column"
        assert_contains schemas/database/entities.py "    handle_upper: Optional[str]"
        run "$SCHEMERGE" --db "$DB" snapshot -o "$T/snap-virtual.json"
        assert_contains "$T/snap-virtual.json" '"generated": "virtual"'
        run "$SCHEMERGE" --db "$DB" check
        expect_rc 0 "$ver: check after the update"
    fi
    [ -n "${T_KEEP:-}" ] && cp "$T/out" "$T/out-$major"; cd "$T" || finish
    pg_stop
done
finish
