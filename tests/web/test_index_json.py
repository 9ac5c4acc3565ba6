import parindex


def test_it_describes_the_site(client):
    r = client.get("/index.json")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r.json() == {
        "name": "parindex",
        "version": parindex.__version__,
        "languages": ["vi", "en"],
    }


def test_it_refuses_post(client):
    assert client.post("/index.json").status_code == 405
