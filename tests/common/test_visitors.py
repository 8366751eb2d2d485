import pytest

from trunkshow.common.visitors import VISITOR_COOKIE, valid_visitor_id

pytestmark = pytest.mark.django_db


def test_a_new_browser_gets_a_visitor_cookie_and_keeps_it(client):
    # Given a browser with no cookies
    # When it opens the home page twice
    first = client.get("/en/")
    issued = first.cookies[VISITOR_COOKIE].value
    second = client.get("/en/")
    # Then it got one id, kept on the second visit (no new cookie issued)
    assert valid_visitor_id(issued) == issued
    assert VISITOR_COOKIE not in second.cookies
    assert first.wsgi_request.visitor_id == second.wsgi_request.visitor_id == issued


def test_an_api_client_names_itself_with_the_header(client):
    # Given an API client with its own visitor id
    mine = "0123456789abcdef0123456789abcdef"
    # When it calls with X-Visitor-Id
    response = client.get("/api/v1/products", HTTP_X_VISITOR_ID=mine)
    # Then the request is that visitor's and no cookie is forced on it
    assert response.wsgi_request.visitor_id == mine
    assert VISITOR_COOKIE not in response.cookies


@pytest.mark.parametrize("forged", ["../../etc", "x" * 500, "'; drop table", ""])
def test_a_forged_id_is_replaced_by_a_fresh_one(client, forged):
    # Given a cookie that is not a visitor id
    client.cookies[VISITOR_COOKIE] = forged
    # When the browser opens a page
    response = client.get("/en/")
    # Then it is given a new, well-formed id
    assert valid_visitor_id(response.cookies[VISITOR_COOKIE].value)


def test_an_api_client_may_name_itself_with_an_id_of_its_own_up_to_64_characters(client):
    # Given ids an API client made: a UUID, and one of exactly 64 characters
    uuid_like = "3f2c1a9e-0b7d-4c55-9a1e-2f6b8d0c4e71"
    longest = "app.ios:" + "k" * 56
    # When it calls with them, and with one a character too long
    as_uuid = client.get("/api/v1/products", HTTP_X_VISITOR_ID=uuid_like)
    as_longest = client.get("/api/v1/products", HTTP_X_VISITOR_ID=longest)
    too_long = client.get("/api/v1/products", HTTP_X_VISITOR_ID=longest + "k")
    # Then the first two are that visitor, the third is given a fresh id of the site's own
    assert as_uuid.wsgi_request.visitor_id == uuid_like
    assert as_longest.wsgi_request.visitor_id == longest
    assert too_long.wsgi_request.visitor_id != longest + "k"
    assert len(too_long.wsgi_request.visitor_id) == 32
