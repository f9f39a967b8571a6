"""Row types of the entity tables."""
from typing import Optional, TypedDict


class AuditLogRow(TypedDict, total=False):
    """Database row for audit_log"""
    id: int
    at: str
    actor_id: Optional[str]
    table_name: str
    row_id: str
    action: str
    old_values: Optional[dict]
    new_values: Optional[dict]
    client_addr: Optional[str]


class OrganizationRow(TypedDict, total=False):
    """Database row for organizations"""
    id: str
    name: str
    type: str
    website: Optional[str]
    settings: dict
    created_at: str
    billing_plan: str  # moved to the billing service
    updated_at: Optional[str]


class PersonRow(TypedDict, total=False):
    """Database row for people"""
    id: str
    organization_id: Optional[str]
    first_name: str
    last_name: str
    full_name: Optional[str]
    email: Optional[str]
    phone: Optional[str]
    skills: list[str]
    is_active: bool
    created_at: str


class ProjectRow(TypedDict, total=False):
    """Database row for projects"""
    id: str
    organization_id: str
    code: str
    name: str
    description: Optional[str]
    status: str
    budget: Optional[int]
    starts_on: Optional[str]
    ends_on: Optional[str]
    tags: Optional[list[str]]
    metadata: Optional[dict]
    created_at: str
    updated_at: Optional[str]


class RequirementRow(TypedDict, total=False):
    """Database row for requirements"""
    id: int
    project_id: str
    parent_id: Optional[int]
    number: int
    title: str
    body: Optional[str]
    priority: str
    estimate_hours: Optional[float]
    acceptance_criteria: Optional[dict]
    owner_id: Optional[str]
    created_at: str


class InvoiceRow(TypedDict, total=False):
    """Database row for invoices"""
    id: str
    organization_id: str
    amount_cents: int


class ProjectWithOwner(ProjectRow):
    """A project joined with its owner (API helper, not a table)."""
    owner_name: str
