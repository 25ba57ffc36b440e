"""Resolve the internal links of a built site to its files: pages, anchors and notebooks.

``book.browser`` collects every ``<a href>`` of a page in the browser and asks a
:class:`SiteLinks` whether it leads somewhere: a file of the site (a folder stands
for its ``index.html``), an ``id`` on the target page for a ``#fragment``, and for
a link ending in ``.ipynb`` a notebook that parses as JSON with ``nbformat`` 4 and
a list of cells, as served over HTTP.
"""

from __future__ import annotations

import json
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Ids(HTMLParser):
    """The ``id`` attributes of a page, and the ``name`` of its ``<a>`` elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value is not None and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


class SiteLinks:
    """Check links against the site in ``root``, served at ``base`` (``http://host:port/``).

    Parameters
    ----------
    root : Path
        The built site's folder.
    base : str
        The address the site is served at, ending in ``/``.
    """

    def __init__(self, root: Path, base: str):
        if not base.endswith("/"):
            raise ValueError(f"base address must end in '/', got {base!r}")
        self.root = Path(root).resolve()
        self.base = base
        self._origin = urlsplit(base)._replace(path="", query="", fragment="").geturl()
        self._ids: dict[Path, set[str]] = {}
        self._notebooks: dict[str, str | None] = {}

    def is_internal(self, href: str) -> bool:
        """Whether an absolute address points into the served site."""
        parts = urlsplit(href)
        return parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == (
            self._origin
        )

    def target(self, href: str) -> Path | None:
        """The file an internal address serves, or None if there is none."""
        path = unquote(urlsplit(href).path)
        prefix = urlsplit(self.base).path
        if not path.startswith(prefix):
            return None
        candidate = (self.root / path[len(prefix):]).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        if path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def ids(self, page: Path) -> set[str]:
        """The anchors a page offers (cached)."""
        if page not in self._ids:
            parser = _Ids()
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
            self._ids[page] = parser.ids
        return self._ids[page]

    def problem(self, href: str) -> str | None:
        """What is wrong with an internal link, or None if it leads where it says."""
        parts = urlsplit(href)
        target = self.target(href)
        if target is None:
            return f"no such page or file: {parts.path}"
        if parts.path.endswith(".ipynb"):
            return self.notebook_problem(href.split("#", 1)[0])
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in self.ids(target):
            return f"no id {fragment!r} on {parts.path}"
        return None

    def notebook_problem(self, address: str) -> str | None:
        """Fetch a notebook from the server; say what is wrong with it, if anything (cached)."""
        if address not in self._notebooks:
            self._notebooks[address] = _notebook_problem(address)
        return self._notebooks[address]


def _notebook_problem(address: str) -> str | None:
    try:
        with urllib.request.urlopen(address, timeout=10) as response:
            body = response.read()
    except OSError as error:
        return f"notebook {address} not served: {error}"
    try:
        notebook = json.loads(body)
    except ValueError as error:
        return f"notebook {address} is not JSON: {error}"
    if not isinstance(notebook, dict):
        return f"notebook {address}: expected a JSON object, got {type(notebook).__name__}"
    if notebook.get("nbformat") != 4:
        return f"notebook {address}: expected nbformat 4, got {notebook.get('nbformat')!r}"
    cells = notebook.get("cells")
    if not isinstance(cells, list) or not cells:
        return f"notebook {address}: expected a non-empty list of cells, got {cells!r:.60}"
    return None
