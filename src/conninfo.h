/* conninfo.h: which database to connect to, and how to show that without a password.
 *
 * A connection string is a libpq URI (postgresql://user:pw@host/db?x=y) or a key=value
 * string (host=... password='...'). This module never connects and never prints; it
 * only picks the string (conninfo_resolve) and masks it for messages (conninfo_redact). */
#ifndef SCHEMERGE_CONNINFO_H
#define SCHEMERGE_CONNINFO_H

#include <stdbool.h>

/* A new string (free()) equal to conninfo with every password replaced by "***": the
 * password in a URI's userinfo, a ?password= or ?sslpassword= query parameter, a
 * password= or sslpassword= key (quoted or not), and a URI given as dbname=. Never fails:
 * input it cannot parse gives "<connection string>" rather than risk a leak; NULL or ""
 * gives "" (libpq's defaults). */
char *conninfo_redact(const char *conninfo);

/* A message handed on from libpq (or the server), made safe to show: every double-quoted
 * piece of it that is the whole conninfo is replaced by its masked form (libpq quotes a
 * string it cannot parse whole); one that echoes a part of conninfo which the masked form
 * hides (two bytes or more: a lone "=" tells nothing), or that holds password (may be
 * NULL: the one libpq would use, when known), is replaced by "***"; the password is
 * masked anywhere else too. A password shorter than 4 bytes is looked for only as an
 * echo, so that it does not mask ordinary words. A new string (free()). */
char *conninfo_scrub(const char *msg, const char *conninfo, const char *password);

/* The connection string to use: db_arg when non-NULL, else $DATABASE_URL, else
 * $SUPABASE_DB_URL (each only when non-empty), else "" (libpq's own defaults: PGHOST,
 * PGDATABASE, PGSERVICE, ~/.pgpass, ...). Borrowed: db_arg or the environment's storage. */
const char *conninfo_resolve(const char *db_arg);

/* True when s looks like a libpq URI (postgresql:// or postgres://). */
bool conninfo_is_uri(const char *s);

#endif
