/* theme.h: colours are roles, not colours. Drawing code asks for theme_attr(ROLE_...);
 * a table maps each role to a colour pair and to the monochrome attributes used in its
 * place (NO_COLOR, --color=never, or a terminal without colours). In monochrome the
 * severities are critical bold+underline, high bold, medium underline and low dim (on
 * a terminal without dim, low is plain: its [LOW] marker still tells it apart). */
#ifndef SCHEMERGE_THEME_H
#define SCHEMERGE_THEME_H

#include <stdbool.h>

#include "curses_wrap.h"
#include "kinds.h"

/* X(role, foreground, colour attributes, monochrome attributes) */
#define UI_ROLES(X)                                                     \
    X(ROLE_NORMAL, -1, A_NORMAL, A_NORMAL)                              \
    X(ROLE_STATUS, COLOR_WHITE, A_REVERSE, A_REVERSE)                   \
    X(ROLE_FOOTER, -1, A_NORMAL, A_NORMAL)                              \
    X(ROLE_KEY, COLOR_GREEN, A_BOLD, A_BOLD)                            \
    X(ROLE_MESSAGE, -1, A_BOLD, A_BOLD)                                 \
    X(ROLE_ERROR, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE)              \
    X(ROLE_SELECTED, -1, A_REVERSE, A_REVERSE)                          \
    X(ROLE_TITLE, COLOR_BLUE, A_BOLD, A_BOLD | A_UNDERLINE)             \
    X(ROLE_TITLE_FOCUS, COLOR_BLUE, A_BOLD | A_REVERSE, A_REVERSE)      \
    X(ROLE_GROUP, -1, A_BOLD, A_BOLD)                                   \
    X(ROLE_DIM, -1, A_DIM, A_DIM)                                       \
    X(ROLE_SEV_LOW, COLOR_CYAN, A_NORMAL, A_DIM)                        \
    X(ROLE_SEV_MEDIUM, COLOR_YELLOW, A_NORMAL, A_UNDERLINE)             \
    X(ROLE_SEV_HIGH, COLOR_MAGENTA, A_NORMAL, A_BOLD)                   \
    X(ROLE_SEV_CRITICAL, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE)       \
    X(ROLE_ADDED, COLOR_GREEN, A_NORMAL, A_BOLD)                        \
    X(ROLE_REMOVED, COLOR_RED, A_NORMAL, A_UNDERLINE)                   \
    X(ROLE_HUNK, COLOR_CYAN, A_NORMAL, A_DIM)                           \
    X(ROLE_CONFLICT, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE)

typedef enum ui_role {
#define UI_ROLE_ENUM(role, fg, cattr, mattr) role,
    UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
    ROLE_COUNT
} ui_role;

/* Set up colour pairs (after initscr) when color is true and the terminal has colours;
 * otherwise every role uses its monochrome attributes. */
void theme_init(bool color);

/* Whether colours are in use. */
bool theme_colored(void);

/* The attributes (colour pair included) to draw role with. */
attr_t theme_attr(ui_role role);

/* The role of a severity: critical red, high magenta, medium yellow, low cyan. */
ui_role theme_severity_role(sm_severity s);

/* Whether colours should be used at all: false when NO_COLOR is set and non-empty or
 * never_flag (--color=never) is set. has_colors() is checked by theme_init. */
bool theme_want_color(bool never_flag);

#endif
