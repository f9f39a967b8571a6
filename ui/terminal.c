/* terminal.c: the terminal while the UI runs: curses on and off (restored on every exit
 * path, an abort included), stderr kept away from the screen, the keyboard read without
 * blocking, the mouse, the windows laid out for the terminal's size, and stepping out
 * for $EDITOR and back. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "terminal.h"
#include "xalloc.h"

/* The terminal's stderr while curses owns the screen (stderr itself goes to
 * /dev/null then, so that no library message can scribble on the screen). */
static int saved_stderr = -1;
static bool curses_on;
static pthread_t main_thread;

int terminal_saved_stderr(void)
{
    return saved_stderr;
}

static void stderr_restore(void)
{
    if (saved_stderr >= 0) {
        dup2(saved_stderr, STDERR_FILENO);
        close(saved_stderr);
        saved_stderr = -1;
    }
}

/* The keyboard is read without blocking, at the file level too. ncurses decodes a mouse
 * report or an escape sequence with reads of its own, and one that waits for bytes that
 * never come would block the whole loop (seen: a click while the catalog loaded kept the
 * UI on "Loading" for good, its result waiting in the pipe). With O_NONBLOCK such a read
 * returns at once and the loop goes on. The flag is the shell's too (one open terminal),
 * so it is set only while curses owns the screen. */
static int stdin_flags = -1;

static void stdin_nonblocking(bool on)
{
    if (on) {
        int fl = fcntl(STDIN_FILENO, F_GETFL);
        if (fl >= 0 && fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK) == 0)
            stdin_flags = fl;
    } else if (stdin_flags >= 0) {
        fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
        stdin_flags = -1;
    }
}

static void mouse_stop(void);

void terminal_restore(void)
{
    stdin_nonblocking(false);
    if (curses_on)
        mouse_stop();
    if (curses_on) {
        endwin();
        curses_on = false;
    }
    stderr_restore();
}

/* sm_fatal's hook: the terminal comes back before the process aborts, and the message
 * goes to the real stderr. */
static void fatal_hook(const char *message)
{
    /* curses belongs to the main thread: the loader thread may fail too (out of memory),
     * and then only says so on the terminal's stderr before the process aborts */
    if (pthread_equal(pthread_self(), main_thread)) {
        terminal_restore();
        fprintf(stderr, "schemerge: %s\n", message);
    } else if (saved_stderr >= 0) {
        dprintf(saved_stderr, "schemerge: %s\n", message);
    }
}

void terminal_prepare(void)
{
    main_thread = pthread_self();
    sm_set_fatal_hook(fatal_hook);
}

void terminal_done(void)
{
    terminal_restore();
    sm_set_fatal_hook(NULL);
}

/* ---------------------------------------------------------------- terminal */

