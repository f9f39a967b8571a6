/* pylex.h: the Python tokenizer behind pyparse.
 *
 * It follows CPython's tokenizer closely enough that the same files are accepted and the
 * same errors are reported at the same line and column: NAME (PEP 3131 identifiers),
 * NUMBER, STRING (every prefix, quote and triple-quote form; f-strings are opaque string
 * tokens), OP (brackets tracked for implicit line joining), NEWLINE, INDENT/DEDENT (tabs
 * to the next multiple of 8, tab/space consistency checked as CPython does), backslash
 * continuations, \n, \r\n and lone \r line endings. Comments and blank lines produce no
 * token; the comment that ends a logical line is recorded on its NEWLINE token.
 *
 * It does not check grammar beyond brackets and indentation, and it does not decode
 * strings (see py_string_decode). The input must already be valid UTF-8 without NUL
 * bytes (pyfile_parse checks that first). Memory use is bounded by the nesting depth of
 * brackets and indentation, not by the size of the file: tokens are produced one by one. */
#ifndef SCHEMERGE_PYLEX_H
#define SCHEMERGE_PYLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum lx_type {
    LX_NAME,
    LX_NUMBER,
    LX_STRING,
    LX_OP,
    LX_NEWLINE,  /* end of a logical line; [start,end) covers the line ending (empty at EOF) */
    LX_INDENT,   /* zero-width, at the first token of the indented line */
    LX_DEDENT,   /* zero-width */
    LX_END       /* end of input; returned again on every later call */
} lx_type;

typedef struct lx_token {
    lx_type type;
    size_t start, end;     /* byte offsets into the text */
    int line;              /* 1-based line of start */
    size_t line_start;     /* byte offset where that line begins (for columns) */
    bool str_bytes;        /* LX_STRING with a b prefix */
    bool str_f;            /* LX_STRING with an f prefix */
    bool has_comment;      /* LX_NEWLINE: a comment ends this logical line */
    size_t comment_start, comment_end; /* LX_NEWLINE: that comment, '#' to line end */
    int level;             /* brackets open after this token (CPython's tok->level) */
} lx_token;

typedef struct lx_bracket {
    char ch;
    size_t off;
    int line;
    size_t line_start;
} lx_bracket;

typedef struct lexer {
    const char *s;
    size_t len;
    const char *path;      /* for messages */
    size_t pos;
    int line;
    size_t line_start;
    bool at_bol;           /* next token starts a logical line: measure indentation */
    bool line_has_token;   /* a token was produced since the last NEWLINE */
    int pending_dedents;
    bool pending_comment;
    size_t comment_start, comment_end;
    int *indents, *altindents; /* indentation stack (tabs 8 and tabs 1), [0] == 0 */
    size_t nindents, capindents, capalt;
    lx_bracket *brackets;
    size_t nbrackets, capbrackets;
    bool finished;         /* LX_END produced */
    /* After an error: whether CPython's tokenizer defers it (E_DEDENT, E_TABSPACE,
     * E_TOODEEP, E_LINECONT, E_EOF: no exception until the parser takes the token, so a
     * scan of the rest of the file passes over it) rather than raising at once. */
    bool err_deferred;
} lexer;

/* Start tokenizing s[0..len) (borrowed; must outlive the lexer). A leading UTF-8 BOM is
 * skipped. path is borrowed too. */
void lexer_init(lexer *lx, const char *path, const char *s, size_t len);
void lexer_done(lexer *lx);

/* The next token. Returns 0, or ERR_PARSE with err->what = "PATH:LINE:COL: MESSAGE" and
 * lx->err_deferred (the lexer must not be used afterwards). After LX_END every call returns
 * LX_END again. Punctuation CPython has no operator for ('$', '?', '!', '`') is an LX_OP
 * token, as in CPython: the grammar rejects it, not the tokenizer. */
int lexer_next(lexer *lx, lx_token *out, sm_error *err);

/* 1-based column (in code points) of byte offset off on the line starting at line_start. */
int lx_column(const char *s, size_t line_start, size_t off);

/* Fill err with ERR_PARSE "PATH:LINE:COL: MESSAGE". Returns ERR_PARSE. */
int lx_error_at(sm_error *err, const char *path, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Is code point cp allowed to start / continue an identifier (PEP 3131)? */
bool lx_is_id_start(unsigned cp);
bool lx_is_id_continue(unsigned cp);


#endif
