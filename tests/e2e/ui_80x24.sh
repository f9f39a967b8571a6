#!/usr/bin/env bash
# ui_80x24.sh: the end-to-end scenario (scenario.sh) in an 80x24 terminal, the smallest
# the UI supports.
COLS=80 ROWS=24
. "$SRCDIR/tests/e2e/scenario.sh"
finish