void terminal_windows_free(ui_app *a)
{
    WINDOW **ws[] = { &a->w_status, &a->w_list, &a->w_left, &a->w_right, &a->w_sep,
                      &a->w_body, &a->w_msg, &a->w_footer };
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++) {
        if (*ws[i])
            delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

static WINDOW *win_for(const ui_rect *r)
{
    return newwin(r->h, r->w, r->y, r->x);
}

void terminal_relayout(ui_app *a)
{
    terminal_windows_free(a);
    layout_compute(&a->lay, LINES, COLS, a->nrows, a->footer_rows);
    a->too_small = a->lay.too_small;
    a->dirty = true;
    if (a->too_small)
        return;
    a->w_status = win_for(&a->lay.status);
    a->w_list = win_for(&a->lay.list);
    a->w_left = win_for(&a->lay.left);
    a->w_right = win_for(&a->lay.right);
    ui_rect sep = { a->lay.left.y, a->lay.sep_x, a->lay.left.h, 1 };
    a->w_sep = win_for(&sep);
    a->w_body = win_for(&a->lay.body);
    a->w_msg = win_for(&a->lay.message);
    a->w_footer = win_for(&a->lay.footer);
    clearok(curscr, TRUE);
}

void terminal_fit(ui_app *a, int footer_rows)
{
    if (a->too_small)
        return;
    if (footer_rows != a->footer_rows ||
        layout_list_height(LINES, a->nrows, footer_rows) != a->lay.list.h) {
        a->footer_rows = footer_rows;
        terminal_relayout(a);
    }
}

/* Presses only, and no click resolution (mouseinterval 0): a click acts on the press,
 * at once, and the wheel (buttons 4 and 5 in ncurses 6) scrolls. endwin turns the
 * terminal's mouse reporting off (for $EDITOR and on exit); this turns it back on. */
/* Whether SGR mouse reports (mode 1006) are asked for and read here, not by ncurses: a
 * terminal description whose mouse is the old X10 form (screen, tmux: kmous=\E[M) would
 * get reports that cannot say a column past 223. Modern terminals and tmux send SGR when
 * asked; ncurses decodes SGR itself only when kmous says \E[<. */
static bool sgr_by_hand;

static void mouse_start(void)
{
    mmask_t mask = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    mousemask(mask, NULL);
    mouseinterval(0);
    const char *kmous = tigetstr("kmous");
    if (kmous && kmous != (char *)-1 && strcmp(kmous, "\033[M") == 0) {
        define_key("\033[<", TERMINAL_KEY_SGR_MOUSE);
        fputs("\033[?1006h", stdout);
        fflush(stdout);
        sgr_by_hand = true;
    }
}

/* Mode 1006 off again, for the shell or $EDITOR (endwin turns only 1000 off). */
static void mouse_stop(void)
{
    if (sgr_by_hand) {
        fputs("\033[?1006l", stdout);
        fflush(stdout);
    }
}

bool terminal_read_sgr_mouse(WINDOW *input, int *y, int *x, int *button, bool *press)
{
    /* after ESC [ <: BUTTON ; COLUMN ; ROW, then M (press) or m (release), 1-based */
    int v[3] = { 0, 0, 0 }, k = 0;
    for (int guard = 0; guard < 32; guard++) {
        wint_t wch;
        int rc = wget_wch(input, &wch);
        if (rc != OK)
            return false;
        if (wch >= '0' && wch <= '9') {
            v[k] = v[k] * 10 + (int)(wch - '0');
        } else if (wch == ';' && k < 2) {
            k++;
        } else if ((wch == 'M' || wch == 'm') && k == 2) {
            *button = v[0];
            *x = v[1] - 1;
            *y = v[2] - 1;
            *press = wch == 'M';
            return true;
        } else {
            return false;
        }
    }
    return false;
}

void terminal_start(ui_app *a)
{
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, STDERR_FILENO);
        close(devnull);
    }
    if (saved_stderr >= 0)
        fcntl(saved_stderr, F_SETFD, FD_CLOEXEC);
    initscr();
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    curs_set(0);
    set_escdelay(25);
    /* ctrl-s is the commit key: take it back from terminal flow control */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    def_prog_mode();
    theme_init(theme_want_color(a->opts->color == CLI_COLOR_NEVER));
    a->input = newpad(1, 1);
    keypad(a->input, TRUE);
    /* the loop waits in poll() (keyboard, loader, inotify, 100 ms); keys are then
     * read without waiting */
    wtimeout(a->input, 0);
    stdin_nonblocking(true);
    mouse_start();
    terminal_relayout(a);
}

void terminal_suspend(ui_app *a)
{
    (void)a;
    def_prog_mode();
    mouse_stop();
    endwin();
    stdin_nonblocking(false); /* the editor (or the shell after ctrl-z) reads normally */
}

void terminal_resume(ui_app *a)
{
    reset_prog_mode();
    stdin_nonblocking(true);
    mouse_start();
    clearok(curscr, TRUE);
    a->dirty = true;
}
