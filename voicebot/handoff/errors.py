"""Errors of the handoff services, each with a stable ``code``."""

from __future__ import annotations


class HandoffError(RuntimeError):
    """Base of the errors the queue, work-order and record services raise."""

    code = "handoff.error"


class NotFoundError(HandoffError):
    """No ticket, work order, record or case with that number."""

    code = "handoff.not_found"


class ConflictError(HandoffError):
    """The record is not in a state that allows the change (e.g. already claimed or closed)."""

    code = "handoff.conflict"


class PermissionDeniedError(HandoffError):
    """The person may not make this change (e.g. a judge replying to another judge's order)."""

    code = "handoff.forbidden"


class InvalidInputError(HandoffError):
    """An argument has a value the service cannot use."""

    code = "handoff.invalid"
