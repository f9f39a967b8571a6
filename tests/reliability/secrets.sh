#!/usr/bin/env bash
# secrets.sh: a password given in a URI, in a key=value string, in PGPASSWORD and in
# ~/.pgpass never appears in anything schemerge prints or writes: stdout, stderr, reports,
# snapshots, SARIF, the schema files, schema_version.py, .schemerge/ (state, backups and
# their metadata), git commits. Both when the connection works and when it fails later
# (a missing database, a bad schema name) or at once (a wrong port).
. "$TESTLIB"
need_db
need psql git
S=$SCHEMERGE
HOST=$(printf '%s\n' "$SCHEMERGE_TEST_DB" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
PORT=$(printf '%s\n' "$SCHEMERGE_TEST_DB" | sed -n 's/.*port=\([^ ]*\).*/\1/p')
SECRET="Zq9-sekret-Pw_$$"
ROLE=sm_secret_$$
DBNAME=sm_secrets_$$
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
# members of pwauth must give a password (tests/lib/pg.sh's pg_hba.conf)
sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP DATABASE IF EXISTS $DBNAME" -c "DROP ROLE IF EXISTS $ROLE" \
    -c "CREATE ROLE $ROLE LOGIN PASSWORD '$SECRET' IN ROLE pwauth" -c "CREATE DATABASE $DBNAME OWNER $ROLE"
PGPASSWORD=$SECRET sql "host=$HOST port=$PORT user=$ROLE dbname=$DBNAME" \
    -c "CREATE TYPE mood AS ENUM ('sad', 'ok')" \
    -c "CREATE TABLE account (id bigint PRIMARY KEY, name text NOT NULL, m mood, note text)" \
    -c "COMMENT ON TABLE account IS 'accounts'"

# check_no_secret LABEL: nothing under the repository (git objects uncompressed too) nor
# stdout/stderr of every command so far holds the password
check_no_secret() {
    local hits
    hits=$(grep -rlF -- "$SECRET" "$T/repo" "$T/outs" 2>/dev/null | grep -v '/\.git/' | head -5)
    [ -z "$hits" ] || fail "$1: the password is in: $hits"
    (cd "$T/repo" && git log --all -p 2>/dev/null | grep -qF -- "$SECRET") && fail "$1: the password is in a git commit"
    return 0
}

n=0
# all_commands LABEL DB-ARGS...: every command that reads the database, outputs kept
all_commands() {
    local label=$1; shift
    rm -rf "$T/repo" && mkdir -p "$T/repo/schemas/database" "$T/outs"
    git -C "$T/repo" init -q
    git -C "$T/repo" commit -q --allow-empty -m init
    local c
    for c in "check" "diff" "diff --json" "diff --sarif" "report -o $T/repo/report.md" \
             "snapshot -o $T/repo/snap.json" "update" "backup list" "commit -m sync" "check"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        "$S" -C "$T/repo" "$@" $c >"$T/outs/$n.out" 2>"$T/outs/$n.err"
        local rc=$?
        case "$c:$rc" in
        check:[01]|diff*:0|report*:[01]|snapshot*:0|update:0|backup*:0|commit*:0) ;;
        *) fail "$label: $c exited $rc: $(head -c 300 "$T/outs/$n.err")" ;;
        esac
    done
    assert_contains "$T/repo/schemas/database/entities.py" "class AccountRow"
    ls "$T/repo/.schemerge/backups" >/dev/null 2>&1 || fail "$label: no backup was made"
    # the backup's metadata and the state are where a conninfo could hide
    [ -n "$(find "$T/repo/.schemerge" -name metadata.json)" ] || fail "$label: no backup metadata"
    check_no_secret "$label"
}

all_commands "URI in --db" --db "postgresql://$ROLE:$SECRET@/$DBNAME?host=$HOST&port=$PORT"
all_commands "key=value in --db" --db "host=$HOST port=$PORT user=$ROLE dbname=$DBNAME password=$SECRET"
all_commands "quoted key=value" --db "host=$HOST port=$PORT user=$ROLE dbname=$DBNAME password='$SECRET'"
DATABASE_URL="postgresql://$ROLE:$SECRET@/$DBNAME?host=$HOST&port=$PORT" all_commands "DATABASE_URL"
PGPASSWORD=$SECRET all_commands "PGPASSWORD" --db "host=$HOST port=$PORT user=$ROLE dbname=$DBNAME"
printf '*:*:*:%s:%s\n' "$ROLE" "$SECRET" > "$HOME/.pgpass" && chmod 600 "$HOME/.pgpass"
all_commands "~/.pgpass" --db "host=$HOST port=$PORT user=$ROLE dbname=$DBNAME"
rm -f "$HOME/.pgpass"

