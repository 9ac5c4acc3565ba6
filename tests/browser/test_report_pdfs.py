"""The ranking page's downloads: the reader's PDF report and the archived copy (PDF/A)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.management import call_command

from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_reader_downloads_the_archived_copy_from_the_ranking(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    from parindex_web.cycles.models import Cycle

    view = request.getfixturevalue(device)
    cycle = Cycle.objects.get(body__code="bnv", year=2025)
    view.goto(f"{live_server.url}/results/{cycle.pk}/")
    view.wait_for_load_state("networkidle")
    link = view.get_by_role("link", name="Báo cáo để lưu trữ (PDF/A, tiếng Việt)")
    link.scroll_into_view_if_needed()
    assert link.get_attribute("hreflang") == "vi"
    shot(view, f"public-{device}-downloads-archive")
    with view.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith("-luu-tru.pdf")
    with pikepdf.open(Path(download.path())) as pdf, pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "3"
        assert pdf.Root.Lang == "vi"
