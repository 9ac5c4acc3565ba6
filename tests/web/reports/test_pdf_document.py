"""The PDF reports as official documents (Decree 30/2020/NĐ-CP), tagged for screen readers.

Heading (issuing body, number and symbol, national name and motto, place and date), document
kind and title, recipients and signer; the structure tree, language and XMP identification of
the PDF/UA-1 downloads and of the PDF/A-3b archived copy.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image

from parindex_web.reports.models import Letterhead

from .pdf_tools import PDFAID, PDFUAID, first_page_png, qpdf_check, structure, text

# Published on 5 February 2025 at 09:30 in Hà Nội: the decree pads the day and the month.
PUBLISHED_AT = datetime(2025, 2, 5, 2, 30, tzinfo=UTC)
DATE_LINE = "Thử, ngày 05 tháng 02 năm 2025"
NBSP = "\u00a0"


def cycle_url(cycle: Any) -> str:
    return f"/results/{cycle.pk}/report.pdf"


def archive_url(cycle: Any, version: int | None = None) -> str:
    middle = "" if version is None else f"v{version}/"
    return f"/results/{cycle.pk}/{middle}report-archive.pdf"


@pytest.fixture
def dated(published: Any) -> Any:
    published.publications.update(published_at=PUBLISHED_AT)
    return published


@pytest.fixture
def letterhead(world: Any) -> Letterhead:
    return Letterhead.objects.create(
        body=world.body,
        parent_body="ỦY BAN NHÂN DÂN TỈNH THỬ",
        issuer="SỞ NỘI VỤ",
        abbreviation="SNV",
        place="Thử",
        signer_authority="KT. GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn An",
        recipients="Bộ Nội vụ (để báo cáo);\n\nỦy ban nhân dân tỉnh (để báo cáo);\nLưu: VT, CCHC.\n",
    )


def lines(content: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in content.splitlines()]


def line_with(content: str, part: str) -> str:
    return next(line for line in lines(content) if part in line)


@pytest.mark.django_db
def test_the_heading_has_the_issuer_left_and_the_national_name_right(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    first = text(client.get(cycle_url(dated)).getvalue()).split("\f")[0]
    assert line_with(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").startswith(
        "ỦY BAN NHÂN DÂN TỈNH THỬ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert line_with(first, "Độc lập - Tự do - Hạnh phúc") == (
        "SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc"
    )
    # The number is the clerk's to write when the signed report is registered; the number
    # line and the place-and-date line stand side by side.
    assert re.search(r"Số:\s{4,}/BC-SNV", first)
    assert line_with(first, "ngày") == f"Số: /BC-SNV {DATE_LINE}"
    assert lines(first).index("BÁO CÁO") < lines(first).index(
        "Kết quả Chỉ số cải cách hành chính năm 2024"
    )


@pytest.mark.django_db
def test_the_report_closes_with_recipients_left_and_the_signer_right(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    last = text(client.get(cycle_url(dated)).getvalue()).split("\f")[-2]
    assert line_with(last, "Nơi nhận:") == "Nơi nhận: KT. GIÁM ĐỐC"
    assert line_with(last, "Bộ Nội vụ") == "- Bộ Nội vụ (để báo cáo); PHÓ GIÁM ĐỐC"
    assert "- Ủy ban nhân dân tỉnh (để báo cáo);" in lines(last)
    assert "(Ký, ghi rõ họ tên)" in line_with(last, "Lưu: VT, CCHC.")
    assert "Nguyễn Văn An" in lines(last)


@pytest.mark.django_db
def test_without_a_letterhead_the_blanks_stay_blank(client: Any, dated: Any) -> None:
    content = text(client.get(cycle_url(dated)).getvalue())
    first, last = content.split("\f")[0], content.split("\f")[-2]
    # The body's name heads the document, in capitals, level with the national name.
    assert line_with(first, "CỘNG HÒA").startswith("SỞ NỘI VỤ TỈNH THỬ CỘNG HÒA")
    assert re.search(r"Số:\s{4,}/BC-\s", first)
    assert line_with(first, "ngày").endswith("……, ngày 05 tháng 02 năm 2025")
    assert "- ……" in lines(last)
    assert "(Ký, ghi rõ họ tên)" in content
    assert "Nguyễn" not in content


@pytest.mark.django_db
def test_an_edited_letterhead_is_in_the_next_download(client: Any, dated: Any, world: Any) -> None:
    assert "Trần Thị Bình" not in text(client.get(cycle_url(dated)).getvalue())
    Letterhead.objects.create(body=world.body, signer_name="Trần Thị Bình")
    assert "Trần Thị Bình" in text(client.get(cycle_url(dated)).getvalue())


@pytest.mark.django_db
def test_the_english_report_keeps_the_form_with_english_words(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    content = client.get(cycle_url(dated), HTTP_ACCEPT_LANGUAGE="en").getvalue()
    words = text(content)
    for part in (
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "REPORT",
        "Results of the Public Administration Reform Index 2024",
        "Recipients:",
        "(Signature and full name)",
        "Thử, 05/02/2025",
    ):
        assert part in words
    assert re.search(r"No\.:\s{4,}/BC-SNV", words)
    assert structure(content).lang == "en"


@pytest.mark.django_db
def test_the_cycle_report_is_tagged_pdf_ua_1(client: Any, dated: Any) -> None:
    pdf = structure(client.get(cycle_url(dated)).getvalue())
    assert pdf.tags["H1"] == 1
    assert pdf.tags["H2"] >= 4
    assert pdf.tags["Table"] == 4
    assert pdf.tags["TH"] > pdf.tags["Table"]  # every table has its header cells
    assert pdf.tags["Figure"] == 3  # the charts, each with its text
    assert pdf.marked
    assert pdf.lang == "vi"
    assert pdf.display_title
    assert pdf.identification[f"{{{PDFUAID}}}part"] == "1"
    assert f"{{{PDFAID}}}part" not in pdf.identification
    assert pdf.xmp["{http://purl.org/dc/elements/1.1/}title"] == (
        "Chỉ số CCHC năm 2024 — Chỉ số CCHC cấp xã năm 2024"
    )
    assert pdf.fonts_embedded
    assert pdf.problems == []


@pytest.mark.django_db
def test_the_text_is_set_in_one_serif_that_has_every_vietnamese_letter(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    """No letter falls back to another face (Liberation Serif 1.x lacks Ủ, ữ, ệ: the make
    installs fonts-liberation2); the monospace is the content hash's."""
    families = structure(client.get(cycle_url(dated)).getvalue()).font_families
    assert len(families - {"DejaVu-Sans-Mono"}) == 1, families


