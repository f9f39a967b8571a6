"""Enumerations mirrored from the database (generated, then edited by hand)."""
from __future__ import annotations

from enum import Enum


class ProjectStatus(str, Enum):
    """project_status enumeration."""

    DRAFT = "draft"
    ACTIVE = "active"  # the usual state
    # a comment between members
    ON_HOLD = 'on_hold'
    _24_HOUR = "24_hour"
    _35 = "35+"
    _ignore_ = ["x"]
    __module__ = "schemas.enums"
    GALPAO = "Galpão"
    EMOJI = "🚀 launch"
    ESCAPED = "tab\there\nnewline \"quoted\" \\ back"
    HEX = "\x41\u00e9\U0001F600"
    OCTAL = "\101\0101"
    RAW = r"C:\path\to"
    RAW_UPPER = R'\d+'
    UNICODE_PREFIX = u"unicode"
    CONCAT = "con" 'cat' r"\enated"
    PARENS = ("multi "
              "line "
              "concatenation")
    TRIPLE = """triple
quoted"""
    TRIPLE_SINGLE = '''it's "fine"'''
    CONTINUED = "first \
second"
    EMPTY = ""
    UNKNOWN_ESCAPE = "\d\w"

    def label(self) -> str:
        return self.value.title()


class Visibility(str, Enum):
    """visibility enumeration"""
    PUBLIC = "public"
    PRIVATE = "private"



class SortOrder(str, Enum):  # schemerge: ignore
    ASC = "asc"
    DESC = "desc"
