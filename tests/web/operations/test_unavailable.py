"""A database that cannot be reached answers 503 "briefly unavailable", not a server error."""

import pytest
from django.test import Client


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.web.operations.failing_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/down/", "/closed/"])
def test_a_page_whose_database_is_down_says_to_wait_and_retry(client, url, parse):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = parse(response.content)
    assert page.find("h1").text == "Tạm thời gián đoạn"
    assert "cơ sở dữ liệu" in page.find("p").text
    assert "Traceback" not in response.content.decode()


def test_the_api_answers_503_json(client):
    response = client.get("/api/down/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


def test_any_other_failure_is_still_a_server_error(client):
    assert client.get("/bug/").status_code == 500
