/* pyparse.h: a parser for the subset of Python that schema files are made of.
 *
 * A real tokenizer (every string literal form, comments, continuations, brackets across
 * lines, tabs, CRLF, a UTF-8 BOM) feeds a statement-level parser that recognises top-level
 * classes, their bases, decorators, docstring, enum members (`NAME = <string literal>`)
 * and annotated fields (`name: annotation [= default]`), each with byte spans and
 * line/column. Everything else (imports, functions, methods, nested classes, module code)
 * is kept as opaque text: the parser never rewrites anything, it only locates.
 *
 * Spans are byte offsets [start, end) into py_file.text. Lines are 1-based; columns are
 * 1-based and count characters (code points), as Python reports them.
 *
 * One py_file owns everything reachable from it; pyfile_free releases it all.
 *
 * Errors use CPython's messages and positions (checked against Python 3.11 by
 * tests/cli/parser_vs_ast.sh): "unterminated string literal (detected at line N)",
 * "unexpected indent", "unindent does not match any outer indentation level",
 * "'(' was never closed", "expected ':'", "invalid syntax", "invalid character '€' (U+20AC)",
 * plus "file is not UTF-8" and "file contains a NUL byte". Statements the parser does not
 * look into (function bodies, module code) are checked only for tokens, brackets and
 * indentation, not for the full Python grammar.
 *
 * Statements that share a line (`A = "a"; B = "b"`, or a one-line class body) cannot own
 * the whole line: their spans then cover the statement's own text only. */
#ifndef SCHEMERGE_PYPARSE_H
#define SCHEMERGE_PYPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "verdicts.h"

typedef struct py_span {
    uint32_t start, end; /* files are refused from 4 GiB (pyfile_parse) */
} py_span;

/* `NAME = value` in a class body. */
typedef struct py_member {
    char *name;
    char *value;          /* the decoded string (UTF-8) when the right side is one string
                             literal or an implicit concatenation of literals (no f-string,
                             no bytes); NULL for anything else (auto(), 1, a call, ...) */
    char quote;           /* '"' or '\'' of the (first) literal; 0 when value is NULL */
    py_span span;         /* the whole statement: from the start of its line (indent
                             included) through its trailing comment and newline */
    py_span name_span;
    py_span value_span;   /* the right-hand side as written */
    int line, col;        /* of the name */
} py_member;

/* `name: annotation` or `name: annotation = default` in a class body. */
typedef struct py_field {
    char *name;
    char *annotation;     /* the annotation's source text, exactly as written (may span
                             lines inside brackets); trailing spaces/comment excluded */
    py_span span;         /* whole statement, as py_member.span */
    py_span name_span;
    py_span annotation_span;
    bool has_default;
    py_span default_span; /* the default's source text when has_default */
    int line, col;
    /* The functional form (py_class.functional): name is the decoded key, name_span the
     * key's string literal(s), annotation_span the value; span is what removing the item
     * takes: its whole lines when it owns them, else the item with one separating comma. */
    py_span item_span;    /* the key's first token through the value's last */
    bool trailing_comma;  /* a comma follows the value */
} py_field;

typedef struct py_keyword {  /* class Foo(TypedDict, total=False): "total" -> "False" */
    char *name;
    char *value;          /* source text */
} py_keyword;

