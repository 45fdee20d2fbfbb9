"""A change of content, a change of name and a termination, each created through the pages:
the service picked from the registry, every point of the kind filled in, the findings read,
and the application submitted to the RHF, with axe-core on the pages on the way."""

from __future__ import annotations

import pytest

from soknad.domain.service_types import ApplicationKind
from tests.browser.helpers import EACH_KIND, create_and_submit_kind
from tests.factories import KIND_ANSWERS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("service_type", "kind"), EACH_KIND)
def test_each_kind_through_the_pages(page, app, service_type, kind):  # type: ignore[no-untyped-def]
    answers = dict(KIND_ANSWERS[service_type, kind])
    short_notice = kind is ApplicationKind.TERMINATION
    if short_notice:
        answers["sluttdato"] = "2027-12-31"  # under the 18 months the guide advises
    create_and_submit_kind(page, app, service_type, kind, answers, short_notice=short_notice)
