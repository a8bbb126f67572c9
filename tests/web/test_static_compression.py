"""Static CSS and JavaScript are gzipped for browsers that accept it; pages never are (BREACH)."""

import gzip


def test_stylesheets_are_gzipped_for_browsers_that_accept_it(client):
    path = "/static/vendor/bootstrap/bootstrap.min.css"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    zipped = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 4


def test_pages_are_not_compressed(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers
