/* pyparse_dump: print what pyfile_load extracts from a Python file, as JSON, in the shape
 * tests/py/ast_extract.py prints from Python's own ast, so that tests/cli/parser_vs_ast.sh
 * can compare the two. Test tool only (check_PROGRAMS).
 *
 * Usage: pyparse_dump FILE. Prints {"error": "LINE:COL: MESSAGE"} for a syntax error (exit
 * status 0: the error is the expected output), exits 2 on other failures. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyparse.h"

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *span_lines(const py_file *f, py_span sp)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateNumber(pyfile_line_of(f, sp.start)));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(pyfile_line_of(f, sp.end > sp.start ? sp.end - 1 : sp.start)));
    return a;
}

static cJSON *dump_class(const py_file *f, const py_class *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddNumberToObject(o, "line", c->line);
    cJSON_AddNumberToObject(o, "col", c->col);
    cJSON_AddNumberToObject(o, "start_line", pyfile_line_of(f, c->span.start));
    cJSON *a = cJSON_AddArrayToObject(o, "bases");
    for (size_t i = 0; i < c->nbases; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(c->bases[i]));
    a = cJSON_AddArrayToObject(o, "keywords");
    for (size_t i = 0; i < c->nkeywords; i++) {
        cJSON *kv = cJSON_CreateArray();
        cJSON_AddItemToArray(kv, cJSON_CreateString(c->keywords[i].name));
        cJSON_AddItemToArray(kv, cJSON_CreateString(c->keywords[i].value));
        cJSON_AddItemToArray(a, kv);
    }
    a = cJSON_AddArrayToObject(o, "decorators");
    for (size_t i = 0; i < c->ndecorators; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(c->decorators[i]));
    cJSON_AddItemToObject(o, "docstring", str_or_null(c->docstring));
    if (c->docstring && !c->one_line_body)
        cJSON_AddItemToObject(o, "docstring_lines", span_lines(f, c->docstring_span));
    a = cJSON_AddArrayToObject(o, "members");
    for (size_t i = 0; i < c->nmembers; i++) {
        const py_member *m = &c->members[i];
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddStringToObject(mo, "name", m->name);
        cJSON_AddItemToObject(mo, "value", str_or_null(m->value));
        cJSON_AddNumberToObject(mo, "line", m->line);
        cJSON_AddNumberToObject(mo, "col", m->col);
        if (!c->one_line_body)
            cJSON_AddItemToObject(mo, "lines", span_lines(f, m->span));
        cJSON_AddItemToArray(a, mo);
    }
    a = cJSON_AddArrayToObject(o, "fields");
    for (size_t i = 0; i < c->nfields; i++) {
        const py_field *fl = &c->fields[i];
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "name", fl->name);
        cJSON_AddStringToObject(fo, "annotation", fl->annotation);
        if (fl->has_default) {
            char *d = strndup(f->text + fl->default_span.start,
                              fl->default_span.end - fl->default_span.start);
            cJSON_AddStringToObject(fo, "default", d);
            free(d);
        } else {
            cJSON_AddNullToObject(fo, "default");
        }
        cJSON_AddNumberToObject(fo, "line", fl->line);
        cJSON_AddNumberToObject(fo, "col", fl->col);
        if (!c->one_line_body)
            cJSON_AddItemToObject(fo, "lines", span_lines(f, fl->span));
        cJSON_AddItemToArray(a, fo);
    }
    return o;
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        /* run as a test by make check: a smoke test of the parser, not of the tool */
        static const char sample[] = "class A(str, Enum):\n    X = 'x'\n";
        py_file *f = NULL;
        sm_error err = SM_ERROR_INIT;
        int ok = pyfile_parse(&f, "sample.py", sample, sizeof sample - 1, &err) == 0 &&
                 f->nclasses == 1 && f->classes[0].nmembers == 1 &&
                 strcmp(f->classes[0].members[0].value, "x") == 0;
        pyfile_free(f);
        return ok ? 0 : 1;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: pyparse_dump FILE\n");
        return 2;
    }
    py_file *f = NULL;
    sm_error err = SM_ERROR_INIT;
    cJSON *root = cJSON_CreateObject();
    int rc = pyfile_load(&f, argv[1], &err);
    if (rc == ERR_PARSE) {
        /* drop "PATH:" so the message compares with Python's lineno:offset */
        size_t pl = strlen(argv[1]);
        const char *w = strncmp(err.what, argv[1], pl) == 0 && err.what[pl] == ':' ? err.what + pl + 1
                                                                                  : err.what;
        cJSON_AddStringToObject(root, "error", w);
    } else if (rc < 0) {
        fprintf(stderr, "pyparse_dump: %s\n", err.what);
        cJSON_Delete(root);
        return 2;
    } else {
        cJSON *a = cJSON_AddArrayToObject(root, "classes");
        for (size_t i = 0; i < f->nclasses; i++)
            cJSON_AddItemToArray(a, dump_class(f, &f->classes[i]));
        a = cJSON_AddArrayToObject(root, "imports");
        for (size_t i = 0; i < f->nimports; i++) {
            cJSON *io = cJSON_CreateObject();
            cJSON_AddStringToObject(io, "module", f->imports[i].module);
            cJSON *n = cJSON_AddArrayToObject(io, "names");
            for (size_t k = 0; k < f->imports[i].nnames; k++)
                cJSON_AddItemToArray(n, cJSON_CreateString(f->imports[i].names[k]));
            if (f->imports[i].star)
                cJSON_AddItemToArray(n, cJSON_CreateString("*"));
            cJSON_AddItemToArray(a, io);
        }
    }
    char *s = cJSON_Print(root);
    fputs(s, stdout);
    fputc('\n', stdout);
    cJSON_free(s);
    cJSON_Delete(root);
    pyfile_free(f);
    return 0;
}
