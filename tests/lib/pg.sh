# pg.sh: a throwaway PostgreSQL for the tests (sourced by tests/run and the demo).
# pg_start [BINDIR]: initdb in a temporary directory (as the postgres user when run as root),
# with the server binaries of BINDIR (default: Debian's, pg_bindir), $PG_OPTS added to
# the server's options,
# unix socket only, trust for local connections except members of role "pwauth", which
# must give a password. Sets SCHEMERGE_TEST_DB (a conninfo without dbname) and PG_TMP.
# pg_stop: stops the server and removes the directory; safe to call twice.

pg_bindir() {
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

pg_as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
    PG_BIN=${1:-$(pg_bindir)} || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
    PG_TMP=$(mktemp -d /tmp/sm-pg.XXXXXX) || return 1
    mkdir -p "$PG_TMP/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PG_TMP"
    PG_PORT=${PG_PORT:-54329}
    pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log" >&2; return 1; }
    cat > "$PG_TMP/data/pg_hba.conf" <<HBA
local all +pwauth scram-sha-256
local all all trust
HBA
    pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $PG_TMP/sock -p $PG_PORT -c fsync=off -c full_page_writes=off -c max_connections=100 ${PG_OPTS:-}" \
        start >/dev/null || { cat "$PG_TMP/server.log" >&2; return 1; }
    SCHEMERGE_TEST_DB="host=$PG_TMP/sock port=$PG_PORT user=postgres"
    export SCHEMERGE_TEST_DB PG_TMP PG_BIN PG_PORT
    psql -X -q "$SCHEMERGE_TEST_DB dbname=postgres" -c "CREATE ROLE pwauth NOLOGIN" >/dev/null
}

pg_stop() {
    [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ] || return 0
    pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$PG_TMP"
    PG_TMP=
}
