from parindex_web.lib.version import get_version


def test_it_describes_the_site(client):
    r = client.get("/index.json")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"name": "parindex", "version": get_version(), "languages": ["vi", "en"]}


def test_the_version_is_known():
    assert get_version() != "unknown"


def test_it_refuses_post(client):
    assert client.post("/index.json").status_code == 405
