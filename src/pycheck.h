/* pycheck.h: CPython's verdict on a Python source text (SPEC 1, "Valid Python").
 *
 * A file schemerge reads or writes is valid exactly when CPython 3.11's ast.parse accepts
 * it. This module answers that question with CPython's own grammar: the rules in
 * pycheck_rules.inc are generated from Grammar/python.gram (tests/py/gen_pycheck.py), run
 * by a PEG engine with pegen's semantics over the tokens of pylex.c, which tokenizes as
 * CPython's tokenizer does. A rejected text is reported as CPython reports it: the first
 * pass, then the second pass with the invalid_ rules for a specific message, then a scan of
 * the rest of the file for a tokenizer error that takes priority, each with the line
 * CPython gives; string literals (escapes, bytes, \N{...} names, f-strings) are checked
 * as CPython's string parser checks them.
 *
 * Unresolved merge conflict markers (<<<<<<<, =======, >>>>>>> at the start of a line)
 * in a rejected text get a message of their own at the first marker's line.
 *
 * The text must be valid UTF-8 without NUL bytes (pyfile_parse checks that first). Work
 * and memory are linear in the size of the largest top-level statement, not of the file:
 * tokens and memo are dropped after each statement is accepted. */
#ifndef SCHEMERGE_PYCHECK_H
#define SCHEMERGE_PYCHECK_H

#include <stddef.h>

#include "error.h"

/* 0 when CPython accepts text[0..len); else ERR_PARSE with err->what =
 * "PATH:LINE:COL: MESSAGE", LINE as CPython reports it. */
int pycheck_verdict(const char *path, const char *text, size_t len, sm_error *err);

#endif
