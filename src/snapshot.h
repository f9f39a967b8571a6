/* snapshot.h: the catalog as JSON (format 1, see data/snapshot-format.md), and its hash.
 *
 * A snapshot is what `schemerge snapshot` writes and what `--db FILE.json` reads back:
 * the whole sm_catalog, OIDs and attnums included, so that a later run can tell a rename
 * from a drop plus an add. The DB hash is taken over a canonical form of the same JSON
 * without identities and volatile fields, so it depends only on what the schema means,
 * never on creation order, OIDs or the server's version. */
#ifndef SCHEMERGE_SNAPSHOT_H
#define SCHEMERGE_SNAPSHOT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "model.h"
#include "strbuf.h"

#define SNAPSHOT_FORMAT 1
#define SM_DB_HASH_LEN 72 /* "sha256:" + 64 hex + NUL, rounded */

/* Append cat as pretty-printed snapshot JSON (2-space indent, trailing newline) to out.
 * Objects are written in the catalog's order: call catalog_sort first (both readers do). */
void snapshot_to_json(strbuf *out, const sm_catalog *cat);

/* The same text as snapshot_to_json, written to f in chunks so that a large catalog is
 * never held in memory. With index (may be NULL), the text's index is appended to it:
 * where each table's text lies and a fingerprint of each table, so that a later read
 * beside a catalog holding an equal table need not parse that table's text at all
 * (snapshot_read_file_sharing). name (the file) is used in messages. Returns 0, or
 * ERR_IO when a write or the final fflush fails. Does not close f.
 * The index is text, one line per table after a header line:
 *   index VERSION SIZE TABLES_START TABLES_END COUNT
 *   OID OFFSET LENGTH FINGERPRINT
 * SIZE is the document's length, TABLES_START..TABLES_END the "tables" array from its
 * '[' to just past its ']', COUNT its tables, and each table's object is LENGTH bytes at
 * OFFSET, in the file's order; the fingerprint is 32 hex digits over every field
 * table_equal compares. It is only valid beside the very text it was made with: keep the
 * two together (the last-sync state writes them in one transaction). */
#define SNAPSHOT_INDEX_VERSION 1
int snapshot_write_stream(FILE *f, const sm_catalog *cat, strbuf *index, const char *name, sm_error *err);
/* The same into the file descriptor fd (left open), as fs_txn_write_with's fill wants. */
int snapshot_write_fd(int fd, const sm_catalog *cat, strbuf *index, const char *name, sm_error *err);


/* Parse snapshot JSON text of len bytes; name (a file name) is used in messages only.
 * Everything is validated: malformed or truncated JSON, an unknown format, a missing key
 * or a value of the wrong type give ERR_SNAPSHOT with a one-line message naming the file
 * and the place ("line 3, column 7" for syntax, "tables[2].columns[0].name" for content).
 * On success *out is a new sorted catalog owned by the caller (catalog_free). */
int snapshot_parse(sm_catalog **out, const char *text, size_t len, const char *name, sm_error *err);

/* Read and parse the snapshot file at path (as snapshot_parse); ERR_IO when unreadable. */
int snapshot_read_file(sm_catalog **out, const char *path, sm_error *err);
/* The same, borrowing from share (sorted; may be NULL) each table equal to one of its own
 * (table_borrow): share must then outlive *out. For the last-sync snapshot, read beside
 * the catalog it is compared with: only what changed since is held twice.
 * index (may be NULL) is the index snapshot_write_stream made with this file: a table
 * whose oid and fingerprint match one of share's is then taken from share without
 * reading its text, and only the other tables are parsed. An index that does not fit
 * the file (another size, a table's text not where it says) is not used: the whole file
 * is read, and the result is the same. */
int snapshot_read_file_sharing(sm_catalog **out, const char *path, const sm_catalog *share, const char *index,
                               sm_error *err);

/* "sha256:<64 hex>" over the canonical form: the snapshot JSON without format-volatile or
 * identity fields (generator, server_version, oids, attnums), object keys sorted, no
 * white space, schemas sorted, enums/tables in (schema, name) order, constraints by name;
 * columns keep attnum order and labels keep their database order, because order is part
 * of their meaning. Does not modify cat. */
void snapshot_hash(char out[SM_DB_HASH_LEN], const sm_catalog *cat);

/* Whether a and b have the same canonical form, and so the same snapshot_hash, without
 * printing what the two share: a table one borrows from the other (table_borrow) is
 * taken as equal to the table it was borrowed from. */
bool snapshot_same_schema(const sm_catalog *a, const sm_catalog *b);

#endif
