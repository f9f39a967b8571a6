/* test_layout.c: the UI's pure parts, without a terminal: the layout (terminal size ->
 * rectangles), mouse hit-testing (screen cell -> area, list item, accept box, footer
 * label), text width and truncation by columns (CJK, emoji, combining marks,
 * invalid UTF-8), and the line alignment behind the side-by-side panes. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "align.h"
#include "layout.h"
#include "textwidth.h"

static bool inside(const ui_rect *r, int lines, int cols)
{
    return r->y >= 0 && r->x >= 0 && r->h > 0 && r->w > 0 && r->y + r->h <= lines && r->x + r->w <= cols;
}

static bool overlap(const ui_rect *a, const ui_rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void test_layout_sizes(void **state)
{
    (void)state;
    static const struct { int lines, cols; bool small; } rows[] = {
        { 24, 80, false }, { 40, 120, false }, { 50, 200, false }, { 16, 60, false },
        { 30, 100, false }, { 15, 60, true }, { 16, 59, true }, { 10, 40, true },
        { 0, 0, true }, { 1000, 1000, false },
    };
    static const size_t list_rows[] = { 0, 1, 2, 3, 4, 5, 8, 9, 17, 18, 19, 40, 340, 100000 };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        for (size_t k = 0; k < sizeof list_rows / sizeof *list_rows * LAYOUT_FOOTER_MAX; k++) {
            ui_layout l;
            size_t n = list_rows[k / LAYOUT_FOOTER_MAX];
            int footer_rows = 1 + (int)(k % LAYOUT_FOOTER_MAX);
            layout_compute(&l, rows[i].lines, rows[i].cols, n, footer_rows);
            assert_int_equal(l.too_small, rows[i].small);
            if (l.too_small)
                continue;
            int L = rows[i].lines, C = rows[i].cols;
            const ui_rect *all[] = { &l.status, &l.list, &l.left, &l.right, &l.message, &l.footer };
            for (size_t a = 0; a < 6; a++) {
                assert_true(inside(all[a], L, C));
                for (size_t b = a + 1; b < 6; b++)
                    assert_false(overlap(all[a], all[b]));
            }
            /* every row is used: status, list, panes, message, footer */
            assert_int_equal(l.status.y, 0);
            assert_int_equal(l.list.y, 1);
            assert_int_equal(l.left.y, l.list.y + l.list.h);
            assert_int_equal(l.left.y + l.left.h, l.message.y);
            assert_int_equal(l.message.y + 1, l.footer.y);
            assert_int_equal(l.footer.h, footer_rows);
            assert_int_equal(l.footer.y + l.footer.h, L);
            /* the panes and the separator span the width */
            assert_int_equal(l.left.w + 1 + l.right.w, C);
            assert_int_equal(l.sep_x, l.left.w);
            assert_int_equal(l.right.x, l.sep_x + 1);
            assert_true(l.right.w - l.left.w <= 1 && l.right.w >= l.left.w);
            /* the body is list + panes */
            assert_int_equal(l.body.y, 1);
            assert_int_equal(l.body.h, l.list.h + l.left.h);
            /* the panes keep a third of the body (LAYOUT_PANE_MIN rows at least); the
             * list takes the rows it has up to the rest, and no more than it has */
            int panes_least = l.body.h / 3 > LAYOUT_PANE_MIN ? l.body.h / 3 : LAYOUT_PANE_MIN;
            assert_true(l.left.h >= panes_least);
            assert_true(l.list.h >= LAYOUT_LIST_MIN);
            if (n > LAYOUT_LIST_MIN)
                assert_true((size_t)l.list.h <= n);
            if (n >= (size_t)(l.body.h - panes_least))
                assert_int_equal(l.list.h, l.body.h - panes_least);
            else
                assert_true((size_t)l.list.h >= n);
            assert_int_equal(layout_list_height(L, n, footer_rows), l.list.h);
        }
    }
    /* the case: at 100x30 a long list showed 9 changes; now two thirds of the
     * body (27 rows): 18 */
    ui_layout l;
    layout_compute(&l, 30, 100, 340, 1);
    assert_int_equal(l.list.h, 18);
    assert_int_equal(l.left.h, 9);
    layout_compute(&l, 24, 80, 340, 1);
    assert_int_equal(l.list.h, 14);
    assert_int_equal(l.left.h, 7);
    assert_int_equal(l.left.w, 39);
    assert_int_equal(l.right.w, 40);
    /* three changes under one file and one object: five rows, the panes the rest */
    layout_compute(&l, 24, 80, 5, 1);
    assert_int_equal(l.list.h, 5);
    assert_int_equal(l.left.h, 16);
}

