"""Overlap between an application and the approved national services in the registry.

«Andre tjenester synes å ha et overlappende ansvarsområde og burde ha avklart sitt
ansvarsområde» (Helhetlig gjennomgang av nasjonale kompetansetjenester (2018), kap. 4.1.5). A
service overlaps an application when any of these holds:

* **shared ICD-10 codes**: a code of the application covers or is covered by one of the
  service's (``soknad.domain.registry.overlaps``);
* **similar name**: the names, once normalised (below), score at least ``NAME_THRESHOLD`` with
  rapidfuzz's ``token_set_ratio``. It is 100 when the words of one name are all in the other
  («antibiotikaresistens» and «påvisning antibiotikaresistens»), and it forgives small
  spelling differences;
* **similar description**: the descriptions share enough of their *distinctive* words: the
  Dice coefficient of the two sets of words, computed by rapidfuzz's ``Indel`` on the sorted
  sets, is at least ``DESCRIPTION_THRESHOLD``. Words found in at least ``COMMON_SHARE`` of the
  registry's descriptions («kompetanse», «nettverk», «helseregion», …) are left out, because
  every service uses them.

Normalised Norwegian text: case folded (NFC), split into words of letters and digits, without
the generic words of every service's name («nasjonal», «kompetansetjeneste», «for», «ved»,
«og», …), a hyphen inside a word joined («antibiotika-resistens» is «antibiotikaresistens»),
and with a light stemming that strips the commonest endings of inflected nouns («-ene», «-er»,
«-en», «-et», «-e») from long words («påvisningen» is «påvisning»).

The thresholds come from the table test of real registry pairs in
``tests/unit/domain/test_overlap.py``: no two unrelated services of the registry reach them, and
the pairs that do overlap do.

The registry side is normalised once per registry (``index_of``, kept in a ``soknad.memo.Kept``
keyed by the registry tuple's identity: the catalogue hands the same tuple to every check until
the registry changes), so a check costs the application's own text, one rapidfuzz call over
all the names and one over all the descriptions (``bench/overlap.py`` measures it).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.registry import RegistryService, coverage
from soknad.memo import Kept

NAME_THRESHOLD = 90.0  # token_set_ratio of the normalised names, 0–100
DESCRIPTION_THRESHOLD = 0.35  # Dice of the distinctive description words, 0–1
MIN_DESCRIPTION_WORDS = 8  # fewer distinctive words than this («Tjenesten er avviklet …»): skip
COMMON_SHARE = 0.08  # a word in this share of the registry's descriptions is not distinctive
CURRENT_THRESHOLD = 95.0  # token_sort_ratio: a free-text name (form v1) names this service

# The words every service name and many descriptions have, and Norwegian function words.
_GENERIC = """
nasjonal nasjonale nasjonalt flerregional flerregionale samisk kompetansetjeneste
kompetansetjenesten kompetansetjenester behandlingstjeneste behandlingstjenesten
behandlingstjenester tjeneste tjenesten tjenestens tjenester spesialisthelsetjenesten
for ved og i på av til med om innen hos mot fra etter under over uten samt eller men også
som er det den de en et ei å har skal kan vil blir ble være var bli ikke at der denne dette
disse slik andre annen annet alle mer mest seg sin sitt sine hvor både
"""
GENERIC_WORDS = frozenset(_GENERIC.split())

_WORD_RE = re.compile(r"[0-9a-zæøåäöü]+")
_COMPOUND_RE = re.compile(r"(?<=[0-9a-zæøåäöü])-(?=[0-9a-zæøåäöü])")  # «mage-tarm» is one word
_ENDINGS = ("ene", "ane", "er", "en", "et", "e")
_MIN_STEM = 5


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order, without the generic ones."""
    folded = _COMPOUND_RE.sub("", unicodedata.normalize("NFC", text.casefold()))
    return [_stem(word) for word in _WORD_RE.findall(folded) if word not in GENERIC_WORDS]


def name_core(name: str) -> str:
    """What tells a service's name apart: «Nasjonal kompetansetjeneste for påvisning av
    antibiotikaresistens» → «påvisning antibiotikaresistens»."""
    return " ".join(words(name))


def name_score(first: str, second: str) -> float:
    """How alike two names are, 0–100 (rapidfuzz token_set_ratio of their cores)."""
    return fuzz.token_set_ratio(name_core(first), name_core(second))


# --------------------------------------------------------------------------- the registry side


@dataclass(frozen=True)
class IndexedService:
    service: RegistryService
    name_core: str
    description_words: tuple[str, ...]  # distinctive words, sorted, no repeats


# Each distinctive word of the registry is one character of a private-use plane, and unknown
# words of an application characters of the other: a description becomes a short string of its
# sorted words, which rapidfuzz compares in one call for the whole registry.
_KNOWN, _UNKNOWN = 0xF0000, 0x100000


