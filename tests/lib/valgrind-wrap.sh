#!/bin/sh
# valgrind-wrap.sh: LOG_COMPILER of --enable-valgrind builds, and .ci/run's valgrind phase.
# Runs a compiled unit test under memcheck: any error, or a definitely lost block, fails
# it (exit 1). Shell tests (*.sh) run as they are: valgrind on bash proves nothing.
case "$1" in
*.sh) exec "$@" ;;
esac
command -v valgrind >/dev/null 2>&1 || { echo "valgrind-wrap: valgrind is not installed (apt-get install valgrind)" >&2; exit 99; }
exec valgrind --quiet --tool=memcheck --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes \
    --suppressions="$(dirname "$0")/valgrind.supp" "$@"
