/* tui.c: the interactive UI's entry point (cmd_ui) and its loop. The loop waits on the
 * keyboard (100 ms at most), the catalog loader's pipe and inotify; hands keys and mouse
 * events to the top view through its ops (view.h), after the prompts on the message row
 * have had theirs; and draws once per pass, with one doupdate.
 *
 * It decides nothing about schemas or views: the terminal is terminal.c's, the project
 * session.c's, each view its view_*.c's. */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "app.h"
#include "draw.h"
#include "session.h"
#include "terminal.h"
#include "views.h"
#include "xalloc.h"

#define KEY_ESCAPE 27
/* Rows one notch of the wheel scrolls. */
#define WHEEL_ROWS 3

/* Set by the signal handler, read by the loop: the handler does nothing else. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static const view_ops *top_view(const ui_app *a)
{
    return a->views[a->mode];
}

static void draw_status(ui_app *a)
{
    WINDOW *w = a->w_status;
    werase(w);
    int width = a->lay.status.w;
    attr_t st = theme_attr(ROLE_STATUS);
    draw_fill(w, 0, 0, width, st);
    /* the program's name only where there is room: at 80 columns the counts matter more */
    int x = draw_text(w, 0, 0, width, width >= 100 ? " schemerge " : "", st | A_BOLD, 0);
    const sm_changeset *cs = a->p ? a->p->changes : NULL;
    if (a->load == LOAD_RUNNING) {
        draw_text(w, 0, x, width - x, " loading the database catalog...", st, 0);
    } else if (a->load == LOAD_FAILED) {
        draw_text(w, 0, x, width - x, " error", st, 0);
    } else if (cs) {
        strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, " %zu change%s:", cs->n, cs->n == 1 ? "" : "s");
        x += draw_text(w, 0, x, width - x, sb.buf, st, 0);
        for (int s = SEV_CRITICAL; s >= SEV_LOW && x < width; s--) {
            strbuf_reset(&sb);
            strbuf_addf(&sb, " %s %zu", severity_tag((sm_severity)s), cs->counts[s]);
            /* the severity's colour on the status bar's reverse video */
            x += draw_text(w, 0, x, width - x, sb.buf,
                           cs->counts[s] ? (theme_attr(theme_severity_role((sm_severity)s)) | A_REVERSE) : st, 0);
        }
        size_t nacc = 0;
        for (size_t i = 0; i < cs->n; i++)
            nacc += a->marks.accepted[i];
        strbuf_reset(&sb);
        if (a->filter >= 0)
            strbuf_addf(&sb, " | filter %s", severity_name((sm_severity)a->filter));
        strbuf_addf(&sb, " | %zu accepted", nacc);
        /* where the cursor is among the changes shown, as tig and less say it */
        size_t pos = 0, nshown = 0;
        for (size_t r = 0; r < a->nrows; r++) {
            if (a->rows[r].kind != ROW_CHANGE)
                continue;
            nshown++;
            if (r <= a->cur)
                pos = nshown;
        }
        if (nshown)
            strbuf_addf(&sb, " | %zu/%zu", pos, nshown);
        if (a->search && *a->search && x + (int)sb.len + 4 + (int)strlen(a->search) <= width)
            strbuf_addf(&sb, " | /%s", a->search);
        if (x < width)
            draw_text(w, 0, x, width - x, sb.buf, st, 0);
        strbuf_release(&sb);
    }
    wnoutrefresh(w);
}

/* Below the minimum size: the size, what is needed, and a question asked (q's), nothing
 * else; only q, the answer and a resize act. */
