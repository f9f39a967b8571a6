/* fuzz_pytype.c: libFuzzer target for pytype_parse. Whatever parses must render in every
 * style, the rendering must parse again, and rendering that again in the same style must
 * give the same text (a fixed point). In the typing style a bare "dict"
 * is written "Dict[str, Any]" on purpose (pytype.h), so there the fixed point comes one
 * round later. Built only by `make fuzz`. */
#include "config.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pytype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Annotations come out of files pyfile_parse accepted, which are valid UTF-8 without NUL:
 * other bytes are not an input pytype_parse can get. */
static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || c == 0 || i + len > n || (len == 2 && c < 0xC2))
            return false;
        uint32_t cp = len == 1 ? c : (uint32_t)(c & (0x7F >> len));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096 || !valid_utf8(data, size))
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    pytype *t = NULL;
    sm_error err = { 0 };
    if (pytype_parse(&t, text, &err) == 0) {
        for (int s = 0; s < 4; s++) {
            pytype_style style = { .pep604 = s & 1, .typing_generics = (s & 2) != 0 };
            char *r = pytype_render(t, &style);
            pytype *again = NULL;
            sm_error err2 = { 0 };
            int rc = pytype_parse(&again, r, &err2);
            assert(rc == 0);
            char *r2 = pytype_render(again, &style);
            /* In the typing style "dict" becomes "Dict[str, Any]", which sorts elsewhere in
             * a union: the text may change once, then must stay. */
            if (!style.typing_generics) {
                /* text, not trees: Literal[Annotated[x, ...]] keeps x as a name, and its
                 * rendering Literal[x] reads back as a literal; both mean nothing real */
                assert(strcmp(r, r2) == 0);
            } else {
                pytype *third = NULL;
                assert(pytype_parse(&third, r2, &err2) == 0);
                char *r3 = pytype_render(third, &style);
                assert(strcmp(r2, r3) == 0);
                free(r3);
                pytype_free(third);
            }
            free(r2);
            pytype_free(again);
            free(r);
        }
        pytype *d = pytype_dup(t);
        assert(pytype_equal(t, d));
        pytype_free(d);
        pytype_free(pytype_strip_none(t));
        pytype_free(t);
    }
    free(text);
    return 0;
}
