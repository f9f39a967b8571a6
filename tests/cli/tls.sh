#!/usr/bin/env bash
# tls.sh: TLS to the server (issue 17 item 3). A server of its own (TCP on 127.0.0.1,
# ssl on, TLS-only access in pg_hba.conf) with a certificate for "localhost" signed by a
# CA this test makes with openssl:
#   - sslmode=require and sslmode=verify-full (the right CA, the right name) read the
#     catalog, with the same DB hash as the unix socket;
#   - a wrong CA, a host name the certificate does not name, a missing CA file, and no
#     TLS at all are each one line that says what to do, and exit 2.
. "$TESTLIB"
need git psql python3 openssl
. "$(dirname "$TESTLIB")/pg.sh"
pg_bindir >/dev/null || skip "no PostgreSQL server binaries"

C=$(mktemp -d /tmp/sm-tls.XXXXXX)
chmod 755 "$C"
trap 'pg_stop; rm -rf "$C"; t_cleanup' EXIT
(
    cd "$C" &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=schemerge test CA" -keyout ca.key -out ca.crt &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout other.key -out other.crt &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr &&
    printf 'subjectAltName=DNS:localhost\n' >ext.cnf &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out server.crt
) >"$T/openssl.log" 2>&1 || { fail "openssl: $(tail -5 "$T/openssl.log")"; finish; }
chmod 600 "$C/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$C/server.key" "$C/server.crt"

unset SCHEMERGE_TEST_DB
PORT=$((56000 + RANDOM % 1000))
PG_PORT=$PORT PG_OPTS="-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$C/server.crt -c ssl_key_file=$C/server.key" \
    pg_start >"$T/pg.log" 2>&1 || { fail "the TLS server does not start: $(tail -5 "$T/pg.log")"; finish; }
# over TCP only with TLS
echo "hostssl all all 127.0.0.1/32 trust" >>"$PG_TMP/data/pg_hba.conf"
pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" reload >/dev/null
SOCKET="$SCHEMERGE_TEST_DB dbname=postgres"
sql "$SOCKET" -c "CREATE TYPE mood AS ENUM ('ok', 'meh'); CREATE TABLE diary (id integer PRIMARY KEY, mood mood)"

R="$T/repo"
git init -q "$R"
cd "$R" || finish
run "$SCHEMERGE" --db "$SOCKET" diff --json -o "$T/socket.json"
expect_rc 0 "diff over the unix socket"
want=$(diff_json_hash "$T/socket.json")

TCP="host=localhost port=$PORT user=postgres dbname=postgres connect_timeout=10"
for mode in "sslmode=require" "sslmode=verify-full sslrootcert=$C/ca.crt"; do
    for _ in $(seq 40); do psql -X -tA "$TCP $mode" -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.05; done
    run "$SCHEMERGE" --db "$TCP $mode" diff --json -o "$T/tls.json"
    expect_rc 0 "diff with $mode"
    assert_eq "$(diff_json_hash "$T/tls.json")" "$want" "the DB hash with $mode"
    # the connection really was encrypted
    assert_eq "$(psql -X -tA "$TCP $mode" -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" t "TLS with $mode"
done

# bad cases: exit 2, one line naming what to change
bad() {
    local conn=$1 want_msg=$2 want_hint=$3
    run "$SCHEMERGE" --db "$conn" check
    expect_rc 2 "check with [$conn]"
    assert_eq "$(wc -l <"$T/err")" 1 "lines of the error for [$conn]"
    assert_contains "$T/err" "$want_msg"
    assert_contains "$T/err" "$want_hint"
}
bad "$TCP sslmode=verify-full sslrootcert=$C/other.crt" "certificate verify failed" \
    "point sslrootcert at the CA that signed it"
bad "host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=verify-full sslrootcert=$C/ca.crt" \
    'does not match host name "127.0.0.1"' "connect with a host name that the server's certificate names"
bad "$TCP sslmode=verify-full sslrootcert=$C/missing.crt" 'root certificate file' \
    "give sslrootcert the file of the CA that signed the server's certificate"
bad "$TCP sslmode=disable" "no encryption" "add sslmode=require"
finish