static void draw_too_small(const ui_app *a)
{
    werase(stdscr);
    char msg[96];
    snprintf(msg, sizeof msg, "terminal %dx%d; schemerge needs %dx%d", COLS, LINES, LAYOUT_MIN_COLS,
             LAYOUT_MIN_LINES);
    int len = (int)strlen(msg);
    int y = LINES / 2 - (a->confirm != CONFIRM_NONE ? 2 : 0);
    if (y < 0 || len > COLS)
        y = 0;
    /* centred when it fits; else from the top-left corner, broken at spaces */
    if (len <= COLS)
        draw_text(stdscr, y, (COLS - len) / 2, len, msg, A_BOLD, 0);
    int rows = len <= COLS ? 1 : draw_wrapped(stdscr, 0, 0, COLS, LINES, msg, A_BOLD);
    /* the question whole, over as many rows as it takes: its answer is what counts */
    if (a->confirm != CONFIRM_NONE && y + rows < LINES)
        draw_wrapped(stdscr, y + rows, 0, COLS, LINES - y - rows, a->confirm_text, A_NORMAL);
    wnoutrefresh(stdscr);
}

static void draw_all(ui_app *a)
{
    if (a->too_small) {
        draw_too_small(a);
        return;
    }
    const view_ops *v = top_view(a);
    terminal_fit(a, app_footer_rows(a, v->scope(a), COLS));
    draw_status(a);
    if (v->title) {
        strbuf title = STRBUF_INIT;
        v->title(a, &title);
        app_body_frame(a, strbuf_str(&title));
        strbuf_release(&title);
    }
    /* a view that shows the cursor draws last: the cursor stays where it put it */
    if (!v->draws_cursor)
        v->draw(a);
    app_draw_message(a);
    app_draw_footer(a, v->scope(a));
    if (v->draws_cursor)
        v->draw(a);
}

static void handle_confirm(ui_app *a, int key)
{
    ui_confirm_action what = a->confirm;
    a->confirm = CONFIRM_NONE;
    a->dirty = true;
    if (key != 'y' && key != 'Y') {
        app_message(a, false, "cancelled");
        return;
    }
    if (what == CONFIRM_QUIT)
        a->quit = true;
    else if (top_view(a)->confirmed)
        top_view(a)->confirmed(a, what);
}

static void handle_key(ui_app *a, int key, bool is_char)
{
    if (!is_char && key == KEY_RESIZE) {
        terminal_relayout(a);
        if (top_view(a)->resize)
            top_view(a)->resize(a);
        return;
    }
    if (a->confirm != CONFIRM_NONE) {
        handle_confirm(a, key);
        return;
    }
    if (a->too_small) {
        /* nothing is on screen to act on: q quits (asking first when it must) */
        if (is_char && key == 'q')
            session_want_quit(a);
        a->dirty = true;
        return;
    }
    const view_ops *v = top_view(a);
    a->dirty = true;
    /* the message stays while typing into a dialog or a prompt; elsewhere the next key
     * clears it */
    if (!v->draws_cursor && !a->searching)
        a->message[0] = '\0';
    v->key(a, keymap_lookup(v->scope(a), key), key, is_char);
}

/* A click on a footer label runs its key, as if typed; elsewhere the view has the click
 * or the wheel. Prompts (search, y/n) ignore the mouse: they wait for a typed answer. */
static void handle_mouse_at(ui_app *a, int y, int x, bool click, long wheel)
{
    if (a->too_small || a->confirm != CONFIRM_NONE || a->searching || (!wheel && !click))
        return;
    if (layout_area(&a->lay, true, y, x) == AREA_FOOTER) {
        long i = click ? layout_span_at(a->footer_spans, a->nfooter, y, x) : -1;
        if (i >= 0) {
            int key = a->footer_keys[i];
            handle_key(a, key, key < KEY_MIN);
        }
        return;
    }
    a->dirty = true;
    if (top_view(a)->mouse)
        top_view(a)->mouse(a, y, x, wheel);
}

/* A report ncurses decoded (KEY_MOUSE). */
static void handle_mouse(ui_app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    long wheel = 0;
    if (ev.bstate & BUTTON4_PRESSED)
        wheel = -WHEEL_ROWS;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED)
        wheel = WHEEL_ROWS;
#endif
    handle_mouse_at(a, ev.y, ev.x, (ev.bstate & BUTTON1_PRESSED) != 0, wheel);
}

/* An SGR report read here (terminal.h): presses only, as ncurses is asked for. */
static void handle_sgr_mouse(ui_app *a)
{
    int y, x, button;
    bool press;
    if (!terminal_read_sgr_mouse(a->input, &y, &x, &button, &press) || !press)
        return;
    long wheel = button == 64 ? -WHEEL_ROWS : button == 65 ? WHEEL_ROWS : 0;
    handle_mouse_at(a, y, x, button == 0, wheel);
}

