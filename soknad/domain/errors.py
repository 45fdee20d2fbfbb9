"""Errors the domain core raises. Each carries a Norwegian message fit to show a user."""


class DomainError(Exception):
    """Base class: ``str(error)`` is a message for the user, in Norwegian."""


class FormSpecError(DomainError):
    """A form definition in ``forms/`` is malformed (a developer or administrator error)."""


class TransitionError(DomainError):
    """A state change that the workflow does not allow."""


class ExchangeFormatError(DomainError):
    """A JSON application file that cannot be read or does not follow the exchange format."""


class AttachmentError(DomainError):
    """An uploaded file that is refused (type, size, name)."""
