/* codegen.h: Python source for new members, fields and classes, in the style of the file
 * they go into (SPEC section 6): indentation, quote character, Optional[T] or T | None,
 * List or list, (str, Enum) or StrEnum, TypedDict totality, docstring markers, blank lines
 * between classes, line endings. Generation only: where the text goes is edit.c's job. */
#ifndef SCHEMERGE_CODEGEN_H
#define SCHEMERGE_CODEGEN_H

#include <stdbool.h>

#include "model.h"
#include "pyparse.h"
#include "pytype.h"
#include "strbuf.h"
#include "typemap.h"

typedef enum codegen_enum_base {
    CODEGEN_STR_ENUM,  /* class X(str, Enum) */
    CODEGEN_STRENUM,   /* class X(StrEnum) */
    CODEGEN_ENUM,      /* class X(Enum) */
} codegen_enum_base;

typedef struct py_style {
    char indent[16];          /* body indentation of the file's classes: "    ", "  ", "\t" */
    char quote;               /* '"' or '\'' */
    const char *eol;          /* "\n" or "\r\n" */
    pytype_style types;       /* PEP 604 unions, typing generics */
    codegen_enum_base enum_base;
    bool total_false;         /* row classes are declared (TypedDict, total=False) */
    bool docstrings;          /* classes carry docstrings (markers are written) */
    int blank_lines;          /* blank lines between top-level classes */
} py_style;

/* The style of f; f NULL (a new file) or a file without classes gets the defaults:
 * 4 spaces, double quotes, \n, Optional[T], builtin generics, (str, Enum),
 * total=False, docstring markers, 2 blank lines. */
void codegen_detect_style(py_style *out, const py_file *f);

/* "    NAME = \"label\"\n" for a new enum member (eol per style). */
void codegen_member_line(strbuf *out, const py_style *style, const char *name, const char *label);
/* "    name: annotation\n" */
void codegen_field_line(strbuf *out, const py_style *style, const char *name, const char *annotation);

/* A whole enum class for e (labels in database order), named class_name. */
void codegen_enum_class(strbuf *out, const py_style *style, const char *class_name, const sm_enum *e);

/* A whole row class for t. Columns whose names cannot be fields are written as comments
 * saying so. */
void codegen_table_class(strbuf *out, const py_style *style, const char *class_name,
                         const sm_table *t, const typemap_ctx *ctx);

/* The annotation text for a column in the style. New string. */
char *codegen_annotation(const py_style *style, const sm_column *col, const typemap_ctx *ctx);

#endif
