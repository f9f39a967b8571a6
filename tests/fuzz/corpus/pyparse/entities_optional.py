"""Database row types."""
from typing import Any, Dict, List, Optional, TypedDict
from typing_extensions import (
    NotRequired,
    Required,  # kept
)


class OrganizationRow(TypedDict):
    """Database row for organizations."""

    id: str
    name: str
    slug: Optional[str]
    settings: Dict[str, Any]
    tags: List[str]
    parent: Optional["OrganizationRow"]
    created_at: str  # ISO 8601


class ProjectMemberRow(TypedDict, total=False):
    """Database row for `project_members`: who works on what."""
    project_id: Required[str]
    user_id: NotRequired[str]
    role: "Optional[str]"
    permissions: Optional[
        Dict[
            str,
            List[int],  # nested
        ]
    ]
    score: float
    metadata: Any


class MessageRow(TypedDict):
    id: str
    body: Optional[str]


class MessageWithAuthor(MessageRow):
    """Helper, not a row class."""
    author_name: str


class Unannotated(TypedDict,
                  total=False,
                  ):
    x: int = 0
    y: 'str'
