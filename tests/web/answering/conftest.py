"""The online form's fixtures: the EXAMPLE questionnaire (tests/fixtures/surveys) stored in the
cycle, and batches of codes generated through the service, their codes as printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from parindex.surveys import read_xlsform
from parindex_web.answering import services
from parindex_web.surveys import services as surveys_services
from parindex_web.surveys.models import Questionnaire

FORM = Path(__file__).resolve().parents[2] / "fixtures" / "surveys" / "example-sipas-form.xlsx"
EXAMPLE = FORM.read_bytes()

# Answers a citizen gives on the EXAMPLE form (every required question, a skip taken: q37
# applies because the channels include truc_tiep).
GOOD = {
    "don_vi": "phuong_a",
    "gioi_tinh": "nu",
    "tuoi": "34",
    "kenh": ["truc_tiep", "truc_tuyen"],
    "q24": "4",
    "q37": "5",
    "thoi_gian": "1,5",
    "y_kien": "Cán bộ nhiệt tình",
}


@pytest.fixture
def questionnaire(cycle, people) -> Questionnaire:
    upload = surveys_services.Upload(EXAMPLE, "phieu-sipas.xlsx", read_xlsform(EXAMPLE))
    return surveys_services.store(cycle, people.secretariat, upload, "citizens", "Phiếu người dân")


@pytest.fixture
def make_codes(questionnaire, units, people) -> Callable[..., list[str]]:
    def _make(size: int = 3, **service: str) -> list[str]:
        return services.generate(questionnaire, units[0], size, people.secretariat, **service)[1]

    return _make


def form_url(code: str) -> str:
    return reverse("answering:form", args=[code])
