"""Picking the approved service an application concerns from the registry.

A change of content, a change of name and a termination concern a service Helsedirektoratet
has approved (Veileder for nasjonale tjenester i spesialisthelsetjenesten, kap. 4.1), so the
form asks for it as a pick from the registry (field kind ``registry_service``): the answer is
the service's registry key (``RegistryService.key``), never a name typed by hand.

Forms of version 1 asked for the name as free text; ``resolve_name`` reads such a name as a key
when exactly one service of the type has that name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from soknad.domain.dates import long_date
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.registry import RegistryService
from soknad.domain.service_types import ServiceType


def options(registry: Iterable[RegistryService],
            service_type: ServiceType | None) -> list[RegistryService]:
    """The services an application of ``service_type`` can concern, by Norwegian name: not
    those whose termination has been decided."""
    return sorted((service for service in registry
                   if (service_type is None or service.service_type is service_type)
                   and service.status is ServiceStatus.ACTIVE),
                  key=lambda service: (service.name_nb.casefold(), service.location))


def option_label(service: RegistryService) -> str:
    """What the pick shows: the name and where the service is."""
    return f"{service.name_nb} ({service.location})" if service.location else service.name_nb


def service_of(key: str, registry: Iterable[RegistryService]) -> RegistryService | None:
    return next((service for service in registry if service.key == key), None)


def pick_problem(key: str, registry: Sequence[RegistryService],
                 service_type: ServiceType | None, label: str) -> str | None:
    """Why ``key`` cannot be the service picked in the field ``label``, or None."""
    if not key:
        return None
    service = service_of(key, registry)
    if service is None:
        return (f"Tjenesten i «{label}» finnes ikke i registeret over godkjente nasjonale "
                "tjenester. Velg tjenesten fra listen.")
    if service_type is not None and service.service_type is not service_type:
        return (f"«{service.name_nb}» er en {service.service_type.label.lower()}, mens søknaden "
                f"gjelder en {service_type.label.lower()}. Velg en tjeneste av samme type.")
    return None


def choice_problem(key: str, registry: Sequence[RegistryService],
                   service_type: ServiceType | None, label: str) -> str | None:
    """Why ``key`` cannot be picked now, when the applicant chooses it: ``pick_problem``, or
    the service's termination has already been decided."""
    problem = pick_problem(key, registry, service_type, label)
    service = service_of(key, registry) if key and problem is None else None
    if service is not None and service.status is not ServiceStatus.ACTIVE:
        day = service.terminated_from
        ends = f" fra og med {long_date(day)}" if day else ""
        return (f"«{service.name_nb}» er vedtatt avviklet{ends}, og kan ikke lenger søkes "
                "endret eller avviklet. Velg en annen tjeneste.")
    return problem


def resolve_name(name: str, registry: Iterable[RegistryService],
                 service_type: ServiceType | None) -> str | None:
    """The key of the one service of the type named exactly ``name`` (spacing and case aside),
    or None when no service or more than one has that name."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    found = [service.key for service in options(registry, service_type)
             if " ".join(service.name_nb.split()).casefold() == wanted]
    return found[0] if len(found) == 1 else None


def target_service(value: str, registry: Sequence[RegistryService],
                   service_type: ServiceType | None) -> tuple[str | None, str, str]:
    """(key, name, location) of the service an answer names: a registry key (version 2 of the
    forms) or a name typed by hand (version 1), read as a key when it is exactly one
    service's name; (None, the text, "") when it is neither."""
    text = " ".join(str(value or "").split())
    service = service_of(text, registry)
    if service is None and (key := resolve_name(text, registry, service_type)):
        service = service_of(key, registry)
    if service is None:
        return None, text, ""
    return service.key, service.name_nb, service.location


def resolve_picks(fields: Iterable[tuple[str, bool]], answers: dict[str, object],
                  registry: Sequence[RegistryService],
                  service_type: ServiceType | None) -> list[str]:
    """Read older files' names as registry keys, in place: for each ``(field id, is a registry
    pick)`` whose answer is not a key, the key of the one service with exactly that name.
    Returns notes (Norwegian) for the person importing; a name that matches no single service
    is kept as it is, and the field's check flags it."""
    notes = []
    for field_id, is_pick in fields:
        value = answers.get(field_id)
        if not is_pick or not isinstance(value, str) or not value.strip():
            continue
        if service_of(value, registry) is not None:
            continue
        key = resolve_name(value, registry, service_type)
        if key is not None:
            answers[field_id] = key
            notes.append(f"«{value}» i {field_id} er lest som den godkjente tjenesten med "
                         f"nøkkelen {key}.")
        else:
            notes.append(f"«{value}» i {field_id} er ikke navnet på nøyaktig én godkjent "
                         "tjeneste av denne typen; svaret er beholdt og må velges fra listen.")
    return notes
