/* naming.h: names between the database and Python (SPEC section 2): class names of
 * tables and enums, singular forms, member names for enum labels, Python identifiers,
 * keywords and string literals, and the docstring markers. Pure functions on UTF-8. */
#ifndef SCHEMERGE_NAMING_H
#define SCHEMERGE_NAMING_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* PascalCase: split on '_', '-', ' ' and '.', upper-case each word's first letter, keep
 * the rest as written. "project_members" -> "ProjectMembers". New string. */
char *naming_pascal_case(const char *name);

/* Singular of one lower- or mixed-case word by SPEC section 2's rules, in order.
 * "companies" -> "company", "status" -> "status", "people" -> "person". New string. */
char *naming_singular(const char *word);

/* Table -> row class: PascalCase with the LAST word singularised, + "Row".
 * "organizations" -> "OrganizationRow", "PasswordResetToken" -> "PasswordResetTokenRow". */
char *naming_table_class(const char *table);

/* Enum type -> class: "project_status" -> "ProjectStatus". */
char *naming_enum_class(const char *enum_name);

/* Whether class_name is the conventional name of the enum: "ProjectStatus" or the seed
 * tool's "ProjectStatusType". */
bool naming_enum_class_matches(const char *enum_name, const char *class_name);

/* Member name for a new label (SPEC section 2): towupper per letter/digit, runs of other
 * characters -> one '_', trim '_', leading digit gets '_', empty -> "VALUE", never a
 * keyword, _sunder_ or __dunder__; a name in taken gets _2, _3, ... New string. */
char *naming_member_name(const char *label, const char *const *taken, size_t ntaken);

/* Python identifier (PEP 3131: Unicode letters allowed) that is not a keyword. */
bool naming_is_field_name(const char *s);
bool naming_is_identifier(const char *s);
/* A column that class syntax can hold as it is: a field name whose NFKC form is itself
 * (Python would read "ﬁx: int" as the key "fix"). */
bool naming_is_class_field(const char *s);
/* s in Unicode NFKC, the form Python gives identifiers. New string. */
char *naming_nfkc(const char *s);
/* Whether Python reads a and b as one identifier (equal after NFKC). */
bool naming_same_identifier(const char *a, const char *b);
bool naming_is_keyword(const char *s);   /* hard keywords: class, from, None, True, ... */
/* An enum member name by SPEC: one leading '_' ok; _sunder_ / __dunder__ are not members. */
bool naming_is_member_name(const char *s);

/* A valid Python string literal for value using quote ('"' or '\''): escapes the quote,
 * backslash, control characters, line breaks and bidi controls; keeps other UTF-8 as is.
 * New string. */
char *naming_py_string(const char *value, char quote);

/* The docstring marker (SPEC section 2), judged on the first line of a docstring:
 * "Database row for <table>" -> *is_table = true, returns "<table>";
 * "<enum> enumeration" -> *is_table = false, returns "<enum>";
 * a name written as SQL writes it ("line items", a '"' inside doubled, schema.name) is
 * read back exactly; otherwise quotes/backticks around the name and a trailing '.', ','
 * or ':' are removed. NULL when the line carries no marker. New string. schema (may be
 * NULL) receives a new string with the schema when the marker names one (auth.users,
 * "my schema"."my table"), else NULL. */
char *naming_marker(const char *docstring, bool *is_table, char **schema);

/* The name as a marker writes it: a plain lower-case identifier as it is, anything else
 * as SQL writes it ("line items", "Order State", a '"' inside doubled), so that
 * naming_marker reads back exactly the name. Appended to out. */
void naming_marker_name(strbuf *out, const char *name);
/* The object as a marker names it: schema NULL -> naming_marker_name(name); else
 * schema.name, each part quoted as SQL needs ("auth".users is written auth.users). */
void naming_marker_object(strbuf *out, const char *schema, const char *name);
/* The object a marker names at the start of text (to the end of its line), as
 * naming_marker reads it after "Database row for": name (new string) and *schema (new
 * string or NULL). NULL when there is none. */
char *naming_marker_read_object(const char *text, char **schema);

/* A marker as the comment above a functional class writes it: '\' doubled, control and
 * bidi characters as \xNN, \uNNNN, \UNNNNNNNN; naming_comment_decode reads it back. */
void naming_comment_text(strbuf *out, const char *text);
char *naming_comment_decode(const char *s, size_t n);

#endif
