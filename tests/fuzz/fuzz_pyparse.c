/* fuzz_pyparse.c: libFuzzer target for pyfile_parse. Any bytes: a parse error or a file
 * whose spans all lie inside the text and nest (class spans hold their members' spans);
 * never a crash, a hang or a leak. Built only by `make fuzz` (clang -fsanitize=fuzzer). */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pyparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(const py_file *f, py_span s, py_span outer)
{
    assert(s.start <= s.end && s.end <= f->len);
    assert(s.start >= outer.start && s.end <= outer.end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    py_file *f = NULL;
    sm_error err = { 0 };
    if (pyfile_parse(&f, "fuzz.py", (const char *)data, size, &err) < 0) {
        /* a syntax error names the place: "fuzz.py:LINE:COL: ..." */
        assert(strncmp(err.what, "fuzz.py", 7) == 0);
        return 0;
    }
    py_span whole = { 0, f->len };
    for (size_t i = 0; i < f->nclasses; i++) {
        const py_class *c = &f->classes[i];
        check_span(f, c->span, whole);
        check_span(f, c->header_span, c->span);
        check_span(f, c->body_span, c->span);
        for (size_t j = 0; j < c->nmembers; j++) {
            check_span(f, c->members[j].span, c->span);
            check_span(f, c->members[j].name_span, c->members[j].span);
            check_span(f, c->members[j].value_span, c->members[j].span);
        }
        for (size_t j = 0; j < c->nfields; j++) {
            check_span(f, c->fields[j].span, c->span);
            check_span(f, c->fields[j].name_span, c->fields[j].span);
            check_span(f, c->fields[j].annotation_span, c->fields[j].span);
        }
        (void)pyfile_line_of(f, c->span.start);
    }
    for (size_t i = 0; i < f->nimports; i++)
        check_span(f, f->imports[i].span, whole);
    pyfile_free(f);
    return 0;
}
