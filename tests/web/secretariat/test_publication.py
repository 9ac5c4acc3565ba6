import pytest

from parindex_web.cycles.models import Phase, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication(cycle, run_to):
    run_to(cycle, Phase.PUBLISHED)
    return Publication.objects.get(cycle=cycle)


def url(publication, name: str = "") -> str:
    return f"/cycles/{publication.cycle_id}/publications/{publication.version}/{name}"


def test_it_shows_the_frozen_snapshot(client, parse, publication, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(url(publication)).content)
    assert page.find("h1").text == "Kết quả đã công bố, phiên bản 1"
    assert page.find("code", class_="hash").text == publication.content_hash
    units = [th.text for th in page.find_all("th", scope="row")][:3]
    expected = [row.split(",")[0] for row in publication.results_csv.splitlines()[1:]]
    names = {"x-a": "Xã Ái Quốc", "x-b": "Xã Bình An", "x-d": "Phường Đông Hà"}
    assert units == [names[code] for code in expected]
    first_index = publication.results_csv.splitlines()[1].split(",")[2]
    header_name, first_strong = [s.text for s in page.find_all("strong")][:2]
    assert header_name == (secretariat.get_full_name() or secretariat.get_username())
    assert first_strong == first_index.replace(".", ",")


@pytest.mark.parametrize(
    ("name", "field", "content_type"),
    [
        ("methodology.yaml", "methodology_text", "text/yaml; charset=utf-8"),
        ("scores.csv", "scores_csv", "text/csv; charset=utf-8"),
        ("results.csv", "results_csv", "text/csv; charset=utf-8"),
    ],
)
def test_it_serves_the_frozen_files_as_attachments(
    client, publication, secretariat, name, field, content_type
):
    client.force_login(secretariat)
    r = client.get(url(publication, name))
    assert r.status_code == 200
    assert r["Content-Type"] == content_type
    assert (
        r["Content-Disposition"] == f'attachment; filename="cycle-{publication.cycle_id}-v1-{name}"'
    )
    assert r.content.decode() == getattr(publication, field)


def test_it_serves_the_frozen_json(client, publication, secretariat):
    client.force_login(secretariat)
    data = client.get(url(publication, "results.json")).json()
    assert data["units"] == publication.results_json["units"]
    assert data["publication"]["content_hash"] == publication.content_hash


@pytest.mark.parametrize("name", ["methodology.csv", "other.txt"])
def test_it_is_404_for_an_unknown_file(client, publication, secretariat, name):
    client.force_login(secretariat)
    assert client.get(url(publication, name)).status_code == 404


def test_it_is_404_for_an_unknown_version(client, publication, secretariat):
    client.force_login(secretariat)
    assert client.get(f"/cycles/{publication.cycle_id}/publications/9/").status_code == 404


def test_it_refuses_everyone_else(publication, refused):
    for name in ("", "scores.csv", "results.csv", "methodology.yaml", "results.json"):
        refused(url(publication, name))


def test_it_links_the_public_page_and_the_open_data_bundle_of_its_version(
    client, parse, publication, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(url(publication)).content)
    cycle_id = publication.cycle_id
    public = page.find("a", href=f"/results/{cycle_id}/?version=1")
    assert public.text == "Trang kết quả công khai (phiên bản 1)"
    assert page.find("a", href=f"/results/{cycle_id}/v1/open-data.zip")
    client.logout()
    assert client.get(public.attrs["href"]).status_code == 200


def test_it_links_the_archived_copy_of_the_report_of_its_version(
    client, parse, publication, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(url(publication)).content)
    link = page.find("a", href=f"/results/{publication.cycle_id}/v1/report-archive.pdf")
    assert link.text == "Báo cáo để lưu trữ (phiên bản 1, PDF/A, tiếng Việt)"
    assert link.attrs["hreflang"] == "vi"
