from __future__ import annotations

import pytest

from soknad.domain import icd10


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("C40", "C40"),
        ("c 40", "C40"),
        ("c40.1", "C40.1"),
        ("C401", "C40.1"),
        (" C 40.1 ", "C40.1"),
        ("F.64.1", "F64.1"),
        ("q28.2", "Q28.2"),
        ("T20-T25", "T20-T25"),
        ("t20 – t25", "T20-T25"),
        ("T20-25", "T20-T25"),
        ("Q20 – Q28", "Q20-Q28"),
        ("xyz", "XYZ"),
    ],
)
def test_normalise_gives_who_spelling(typed: str, normalised: str) -> None:
    assert icd10.normalise(typed) == normalised


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("C40", True),  # category
        ("C40.1", True),  # subcategory
        ("Q20-Q28", True),  # WHO block
        ("T20-T25", True),
        ("C40-C45", True),  # a range of two valid codes in order
        ("C45-C40", False),  # reversed range
        ("C40.9", True),
        ("C40.7", False),  # not in WHO ICD-10
        ("XYZ", False),
        ("82.8", False),  # the letter is missing
        ("MAA06", False),  # a procedure code, not ICD-10
        ("", False),
    ],
)
def test_is_valid_against_who_icd10(code: str, valid: bool) -> None:
    assert icd10.is_valid(code) is valid


def test_split_codes_accepts_commas_semicolons_and_lines() -> None:
    assert icd10.split_codes("c40, C41.2; q 28\nT20-25,,") == ["C40", "C41.2", "Q28", "T20-T25"]


def test_lookup_gives_the_who_description() -> None:
    found = icd10.lookup("C40")
    assert found is not None
    assert found.description == "Malignant neoplasm of bone and articular cartilage of limbs"
    assert icd10.lookup("C99") is None
