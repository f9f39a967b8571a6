from typing import TypedDict


class ProjectMemberRow(TypedDict, total=False):
    """Database row for project_members"""
    project_id: str
    person_id: str
    role: str
