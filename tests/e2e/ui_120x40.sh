#!/usr/bin/env bash
# ui_120x40.sh: the end-to-end scenario (scenario.sh) in a 120x40 terminal.
COLS=120 ROWS=40
. "$SRCDIR/tests/e2e/scenario.sh"
finish
