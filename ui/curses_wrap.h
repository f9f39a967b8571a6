/* curses_wrap.h: the one place ui/ includes curses, with the wide-character API
 * (get_wch, waddnwstr, cchar_t) visible. Named so that it cannot shadow <curses.h>.
 * Nothing in src/ may include this. */
#ifndef SCHEMERGE_CURSES_WRAP_H
#define SCHEMERGE_CURSES_WRAP_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