# failures after connecting or before: the messages hold no password either
mkdir -p "$T/outs"
for db in "postgresql://$ROLE:$SECRET@/sm_no_such_db?host=$HOST&port=$PORT" \
          "host=$HOST port=$PORT user=$ROLE dbname=sm_no_such_db password=$SECRET" \
          "host=$HOST port=1 user=$ROLE dbname=$DBNAME password=$SECRET" \
          "postgresql://$ROLE:$SECRET@/$DBNAME?host=$HOST&port=$PORT&sslmode=bogus" \
          "host=$HOST port=$PORT user=$ROLE password=$SECRET dbname=$DBNAME options='-c statement_timeout=bogus'" \
          "postgresql://$ROLE:${SECRET}x@/$DBNAME?host=$HOST&port=$PORT"; do
    n=$((n + 1))
    "$S" --db "$db" check >"$T/outs/$n.out" 2>"$T/outs/$n.err"
    rc=$?
    [ "$rc" = 2 ] || fail "failing conninfo: exit $rc for a bad connection: $(head -c 200 "$T/outs/$n.err")"
done
check_no_secret "failed connections"
echo "secrets: $n commands, the password found nowhere"

# malformed connection strings (issue 14 item 6): libpq quotes back what it cannot parse,
# sometimes the whole string; every command, every output, holds no password
P=$SECRET
malformed=(
    "postgresql://u:$P@[::1:5432/db"
    "postgresql://u:$P@[::1]:5432/db?sslmode=bogus"
    "postgresql://u:$P@host:99999999/db"
    "postgresql://u:$P@host:port/db"
    "postgresql://u:$P%zz@host/db"
    "postgresql://u:$P%@host/db"
    "postgresql://u:${P}@host/db?foo=bar"
    "postgresql://u:${P}@host/db?password"
    "postgresql://u@host/db?password=$P&bogus"
    "postgresql://u@host/db?password=$P%zz"
    "postgresql://u@host/db?sslpassword=$P&sslmode=nope"
    "postgres://u:$P@/db?host=$HOST&port=notaport"
    "postgresql://u:$P@host/db?options=-c%20x=y=z"
    "postgresql://:$P@@host/db"
    "host=$HOST password=$P junk"
    "host=$HOST password='$P"
    "host=$HOST password$P"
    "host=$HOST password= $P port=abc"
    "password=$P host=$HOST port=99999999"
    "password=$P sslmode=bogus"
    "password=$P nosuchoption=1"
    "dbname='postgresql://u:$P@[::1/db'"
    "dbname=postgresql://u:$P@host:xx/db"
    "host=$HOST sslpassword=$P sslmode=verify-all"
    "postgresql://u:$P@host/db?connect_timeout=-x"
)
for db in "${malformed[@]}"; do
    for c in "check" "diff" "diff --json" "diff --sarif" "report -o $T/outs/r.md" "snapshot -o $T/outs/s.json" "update" "status"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        "$S" -C "$T/repo" --db "$db" $c >"$T/outs/$n.out" 2>"$T/outs/$n.err"
        rc=$?
        [ "$rc" = 2 ] || [ "$c" = status ] || fail "malformed conninfo $db: $c exited $rc"
        grep -qF -- "$SECRET" "$T/outs/$n.out" "$T/outs/$n.err" &&
            fail "malformed conninfo: $c printed the password: $(cat "$T/outs/$n.err")"
    done
    DATABASE_URL=$db "$S" -C "$T/repo" check >"$T/outs/$n.env.out" 2>"$T/outs/$n.env.err"
done
check_no_secret "malformed connection strings"
echo "secrets: ${#malformed[@]} malformed connection strings, the password found nowhere"

sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP DATABASE IF EXISTS $DBNAME" -c "DROP ROLE IF EXISTS $ROLE"
finish