/* Every cell of the screen is in exactly the area whose rectangle holds it. */
static void test_hit_areas(void **state)
{
    (void)state;
    static const struct { int lines, cols; } sizes[] = { { 24, 80 }, { 40, 120 }, { 31, 101 } };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        ui_layout l;
        layout_compute(&l, sizes[i].lines, sizes[i].cols, 340, 1);
        for (int y = 0; y < sizes[i].lines; y++) {
            for (int x = 0; x < sizes[i].cols; x++) {
                ui_area want = AREA_NONE, got = layout_area(&l, false, y, x);
                if (y == 0)
                    want = AREA_STATUS;
                else if (y == sizes[i].lines - 1)
                    want = AREA_FOOTER;
                else if (y == sizes[i].lines - 2)
                    want = AREA_MESSAGE;
                else if (y < l.list.y + l.list.h)
                    want = AREA_LIST;
                else
                    want = x < l.sep_x ? AREA_LEFT : x == l.sep_x ? AREA_SEP : AREA_RIGHT;
                assert_int_equal(got, want);
                /* a full-screen view: list and panes are one body */
                ui_area full = layout_area(&l, true, y, x);
                if (want == AREA_LIST || want == AREA_LEFT || want == AREA_SEP || want == AREA_RIGHT)
                    assert_int_equal(full, AREA_BODY);
                else
                    assert_int_equal(full, want);
            }
        }
    }
    /* 80x24 by hand, a long list: the list is rows 1..14, the panes 15..21, the
     * separator column 39 */
    ui_layout l;
    layout_compute(&l, 24, 80, 340, 1);
    static const struct { int y, x; ui_area area; } cells[] = {
        { 0, 0, AREA_STATUS },  { 1, 0, AREA_LIST },     { 14, 79, AREA_LIST },  { 15, 0, AREA_LEFT },
        { 15, 38, AREA_LEFT },  { 15, 39, AREA_SEP },     { 21, 40, AREA_RIGHT }, { 22, 5, AREA_MESSAGE },
        { 23, 79, AREA_FOOTER }, { 24, 0, AREA_NONE },   { -1, 0, AREA_NONE },   { 5, 80, AREA_NONE },
        { 5, -1, AREA_NONE },
    };
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++)
        assert_int_equal(layout_area(&l, false, cells[i].y, cells[i].x), cells[i].area);
    /* too small: nothing is anywhere */
    layout_compute(&l, 15, 59, 340, 1);
    assert_int_equal(layout_area(&l, false, 0, 0), AREA_NONE);
    assert_int_equal(layout_area(&l, true, 5, 5), AREA_NONE);
}

