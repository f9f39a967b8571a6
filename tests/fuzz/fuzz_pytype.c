/* fuzz_pytype.c: libFuzzer target for pytype_parse. Whatever parses must render in every
 * style, the rendering must parse again, and rendering that again in the same style must
 * give the same text (a fixed point) and an equal tree. In the typing style a bare "dict"
 * is written "Dict[str, Any]" on purpose (pytype.h), so there the fixed point comes one
 * round later. Built only by `make fuzz`. */
#include <config.h>

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pytype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
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
                assert(strcmp(r, r2) == 0);
                assert(pytype_equal(t, again));
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
