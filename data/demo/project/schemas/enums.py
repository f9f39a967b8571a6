"""Enumerations mirrored from the database (kept in step by schemerge)."""
from enum import Enum


class DocumentKind(str, Enum):
    """document_kind enumeration"""
    SPEC = "spec"
    CONTRACT = "contract"
    REPORT = "report"
    MEETING_NOTES = "meeting_notes"
    OTHER = "other"


class MemberRole(str, Enum):
    """member_role enumeration"""
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"

    @property
    def can_edit(self) -> bool:
        return self in (MemberRole.OWNER, MemberRole.ADMIN, MemberRole.MEMBER)


class OrganizationType(str, Enum):
    """organization_type enumeration"""
    COMPANY = "company"
    NONPROFIT = "nonprofit"
    GOVERNMENT = "government"
    UNIVERSITY = "university"
    CONSULTANCY = "consultancy"


class ProjectStatus(str, Enum):
    """project_status enumeration"""
    ACTIVE = "active"
    PENDING = "pending"
    DRAFT = "draft"  # removed by migration 0042, still used by the importer
    COMPLETED = "completed"
    ARCHIVED = "archived"


class RequirementPriority(str, Enum):
    """requirement_priority enumeration"""
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SortOrder(str, Enum):  # schemerge: ignore
    """Query helper, not a database type."""
    ASC = "asc"
    DESC = "desc"