/* Rows -> items of a scrolled list, with title rows above it. */
static void test_hit_items(void **state)
{
    (void)state;
    static const ui_rect list = { 1, 0, 8, 80 };  /* the 80x24 list: rows 1..8 */
    static const ui_rect body = { 1, 0, 21, 80 }; /* a full-screen view */
    static const struct {
        const ui_rect *r;
        int skip;
        size_t top, n;
        int y;
        long item;
    } rows[] = {
        { &list, 0, 0, 20, 1, 0 },   /* the first row shows top */
        { &list, 0, 0, 20, 8, 7 },   /* the last row */
        { &list, 0, 0, 20, 9, -1 },  /* below the list: a pane */
        { &list, 0, 0, 20, 0, -1 },  /* above: the status bar */
        { &list, 0, 5, 20, 1, 5 },   /* scrolled by 5 */
        { &list, 0, 5, 20, 8, 12 },
        { &list, 0, 0, 3, 3, 2 },    /* a short list: its last item */
        { &list, 0, 0, 3, 4, -1 },   /* the empty row under it */
        { &list, 0, 0, 0, 1, -1 },   /* an empty list */
        { &body, 2, 0, 10, 1, -1 },  /* the backups view: its title row */
        { &body, 2, 0, 10, 2, -1 },  /* its column heads */
        { &body, 2, 0, 10, 3, 0 },   /* the first backup */
        { &body, 2, 4, 30, 21, 22 }, /* the last row, scrolled */
        { &body, 2, 4, 30, 22, -1 }, /* the message row */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_int_equal(layout_item_at(rows[i].r, rows[i].skip, rows[i].top, rows[i].n, rows[i].y),
                         rows[i].item);
}

/* The accept box "[ ]" is columns 4..6 of the list; footer labels are spans. */
static void test_hit_box_and_footer(void **state)
{
    (void)state;
    ui_layout l;
    layout_compute(&l, 24, 80, 340, 1);
    for (int x = -1; x < 80; x++)
        assert_int_equal(layout_on_box(&l, x), x >= 4 && x <= 6);
    /* "space accept  w/enter apply  ? help" on row 23, "q quit" on row 24 */
    const ui_span spans[] = { { 23, 0, 12 }, { 23, 14, 13 }, { 23, 29, 6 }, { 24, 0, 6 } };
    static const struct { int y, x; long i; } hits[] = {
        { 23, 0, 0 }, { 23, 11, 0 }, { 23, 12, -1 }, { 23, 13, -1 }, { 23, 14, 1 }, { 23, 26, 1 },
        { 23, 27, -1 }, { 23, 29, 2 }, { 23, 34, 2 }, { 23, 35, -1 }, { 23, -1, -1 }, { 23, 79, -1 },
        { 24, 0, 3 }, { 24, 5, 3 }, { 24, 6, -1 }, { 22, 0, -1 }, { 24, 14, -1 },
    };
    for (size_t i = 0; i < sizeof hits / sizeof *hits; i++)
        assert_int_equal(layout_span_at(spans, 4, hits[i].y, hits[i].x), hits[i].i);
    assert_int_equal(layout_span_at(spans, 0, 0, 0), -1);
}

/* Footer labels in rows: in order, gap apart, none split, a new row only when the next
 * label does not fit; as a property over many widths and label sets. */
static void test_pack(void **state)
{
    (void)state;
    /* by hand: widths 12, 13, 6 in 30 columns -> "12  13" on row 0, "6" on row 1 */
    const int hand[] = { 12, 13, 6 };
    ui_span out[64];
    assert_int_equal(layout_pack(hand, 3, 30, 2, out), 2);
    assert_int_equal(out[0].y, 0); assert_int_equal(out[0].x, 0);
    assert_int_equal(out[1].y, 0); assert_int_equal(out[1].x, 14);
    assert_int_equal(out[2].y, 1); assert_int_equal(out[2].x, 0);
    assert_int_equal(layout_pack(hand, 0, 30, 2, out), 1);
    /* too wide for a row: a row of its own, cut */
    const int wide[] = { 3, 50, 4 };
    assert_int_equal(layout_pack(wide, 3, 20, 2, out), 3);
    assert_int_equal(out[1].w, 20);
    unsigned seed = 7;
    for (int round = 0; round < 2000; round++) {
        int widths[64];
        size_t n = (size_t)(seed % 30);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            widths[i] = 1 + (int)((seed >> 16) % 25);
        }
        seed = seed * 1103515245u + 12345u;
        int width = 25 + (int)((seed >> 16) % 200);
        int rows = layout_pack(widths, n, width, 2, out);
        int used = 0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(out[i].w, widths[i]);
            assert_true(out[i].x >= 0 && out[i].x + out[i].w <= width);
            if (i == 0) {
                assert_int_equal(out[i].y, 0);
                assert_int_equal(out[i].x, 0);
            } else if (out[i].y == out[i - 1].y) {
                assert_int_equal(out[i].x, out[i - 1].x + out[i - 1].w + 2);
            } else {
                /* a new row only when the label did not fit after the last */
                assert_int_equal(out[i].y, out[i - 1].y + 1);
                assert_int_equal(out[i].x, 0);
                assert_true(out[i - 1].x + out[i - 1].w + 2 + out[i].w > width);
            }
            used = out[i].y + 1;
        }
        assert_int_equal(rows, n ? used : 1);
    }
}

