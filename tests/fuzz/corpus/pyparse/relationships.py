"""Junction tables."""
from typing import (
    Optional,
    TypedDict,
)

from .entities import (OrganizationRow as Org,
                       UserRow)
from . import entities
from .. import *


class ProjectTagRow(TypedDict):
    """Database row for project_tags."""
    project_id: str
    tag_id: str


if True:
    class NotTopLevel(TypedDict):
        x: str
