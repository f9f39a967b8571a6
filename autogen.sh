#!/bin/sh
# Generate configure and Makefile.in; nothing else.
exec autoreconf -fi "$(dirname "$0")"