static void test_text_width(void **state)
{
    (void)state;
    static const struct { const char *s; int width; } rows[] = {
        { "", 0 },
        { "abc", 3 },
        { "Galp\xc3\xa3o", 6 },                 /* Galpão */
        { "\xe4\xb8\xad\xe6\x96\x87", 4 },      /* 中文 */
        { "\xf0\x9f\x9a\x80", 2 },              /* 🚀 */
        { "e\xcc\x81", 1 },                     /* e + combining acute */
        { "\xff\xfe", 2 },                      /* invalid bytes: one column each */
        { "\xe4\xb8", 2 },                      /* truncated sequence */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_int_equal(text_width(rows[i].s, strlen(rows[i].s)), rows[i].width);
}

static void test_text_fit(void **state)
{
    (void)state;
    static const struct { const char *s; int width; size_t bytes; int cols; bool trunc; } rows[] = {
        { "abcdef", 6, 6, 6, false },
        { "abcdef", 10, 6, 6, false },
        { "abcdef", 5, 4, 4, true },          /* "abcd" + ellipsis */
        { "abcdef", 1, 0, 0, true },
        { "abcdef", 0, 0, 0, true },
        /* 中文字: a wide character never straddles the edge */
        { "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 6, 9, 6, false },
        { "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, 6, 4, true },
        { "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4, 3, 2, true },
        { "a\xf0\x9f\x9a\x80" "b", 3, 1, 1, true }, /* a🚀b in 3: "a" + ellipsis */
        { "\xc3\xa3\xc3\xa3\xc3\xa3", 2, 2, 1, true },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int cols = -1;
        bool trunc = false;
        size_t n = text_fit(rows[i].s, strlen(rows[i].s), rows[i].width, &cols, &trunc);
        assert_int_equal(n, rows[i].bytes);
        assert_int_equal(cols, rows[i].cols);
        assert_int_equal(trunc, rows[i].trunc);
        if (trunc)
            assert_true(cols + 1 <= rows[i].width || rows[i].width == 0);
    }
}

static size_t split(char ***out, const char *text)
{
    return align_split_lines(out, text, strlen(text));
}

static void test_align(void **state)
{
    (void)state;
    char **l, **r;
    size_t nl = split(&l, "class A(str, Enum):\n    X = \"x\"\n    Y = \"y\"\n    Z = \"z\"\n");
    size_t nr = split(&r, "class A(str, Enum):\n    X = \"x\"\n    Z = \"z\"   \n    W = \"w\"\n");
    assert_int_equal(nl, 4);
    align_row *rows;
    size_t n = align_lines(&rows, l, nl, r, nr);
    /* header and X match; Y only left; Z matches (trailing blanks ignored); W only right */
    static const align_row want[] = {
        { 0, 0, true }, { 1, 1, true }, { 2, -1, false }, { 3, 2, true }, { -1, 3, false },
    };
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].left, want[i].left);
        assert_int_equal(rows[i].right, want[i].right);
        assert_int_equal(rows[i].same, want[i].same);
    }
    free(rows);
    align_lines_free(l, nl);
    align_lines_free(r, nr);

    /* a changed line pairs up with its counterpart, side by side */
    nl = split(&l, "a\nb: int\nc\n");
    nr = split(&r, "a\nb: str\nc\n");
    n = align_lines(&rows, l, nl, r, nr);
    assert_int_equal(n, 3);
    assert_int_equal(rows[1].left, 1);
    assert_int_equal(rows[1].right, 1);
    assert_false(rows[1].same);
    free(rows);
    align_lines_free(l, nl);
    align_lines_free(r, nr);

    /* one side empty; tabs expanded, CR dropped */
    nl = split(&l, "\tx\r\ny\n");
    assert_string_equal(l[0], "    x");
    n = align_lines(&rows, l, nl, NULL, 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].right, -1);
    free(rows);
    align_lines_free(l, nl);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_sizes),
        cmocka_unit_test(test_hit_areas),
        cmocka_unit_test(test_hit_items),
        cmocka_unit_test(test_hit_box_and_footer),
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_text_fit),
        cmocka_unit_test(test_align),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