@pytest.mark.django_db
def test_the_unit_report_has_the_same_form_and_tags(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    content = client.get(f"/results/{dated.pk}/units/x-mot/report.pdf").getvalue()
    words = text(content)
    assert "Kết quả Chỉ số cải cách hành chính năm 2024 của Xã Đông Hà" in " ".join(lines(words))
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", DATE_LINE, "Nơi nhận:", "Nguyễn Văn An"):
        assert part in words
    pdf = structure(content)
    assert (pdf.tags["H1"], pdf.tags["Table"] > 0, pdf.lang) == (1, True, "vi")
    assert pdf.identification[f"{{{PDFUAID}}}part"] == "1"
    assert pdf.problems == []


@pytest.mark.django_db
def test_the_archived_copy_is_pdf_a_3b_and_pdf_ua_1_in_vietnamese(
    client: Any, dated: Any, letterhead: Letterhead
) -> None:
    response = client.get(archive_url(dated), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="chi-so-cchc-2024-{dated.pk}-v1-luu-tru.pdf"'
    )
    content = response.getvalue()  # streamed from the stored file: read once
    pdf = structure(content)
    assert pdf.identification[f"{{{PDFAID}}}part"] == "3"
    assert pdf.identification[f"{{{PDFAID}}}conformance"] == "B"
    assert pdf.identification[f"{{{PDFUAID}}}part"] == "1"
    assert pdf.output_intent  # sRGB, as PDF/A wants for colour
    assert pdf.fonts_embedded
    assert (pdf.lang, pdf.marked, pdf.tags["H1"], pdf.tags["Table"]) == ("vi", True, 1, 4)
    assert pdf.xmp["{http://ns.adobe.com/xap/1.0/}CreateDate"] == "2025-02-05T09:30:00+07:00"
    assert pdf.problems == []
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text(content)


@pytest.mark.django_db
def test_the_archived_copy_is_the_same_bytes_each_time(client: Any, dated: Any) -> None:
    first = client.get(archive_url(dated)).getvalue()
    cache.clear()
    assert client.get(archive_url(dated, 1)).getvalue() == first


@pytest.mark.django_db
def test_there_is_no_archived_copy_without_the_publication(
    client: Any, dated: Any, unpublished: Any
) -> None:
    assert client.get(archive_url(unpublished)).status_code == 404
    assert client.get(archive_url(dated, 2)).status_code == 404
    assert client.post(archive_url(dated)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("archive", [False, True], ids=["download", "archive"])
def test_qpdf_finds_nothing_wrong(client: Any, dated: Any, archive: bool) -> None:
    result = qpdf_check(client.get(archive_url(dated) if archive else cycle_url(dated)).getvalue())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.django_db
def test_the_first_page_keeps_the_decree_margins(
    client: Any, dated: Any, letterhead: Letterhead, tmp_path: Path
) -> None:
    """Nothing is drawn in the left 30 mm, the right 15 mm or the top 20 mm of the page."""
    png = first_page_png(client.get(cycle_url(dated)).getvalue(), tmp_path / "page")
    if png is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    image = Image.open(png).convert("L")
    mm = image.width / 210
    inked = [
        (x, y)
        for y in range(image.height)
        for x in range(image.width)
        if image.getpixel((x, y)) < 128  # type: ignore[operator]
    ]
    assert min(x for x, _y in inked) >= 29 * mm
    assert max(x for x, _y in inked) <= image.width - 14 * mm
    assert min(y for _x, y in inked) >= 19 * mm