typedef struct py_class {
    char *name;
    char **bases;         /* positional bases as written, whitespace removed: "str",
                             "Enum", "enum.Enum", "TypedDict", "MessageRow" */
    size_t nbases;
    py_keyword *keywords;
    size_t nkeywords;
    char **decorators;    /* decorator expressions without '@': "dataclass", "unique" */
    size_t ndecorators;
    char *docstring;      /* decoded first-statement string, NULL when none */
    py_span docstring_span; /* the whole docstring statement, as py_member.span */
    py_span span;         /* from the first decorator's line (or the class line) start
                             through the last line that belongs to the body, including
                             its newline; trailing blank lines and comments at column 0
                             after the body are NOT part of it */
    py_span header_span;  /* the `class ...:` statement through its newline */
    py_span body_span;    /* after header_span through span.end */
    char *indent;         /* the body's indentation string: "    ", "  ", "\t" */
    bool ignore_marker;   /* the class line ends with the comment `# schemerge: ignore` */
    bool one_line_body;   /* `class X(Enum): A = "a"` on one line: no members are editable */
    int line, col;        /* of the `class` keyword */
    py_member *members;   /* in file order */
    size_t nmembers;
    py_field *fields;     /* in file order */
    size_t nfields;
    py_span last_stmt_span; /* the last member/field/docstring statement (where new
                             members go after); {0,0} when the body has none */
    /* The functional TypedDict form (SPEC 1): `XRow = TypedDict("XRow", {...}, total=False)`.
     * name is the assigned name, bases {"TypedDict"}, keywords the call's, fields the dict's
     * items; the marker is the comment line right above (`# Database row for "x y"`), held
     * in docstring/docstring_span; span covers that comment and the statement. */
    bool functional;
    py_span name_span;      /* functional: the assigned NAME */
    py_span typename_span;  /* functional: the call's first argument, a string literal */
    size_t dict_open;       /* functional: offset of '{' */
    size_t dict_close;      /* functional: offset of '}' */
} py_class;

/* `from MODULE import a, b as c` or `import MODULE` at top level. */
typedef struct py_import {
    char *module;         /* "typing", "enum", "__future__", "schemas.enums" */
    char **names;         /* imported names (the original name, not the alias); empty for
                             `import MODULE` */
    size_t nnames;
    bool is_from;
    bool parenthesized;   /* from X import (a, b) */
    bool star;            /* from X import * */
    py_span span;         /* the whole statement incl. newline */
    py_span names_span;   /* for is_from: from the first name to the last (inside the
                             parentheses when parenthesized) */
    int line;
} py_import;

typedef struct py_file {
    char *path;           /* as given, for messages */
    char *text;           /* the whole file, owned, NUL-terminated (may contain \r) */
    size_t len;
    bool bom;             /* starts with a UTF-8 BOM (kept in text) */
    bool crlf;            /* the first line ending is \r\n */
    bool final_newline;   /* the text ends with a line ending */
    py_class *classes;    /* top-level classes, file order */
    size_t nclasses;
    py_import *imports;   /* top-level imports, file order */
    size_t nimports;
    size_t *line_starts;  /* private to pyparse.c: offset of each line, for pyfile_line_of */
    size_t nlines;
    struct strpool *strings; /* private: where the fields' names and annotations are kept
                                (100,000 fields: their "id" and "str" once each) */
} py_file;

/* Parse text (len bytes, need not be NUL-terminated; copied). path is used in messages.
 * On a syntax error: ERR_PARSE with what = "PATH:LINE:COL: MESSAGE" and no *out.
 * Text that is not UTF-8, or contains NUL bytes, is a parse error, not a crash.
 * Never loops forever, whatever the input. */
int pyfile_parse(py_file **out, const char *path, const char *text, size_t len, sm_error *err);

/* Read and parse a file. A missing file is ERR_NOT_FOUND (callers treat it as empty). */
int pyfile_load(py_file **out, const char *path, sm_error *err);
/* The same, and digest gets the SHA-256 of the bytes read (on success): when known has it,
 * CPython's verdict accepted these bytes before (verdicts.h) and is not asked again. */
int pyfile_load_known(py_file **out, const char *path, const verdicts *known,
                      char digest[SM_SHA256_HEX_LEN + 1], sm_error *err);

void pyfile_free(py_file *f);

/* Lookups: NULL when absent. */
const py_class *pyfile_find_class(const py_file *f, const char *name);
bool pyclass_has_base(const py_class *c, const char *base); /* "Enum" matches "Enum" and
                                                               "enum.Enum" */
const char *pyclass_keyword(const py_class *c, const char *name); /* value text or NULL */

/* Line (1-based) of a byte offset. */
int pyfile_line_of(const py_file *f, size_t offset);

/* py_string_decode (one Python string literal token into UTF-8) is in pystr.h. */
#include "pystr.h"

#endif
