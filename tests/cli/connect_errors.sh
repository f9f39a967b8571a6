#!/bin/sh
# connect_errors.sh: a server that is down, a wrong password, a database or role that does
# not exist: exit 2, exactly one line on stderr with the right hint, and the password never
# printed anywhere (in URI and key=value form, from --db and from DATABASE_URL).
. "$TESTLIB"
need_db
need psql

HOST=$(printf '%s\n' "$SCHEMERGE_TEST_DB" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
PORT=$(printf '%s\n' "$SCHEMERGE_TEST_DB" | sed -n 's/.*port=\([^ ]*\).*/\1/p')
[ -n "$HOST" ] && [ -n "$PORT" ] || { fail "cannot read host/port from SCHEMERGE_TEST_DB"; finish; }
SECRET=Sup3rSecretPw
ROLE=sm_bob_$$
# members of pwauth must authenticate with a password (tests/lib/pg.sh's pg_hba.conf)
sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP ROLE IF EXISTS $ROLE" \
    -c "CREATE ROLE $ROLE LOGIN PASSWORD 'the-right-one' IN ROLE pwauth"

# expect_failure HINT-TEXT MESSAGE-TEXT: after run, the one-line error contract
expect_failure() {
    expect_rc 2 "$3"
    [ "$(wc -l < "$T/err")" = 1 ] || fail "$3: expected exactly one line on stderr, got: $(cat "$T/err")"
    assert_contains "$T/err" "schemerge: cannot connect to the database ("
    assert_contains "$T/err" "$2"
    assert_contains "$T/err" "$1"
    for f in "$T/out" "$T/err"; do
        grep -q "$SECRET" "$f" && fail "$3: the password was printed: $(cat "$f")"
    done
    [ -s "$T/out" ] && fail "$3: something was printed on stdout"
}

# server down: a socket directory with no server in it
mkdir -p "$T/nosock"
run "$SCHEMERGE" --db "host=$T/nosock port=1 user=bob password=$SECRET dbname=app" snapshot
expect_failure "check that the server is running and --db or DATABASE_URL is right" \
    "(host=$T/nosock port=1 user=bob password=*** dbname=app): " "server down"
assert_contains "$T/err" "No such file or directory"

run "$SCHEMERGE" --db "postgresql://bob:$SECRET@/app?host=$T/nosock&port=1" snapshot
expect_failure "check that the server is running" "(postgresql://bob:***@/app?host=$T/nosock&port=1)" "server down (URI)"

# wrong password, as a URI in DATABASE_URL and as key=value with a quoted value
DATABASE_URL="postgresql://$ROLE:$SECRET@/postgres?host=$HOST&port=$PORT" run "$SCHEMERGE" snapshot
expect_failure "check the user name and password in --db or DATABASE_URL, or ~/.pgpass" \
    "password authentication failed for user \"$ROLE\"" "wrong password (DATABASE_URL)"
run "$SCHEMERGE" --db "host=$HOST port=$PORT user=$ROLE dbname=postgres password='$SECRET x'" snapshot
expect_failure "check the user name and password" "password=***)" "wrong password (key=value)"
# no password at all for a role that needs one
run "$SCHEMERGE" --db "host=$HOST port=$PORT user=$ROLE dbname=postgres" snapshot
expect_failure "check the user name and password" "no password supplied" "no password"

# the right password works (so the failures above are about the password)
run "$SCHEMERGE" --db "postgresql://$ROLE:the-right-one@/postgres?host=$HOST&port=$PORT" snapshot
expect_rc 0 "right password"

# a database that does not exist
run "$SCHEMERGE" --db "$SCHEMERGE_TEST_DB dbname=sm_no_such_db password=$SECRET" snapshot
expect_failure "check the database name in --db or DATABASE_URL, or create the database" \
    "database \"sm_no_such_db\" does not exist" "missing database"

# a role that does not exist
run "$SCHEMERGE" --db "host=$HOST port=$PORT user=sm_nobody dbname=postgres" snapshot
expect_failure "check the user name in --db or DATABASE_URL" "role \"sm_nobody\" does not exist" "missing role"

# a connection string libpq cannot parse: still one line, still no password
run "$SCHEMERGE" --db "host=$HOST password='$SECRET" snapshot
expect_failure "fix the connection string in --db or DATABASE_URL" "(<connection string>): unterminated quoted string" "unparsable conninfo"

sql "$SCHEMERGE_TEST_DB dbname=postgres" -c "DROP ROLE IF EXISTS $ROLE"
finish
