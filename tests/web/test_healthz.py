def test_it_says_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert "no-cache" in r["Cache-Control"]


def test_it_answers_head(client):
    assert client.head("/healthz").status_code == 200
