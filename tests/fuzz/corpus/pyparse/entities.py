from typing import TypedDict


class OAuthAccountRow(TypedDict):
    id: int


class Human(TypedDict):
    """Database row for 'people'. Anything may follow."""
    id: int


class CompanyRow(TypedDict):
    """Database row for `companies`:
    more text"""
    id: int


class BoxRow(TypedDict):
    id: int


class AnalysisRow(TypedDict):
    id: int


class MessageRow(TypedDict):
    id: int
    body: str


class MessageWithAuthor(MessageRow):
    author: str


class EventRow(TypedDict):
    id: int
    at: str


class StatusRow(TypedDict):
    id: int
