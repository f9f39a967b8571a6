/* theme.c: the role table and its two faces, colour and monochrome. Pairs are numbered
 * by role (pair 0 is the terminal's default), and -1 as a colour means the terminal's
 * own (use_default_colors), so the user's background shows through. */
#include "config.h"
#include "theme.h"

#include <stdlib.h>

typedef struct role_def {
    short fg;
    attr_t color_attr;
    attr_t mono_attr;
} role_def;

static const role_def roles[ROLE_COUNT] = {
#define UI_ROLE_DEF(role, fg, cattr, mattr) [role] = { fg, cattr, mattr },
    UI_ROLES(UI_ROLE_DEF)
#undef UI_ROLE_DEF
};

static bool colored;
/* The attributes the terminal can show (termattrs), so that monochrome asks for none
 * it cannot: a role's look must not rest on an attribute that never appears. */
static attr_t shown_attrs = A_DIM;

void theme_init(bool color)
{
    colored = false;
    shown_attrs = termattrs();
    if (!color || !has_colors())
        return;
    if (start_color() == ERR)
        return;
    use_default_colors();
    for (int r = 0; r < ROLE_COUNT; r++)
        init_pair((short)(r + 1), roles[r].fg, -1);
    colored = true;
}

bool theme_colored(void)
{
    return colored;
}

attr_t theme_attr(ui_role role)
{
    if (!colored)
        return (roles[role].mono_attr & shown_attrs & A_DIM) | (roles[role].mono_attr & ~(attr_t)A_DIM);
    if (roles[role].fg < 0)
        return roles[role].color_attr;
    return roles[role].color_attr | (attr_t)COLOR_PAIR(role + 1);
}

ui_role theme_severity_role(sm_severity s)
{
    switch (s) {
    case SEV_CRITICAL: return ROLE_SEV_CRITICAL;
    case SEV_HIGH: return ROLE_SEV_HIGH;
    case SEV_MEDIUM: return ROLE_SEV_MEDIUM;
    default: return ROLE_SEV_LOW;
    }
}

bool theme_want_color(bool never_flag)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    return !never_flag;
}
