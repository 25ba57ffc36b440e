"""The parts of the browser check (book.browser) that need no browser: the local server, the
list of pages, the link and notebook checks, the check of what a copy button copied."""

import json
import urllib.error
import urllib.request

import pytest
from book.browser import listing_problem, serve, site_pages, site_prefix
from book.site_links import SiteLinks


@pytest.fixture
def site(tmp_path):
    """A small built site, made to be served under /book/."""
    (tmp_path / "index.html").write_text('<h1 id="top">Home</h1><a href="a/">A</a>')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a name="footnote"></a><p id="x">A</p>')
    (tmp_path / "404.html").write_text("<p>Not found</p>")
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "x"}]}
    (tmp_path / "good.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "old.ipynb").write_text(json.dumps({**notebook, "nbformat": 3}))
    (tmp_path / "empty.ipynb").write_text(json.dumps({**notebook, "cells": []}))
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>https://someone.github.io/book/</loc></url></urlset>"
    )
    return tmp_path


def test_pages_and_prefix(site):
    assert site_pages(site) == ["", "a/", "404.html"]
    assert site_prefix(site) == "/book/"
    (site / "sitemap.xml").unlink()
    assert site_prefix(site) == "/"


def test_served_under_its_prefix_only(site):
    with serve(site, "/book/") as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/book/")
        with urllib.request.urlopen(base + "a/") as response:
            assert b'id="x"' in response.read()
        outside = base.removesuffix("book/") + "index.html"
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(outside)
        assert error.value.code == 404
    with pytest.raises(ValueError, match="starts and ends with '/'"):
        with serve(site, "book"):
            pass


def test_links_pages_anchors_notebooks(site):
    with serve(site, "/book/") as base:
        links = SiteLinks(site, base)
        assert links.is_internal(base + "a/")
        assert not links.is_internal("https://example.org/book/a/")
        assert not links.is_internal("mailto:someone@example.org")
        for good in ["", "a/", "a", "a/#x", "a/#footnote", "#top", "good.ipynb", "404.html"]:
            assert links.problem(base + good) is None, good
        assert "no such page" in links.problem(base + "b/")
        assert "no id 'y' on /book/a/" in links.problem(base + "a/#y")
        assert "no such page" in links.problem(base + "missing.ipynb")
        assert "expected nbformat 4, got 3" in links.problem(base + "old.ipynb")
        assert "non-empty list of cells" in links.problem(base + "empty.ipynb")
        assert "is not JSON" in links.problem(base + "broken.ipynb")
        assert "no such page" in links.problem(base.removesuffix("book/") + "index.html")
    with pytest.raises(ValueError, match="must end in '/'"):
        SiteLinks(site, "http://127.0.0.1:1/book")


def test_copied_listings():
    listing = "def f():\n    return 1\n"
    assert listing_problem("python", listing, listing, "b") is None
    assert "does not compile: line 2" in listing_problem("python", "x = 1\n)\n", "x = 1\n)\n", "b")
    assert "differs" in listing_problem("python", ">>> x = 1", "x = 1", "b")
    assert listing_problem("bash", "pip install .\n", "pip install .", "b") is None
    pycon = ">>> x = 1\n>>> x + 1\n2\n"
    assert listing_problem("pycon", pycon, pycon, "b") is None
