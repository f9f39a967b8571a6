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

/* The kind of a row class (issue 9): a TypedDict, a Pydantic BaseModel subclass, or a
 * @dataclass. Each kind writes its fields in its own form. */
typedef enum codegen_row_kind {
    CODEGEN_ROW_TYPEDDICT,  /* x: Optional[str] */
    CODEGEN_ROW_PYDANTIC,   /* x: Optional[str] = None */
    CODEGEN_ROW_DATACLASS,  /* x: Optional[str] = None, defaulted fields last */
} codegen_row_kind;

typedef struct py_style {
    char indent[16];          /* body indentation of the file's classes: "    ", "  ", "\t" */
    char quote;               /* '"' or '\'' */
    const char *eol;          /* "\n" or "\r\n" */
    pytype_style types;       /* PEP 604 unions, typing generics */
    codegen_enum_base enum_base;
    bool total_false;         /* row classes are declared (TypedDict, total=False) */
    bool docstrings;          /* classes carry docstrings (markers are written) */
    int blank_lines;          /* blank lines between top-level classes */
    codegen_row_kind row_kind; /* the kind of the file's first row class (TypedDict when none) */
    char dataclass_decorator[64]; /* DATACLASS: the decorator as the file writes it, without
                                     '@' ("dataclass", "dataclasses.dataclass(frozen=True)") */
    bool pydantic_v1;         /* the file's models configure with `class Config:` */
    bool no_functional;       /* config "functional_form": "never" (set by the caller) */
} py_style;

/* Whether a class is a row class by its own declaration: a direct TypedDict or BaseModel
 * base, or a dataclass decorator (`dataclass`, `dataclasses.dataclass`, with or without
 * arguments). A subclass of a row class is none of these. */
bool codegen_is_row_class(const py_class *c);
/* The kind of a class (TypedDict when it is neither Pydantic nor a dataclass). */
codegen_row_kind codegen_class_row_kind(const py_class *c);

/* The column a field stands for when its default is `Field(..., alias="name")` (pydantic):
 * a new string with the decoded alias, NULL when there is none. text is the file's text.
 * When lit is not NULL it receives the span of the alias's string literal. */
char *codegen_field_alias(const char *text, const py_field *f, py_span *lit);

/* Whether a field of a row class stands for a column: not a ClassVar/InitVar, not
 * pydantic's model_config. */
bool codegen_field_is_column(const py_field *f);

/* "    name: annotation[ = None]\n": a row field in the form of its class kind (the
 * default None for a nullable column of a Pydantic model or a dataclass). */
void codegen_row_field_line(strbuf *out, const py_style *style, codegen_row_kind kind,
                            const char *name, const char *annotation, bool nullable);

/* The style of f; f NULL (a new file) or a file without classes gets the defaults:
 * 4 spaces, double quotes, \n, Optional[T], builtin generics, (str, Enum),
 * total=False, docstring markers, 2 blank lines. */
void codegen_detect_style(py_style *out, const py_file *f);

/* "    NAME = \"label\"\n" for a new enum member (eol per style). */
void codegen_member_line(strbuf *out, const py_style *style, const char *name, const char *label);
/* "    name: annotation\n" */
void codegen_field_line(strbuf *out, const py_style *style, const char *name, const char *annotation);

/* A whole enum class for e (labels in database order), named class_name; qualify: the
 * marker names the enum with its schema. */
void codegen_enum_class(strbuf *out, const py_style *style, const char *class_name, const sm_enum *e,
                        bool qualify);
/* The same, keeping the member names of like (the local class) for the labels it has, so
 * that a side-by-side view differs only where the labels do. like may be NULL. */
void codegen_enum_class_like(strbuf *out, const py_style *style, const char *class_name,
                             const sm_enum *e, bool qualify, const py_class *like);

/* A whole row class for t; qualify: its marker names the table with its schema (another
 * selected schema has a table of that name). A TypedDict with a column class syntax cannot
 * hold is written in the functional form (unless style->no_functional: such columns are
 * then comments saying so); a Pydantic model or a dataclass aliases such columns, and a
 * model with aliases allows population by field name. */
/* What a generated class needs imported beyond its kind's base and its annotations. */
enum {
    CODEGEN_NEEDS_FIELD = 1,       /* pydantic's Field or dataclasses' field (aliases) */
    CODEGEN_NEEDS_CONFIG_DICT = 2, /* pydantic 2's ConfigDict (populate_by_name) */
};
unsigned codegen_table_class(strbuf *out, const py_style *style, const char *class_name,
                             const sm_table *t, bool qualify, const typemap_ctx *ctx);

/* Whether some column of t cannot be a field in class syntax (naming_is_class_field). */
bool codegen_table_needs_functional(const sm_table *t);

/* The functional form as black formats it, in three parts: `XRow = TypedDict(`, the
 * name and `{` on lines of their own; the items; `},`, `total=...,` when total is not
 * NULL, and `)`. */
/* "# <text>" + eol: the marker above a functional class, with what a comment cannot hold
 * escaped (naming_comment_text). */
void codegen_marker_comment(strbuf *out, const py_style *style, const char *text);
void codegen_functional_open(strbuf *out, const py_style *style, const char *class_name);
void codegen_functional_close(strbuf *out, const py_style *style, const char *total);
/* `    "column": annotation,` + eol: an item of a functional TypedDict. */
void codegen_functional_item(strbuf *out, const py_style *style, const char *indent,
                             const char *column, const char *annotation);

/* The names an annotation binds at its top (the first part of dotted names), appended to
 * *names (new strings, no duplicates): "Optional[datetime.date]" -> Optional, datetime. */
void codegen_annotation_names(const char *annotation, const char ***names, size_t *n, size_t *cap);

/* Whether a column is written under another name with its column as an alias in a class of
 * this kind (SPEC 2): in a Pydantic model or a dataclass, a name class syntax cannot hold,
 * a name the base class reserves (pydantic: model_*, _*, schema, json, ...), or one of the
 * names the class's annotations use (used[0..nused)), which a default would shadow. */
bool codegen_field_aliased(codegen_row_kind kind, const char *column, const char *const *used, size_t nused);

/* The Python name of an aliased field: the member-name rule in lower case, `_` appended
 * to a keyword or a reserved name, not NFKC-equal to any of taken. New string. */
char *codegen_alias_field_name(codegen_row_kind kind, const char *column, const char *const *used,
                               size_t nused, const char *const *taken, size_t ntaken);

/* `    name: ann = Field(alias="column")` (pydantic) or
 * `    name: ann = field(metadata={"column": "column"})` (dataclass), default None when
 * nullable. */
void codegen_aliased_field_line(strbuf *out, const py_style *style, codegen_row_kind kind,
                                const char *name, const char *column, const char *annotation,
                                bool nullable);

/* The model configuration line(s) that let a model be populated by field name. */
void codegen_populate_by_name(strbuf *out, const py_style *style);

/* The annotation text for a column in the style. New string. */
char *codegen_annotation(const py_style *style, const sm_column *col, const typemap_ctx *ctx);

#endif
