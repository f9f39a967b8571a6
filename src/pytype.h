/* pytype.h: Python type annotations as small trees, compared by meaning.
 *
 * pytype_parse reads an annotation's source text ("Optional[str]", "str | None",
 * "'Optional[list[int]]'", "NotRequired[Dict[str, Any]]") into a normalised tree:
 * - forward references (quoted annotations) are parsed as the expression they contain;
 * - qualifiers "typing.", "typing_extensions.", "t." are dropped; List/Dict/Set/Tuple/
 *   FrozenSet/Type become list/dict/set/tuple/frozenset/type;
 * - NotRequired[X], Required[X], ReadOnly[X], Final[X] and Annotated[X, ...] are X;
 * - Optional[X] is Union[X, None]; X | Y is Union[X, Y]; unions are flattened, their
 *   members deduplicated and sorted, and a one-member union is the member itself.
 * Two trees are equal when they mean the same type. */
#ifndef SCHEMERGE_PYTYPE_H
#define SCHEMERGE_PYTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum pytype_kind {
    PYTYPE_NAME,     /* str, int, Any, ProjectStatus, datetime.date, list (bare), ... */
    PYTYPE_NONE,     /* None */
    PYTYPE_GENERIC,  /* name[args]: list[int], dict[str, Any], Literal['a'] */
    PYTYPE_UNION,    /* args: two or more members, sorted, no nested unions */
    PYTYPE_LITERAL,  /* a constant inside Literal[...] or an unparsable fragment: name = text */
} pytype_kind;

typedef struct pytype {
    pytype_kind kind;
    char *name;            /* NAME, GENERIC, LITERAL */
    struct pytype **args;  /* GENERIC, UNION */
    size_t nargs;
} pytype;

/* Style of the file new annotations are written into. */
typedef struct pytype_style {
    bool pep604;           /* "X | None" rather than "Optional[X]" */
    bool typing_generics;  /* "List[X]"/"Dict[str, Any]" rather than "list[X]"/"dict" */
} pytype_style;

int pytype_parse(pytype **out, const char *annotation, sm_error *err); /* ERR_PARSE on junk */
void pytype_free(pytype *t);
pytype *pytype_dup(const pytype *t);

pytype *pytype_name(const char *name);                    /* constructors, owned by caller */
pytype *pytype_none(void);
pytype *pytype_generic(const char *name, pytype **args, size_t nargs); /* takes args */
pytype *pytype_optional(pytype *t);                       /* Union[t, None], takes t */

bool pytype_equal(const pytype *a, const pytype *b);
bool pytype_is_nullable(const pytype *t);   /* a union containing None, or None, or Any */
/* The type without None (a new tree): Union[str, None] -> str; None -> None. */
pytype *pytype_strip_none(const pytype *t);

/* Source text in the given style. Optional[...] / X | None for nullable unions,
 * "dict" for a bare dict, "Dict[str, Any]" for dict when typing_generics. New string. */
char *pytype_render(const pytype *t, const pytype_style *style);

/* An import an annotation needs besides typing's: `from module import name`, or with
 * name NULL `import module` (for a dotted name such as ipaddress.IPv4Address). */
typedef struct pytype_import {
    const char *module;    /* borrowed: from a static table, or from the pytype itself */
    const char *name;
    size_t module_len;     /* module is module[0..module_len) */
} pytype_import;

/* The imports other than typing's that the names of t need: well-known names from the
 * standard library (Decimal, datetime, date, time, timedelta, UUID, IPv4Address, Path,
 * ...) and Pydantic (EmailStr, PositiveInt, Json, ...), and the modules of dotted names. Builtins, typing's names and names this cannot
 * place (an enum class, which the caller imports) add nothing. Appended to out (up to
 * cap, no duplicates); returns the count. The entries borrow from t. */
size_t pytype_imports(const pytype *t, pytype_import *out, size_t n, size_t cap);

/* The first name of t whose module cannot be known (not a builtin, not typing's, not a
 * well-known name, not dotted), or NULL: a config "types" override must name its module. */
const char *pytype_unplaced_name(const pytype *t);

/* Names of typing imports a rendered annotation needs ("Optional", "Any", "List",
 * "Dict", "Union"): appended to names (up to cap, no duplicates); returns the count.
 * The names are static strings: they outlive t. */
size_t pytype_typing_names(const pytype *t, const pytype_style *style, const char **names,
                           size_t n, size_t cap);

#endif
