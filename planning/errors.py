"""Typed refusals. Messages are written for the person in the room and never echo user text."""


class PlanningError(Exception):
    """Base of every refusal a page may show to its user."""


class InvalidInput(PlanningError):
    """The input breaks a rule (too long, empty, out of range)."""


class NotFound(PlanningError):
    """The code, link or item does not exist (or is no longer visible)."""


class NotAllowed(PlanningError):
    """The caller may not do this (wrong key, someone else's item, wrong phase)."""


class WorkshopLocked(NotAllowed):
    """The workshop is locked: read-only for everyone."""