/* SCHEMERGE_UI_TRACE: one line per screen update, "NANOSECONDS STATE" with the wall
 * clock (CLOCK_REALTIME, so that a driver can compare it with its own `date +%s%N`) and
 * whether the drift is on screen yet ("ready") or not ("loading", "error"). */
static void trace_update(ui_app *a)
{
    if (!a->trace)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(a->trace, "%lld %s\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
            a->load == LOAD_READY ? "ready" : a->load == LOAD_RUNNING ? "loading" : "error");
    fflush(a->trace);
}

static void run_loop(ui_app *a)
{
    while (!a->quit) {
        if (got_signal) {
            a->exit_status = 128 + got_signal;
            break;
        }
        if (a->dirty) {
            a->dirty = false;
            draw_all(a);
            doupdate();
            trace_update(a);
        }
        /* Wait for the first of: a key, the loader, inotify, or 100 ms (debounced
         * reloads and signals are checked on each pass). Keys are then read without
         * waiting until none is left, so a burst of keys costs one redraw. */
        struct pollfd pf[3];
        int npf = 0;
        pf[npf++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
        if (a->loader)
            pf[npf++] = (struct pollfd){ .fd = loader_fd(a->loader), .events = POLLIN };
        if (a->inotify_fd >= 0)
            pf[npf++] = (struct pollfd){ .fd = a->inotify_fd, .events = POLLIN };
        int ready = poll(pf, (nfds_t)npf, 100);
        for (;;) {
            wint_t wch;
            int rc = wget_wch(a->input, &wch);
            if (rc != OK && rc != KEY_CODE_YES)
                break;
            if (rc == KEY_CODE_YES && wch == KEY_MOUSE)
                handle_mouse(a);
            else if (rc == KEY_CODE_YES && wch == TERMINAL_KEY_SGR_MOUSE)
                handle_sgr_mouse(a);
            else
                handle_key(a, (int)wch, rc == OK);
            if (a->quit || top_view(a)->draws_cursor)
                break; /* the commit dialog draws its cursor: one key, one redraw */
        }
        if (ready > 0) {
            for (int i = 1; i < npf; i++) {
                if (!(pf[i].revents & POLLIN))
                    continue;
                if (a->loader && pf[i].fd == loader_fd(a->loader))
                    session_loader_readable(a);
                else if (pf[i].fd == a->inotify_fd)
                    session_watch_read(a);
            }
        }
        session_watch_tick(a);
    }
}

int cmd_ui(const cli_options *opts)
{
    project_options po;
    cli_project_options(opts, false, &po);
    sm_error err = SM_ERROR_INIT;
    ui_app *a = xcalloc(1, sizeof *a);
    a->opts = opts;
    a->filter = -1;
    review_sbs_init(&a->sbs.view);
    a->inotify_fd = -1;
    a->views = ui_views;
    strbuf_init(&a->search_input);
    if (project_open(&a->p, &po, &err) < 0) {
        cli_print_error(&err);
        free(a);
        return 2;
    }
    const char *trace = getenv("SCHEMERGE_UI_TRACE");
    if (trace && *trace)
        a->trace = fopen(trace, "a");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    terminal_prepare();

    /* the catalog read starts first: it takes the longest, and needs no terminal */
    session_watch_start(a);
    session_reload_all(a);
    terminal_start(a);
    run_loop(a);

    terminal_done();
    session_end(a);
    if (a->trace)
        fclose(a->trace);
    int status = a->exit_status;
    for (int m = 0; m < MODE_COUNT; m++)
        a->views[m]->close(a);
    free(a->rows);
    review_marks_free(&a->marks);
    free(a->search);
    free(a->search_before);
    free(a->undo_backup);
    session_forget_config(a);
    strbuf_release(&a->search_input);
    terminal_windows_free(a);
    if (a->input)
        delwin(a->input);
    project_free(a->p);
    free(a);
    return status;
}