@dataclass(frozen=True)
class RegistryIndex:
    services: tuple[IndexedService, ...]
    common: frozenset[str]  # words too common in the registry's descriptions to tell apart
    names: tuple[str, ...]  # the services' name cores, in the order of ``services``
    descriptions: tuple[str, ...]  # their distinctive words as encoded strings ("" for too few)
    vocabulary: dict[str, str]
    intervals: tuple[tuple[int, int, int], ...]  # (low, high, position) of every code, by low
    lows: tuple[int, ...]

    def description_words(self, text: str) -> tuple[str, ...]:
        return tuple(sorted(set(words(text)) - self.common))

    def encode(self, found: Sequence[str]) -> str:
        unknown = iter(range(_UNKNOWN, _UNKNOWN + 0xFFFE))
        return "".join(sorted(self.vocabulary.get(word) or chr(next(unknown))
                              for word in found))


def candidates(registry: Iterable[RegistryService]) -> tuple[RegistryService, ...]:
    """The services an application is compared with: every registry entry except those whose
    termination has been decided (a new service may well take over a terminated one's tasks)."""
    return tuple(service for service in registry if service.status is ServiceStatus.ACTIVE)


def build_index(registry: Iterable[RegistryService]) -> RegistryIndex:
    services = candidates(registry)
    described = [set(words(service.description)) for service in services]
    counts = Counter(word for found in described for word in found)
    cut = max(2.0, COMMON_SHARE * len(services))
    common = frozenset(word for word, count in counts.items() if count >= cut)
    items = tuple(
        IndexedService(service, name_core(service.name_nb), tuple(sorted(found - common)))
        for service, found in zip(services, described, strict=True)
    )
    vocabulary = {word: chr(_KNOWN + number) for number, word in enumerate(
        sorted({word for item in items for word in item.description_words}))}
    intervals = sorted((*coverage(code), position) for position, item in enumerate(items)
                       for code in item.service.codes)
    index = RegistryIndex(items, common, tuple(item.name_core for item in items), (),
                          vocabulary, tuple(intervals), tuple(low for low, _, _ in intervals))
    return replace(index, descriptions=tuple(
        index.encode(item.description_words)
        if len(item.description_words) >= MIN_DESCRIPTION_WORDS else "" for item in items))


_indexes: Kept[tuple[tuple[RegistryService, ...], RegistryIndex]] = Kept(maxsize=8)


def index_of(registry: tuple[RegistryService, ...]) -> RegistryIndex:
    """The normalised registry, built once per registry tuple. The kept value holds the tuple,
    so no other tuple can have its id while it is kept."""
    kept, index = _indexes.get(id(registry), lambda: (registry, build_index(registry)))
    return index if kept is registry else build_index(registry)


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Overlap:
    service: RegistryService
    shared: tuple[str, ...]  # the application's codes that overlap the service's
    name_score: float  # 0–100; at least NAME_THRESHOLD when the names are similar
    description_score: float  # 0–1; at least DESCRIPTION_THRESHOLD when they are similar

    @property
    def similar_name(self) -> bool:
        return self.name_score >= NAME_THRESHOLD

    @property
    def similar_description(self) -> bool:
        return self.description_score >= DESCRIPTION_THRESHOLD

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it overlaps, in the applicant's words."""
        found = []
        if self.shared:
            found.append("felles ICD-10-koder: " + ", ".join(self.shared))
        if self.similar_name:
            found.append("lignende navn")
        if self.similar_description:
            found.append("lignende beskrivelse")
        return tuple(found)


def _names(service: RegistryService, core: str, current: str) -> bool:
    current = current.strip()
    if not current:
        return False
    return current == service.key or fuzz.token_sort_ratio(
        name_core(current), core, score_cutoff=CURRENT_THRESHOLD) > 0


def is_service(service: RegistryService, current: str) -> bool:
    """``current`` names ``service``: its registry key (form v2 picks it from the registry) or
    its name as typed (form v1)."""
    return _names(service, name_core(service.name_nb), current)


def find_overlaps(index: RegistryIndex, *, codes: Sequence[str] = (), name: str = "",
                  description: str = "", exclude: str = "") -> list[Overlap]:
    """The registry's services that overlap the application, in the registry's order; the
    service named by ``exclude`` (the one a change or termination is about) never does.
    ``codes`` are valid, normalised ICD-10 codes."""
    shared: dict[int, list[str]] = {}
    for code in codes:
        low, high = coverage(code)
        for _, their_high, position in index.intervals[:bisect_right(index.lows, high)]:
            if their_high >= low:
                found_for = shared.setdefault(position, [])
                if code not in found_for:
                    found_for.append(code)
    by_name: dict[int, float] = {}
    core = name_core(name)
    if core:
        by_name = {position: score for _, score, position in process.extract(
            core, index.names, scorer=fuzz.token_set_ratio, score_cutoff=NAME_THRESHOLD,
            limit=None)}
    by_text: dict[int, float] = {}
    described = index.description_words(description)
    if len(described) >= MIN_DESCRIPTION_WORDS:
        by_text = {position: score for _, score, position in process.extract(
            index.encode(described), index.descriptions, scorer=Indel.normalized_similarity,
            score_cutoff=DESCRIPTION_THRESHOLD, limit=None)}
    found = []
    for position in sorted(set(shared) | set(by_name) | set(by_text)):
        item = index.services[position]
        if exclude and _names(item.service, item.name_core, exclude):
            continue
        found.append(Overlap(item.service, tuple(shared.get(position, ())),
                             by_name.get(position, 0.0), by_text.get(position, 0.0)))
    return found
