from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class UserRow(TypedDict):
    """Database row for users"""

    id: str
    email: str | None
    roles: list[str]
    prefs: dict[str, Any] | None
    avatar: NotRequired[str | None]
    counts: list[list[int]]
    flag: bool


class AuditLogRow(TypedDict, total=False):
    id: int
    payload: dict
    previous: "AuditLogRow | None"
