"""Every figure of the book says what it shows, in its alt text.

A reader who cannot see a figure (a screen reader, an image that did not load)
gets its alt text instead: it must describe the figure, not name it. Every image
of docs/*.md is checked, whether a Markdown image (``![alt](src)``, ``![alt][ref]``)
or an HTML ``<img>``, including the figures the chapters' code makes
(``generated/``), whose links the page runner requires; code blocks are skipped.
The notebooks take their figures' alt text from these links (tests/book/notebooks.py).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from book.fences import DOCS, fences, pages


# ![alt](src "title") or ![alt][ref]
MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\](?:\((?P<src>[^)\s]+)[^)]*\)|\[(?P<ref>[^\]]*)\])"
)
PLACEHOLDERS = {"image", "figure", "plot", "diagram", "chart", "picture", "screenshot",
                "no description has been provided for this image"}


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attributes = dict(attrs)
            self.found.append((attributes.get("alt") or "", attributes.get("src") or ""))


def images(text: str) -> list[tuple[str, str]]:
    """The (alt, src) of every image of a page, outside its code blocks."""
    for fence in reversed(fences(text)):
        text = text[: fence.start] + text[fence.end :]
    found = [(match["alt"], match["src"] or match["ref"] or "") for match in
             MARKDOWN_IMAGE.finditer(text)]
    parser = _Images()
    parser.feed(text)
    return found + parser.found


def alt_problem(alt: str, src: str) -> str | None:
    """What is wrong with an image's alt text, or None when it describes something."""
    words = alt.split()
    stem = Path(src.split("#")[0]).stem.lower()
    plain = " ".join(re.findall(r"[a-z0-9]+", alt.lower()))
    if len(alt.strip()) < 20 or len(words) < 4:
        return "too short to say what it shows (at least 20 characters, 4 words)"
    if plain in PLACEHOLDERS or (stem and plain == " ".join(re.findall(r"[a-z0-9]+", stem))):
        return "a placeholder or the file's name, not a description"
    if src and Path(src).name.lower() in alt.lower():
        return "names the file instead of describing the figure"
    return None


PAGES = [page for page in pages() if images(page.read_text(encoding="utf-8"))]


def test_the_book_has_figures_to_check():
    figures = [src for page in PAGES for _, src in images(page.read_text(encoding="utf-8"))]
    assert sum(src.startswith("generated/") for src in figures) >= 15
    assert sum(src.startswith("diagrams/") for src in figures) >= 5


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_figure_has_an_alt_text_that_says_what_it_shows(page):
    problems = [
        f"docs/{page.name}: {src}: {problem} (alt: {alt!r})"
        for alt, src in images(page.read_text(encoding="utf-8"))
        if (problem := alt_problem(alt, src))
    ]
    assert not problems, "\n".join(problems)


def test_every_diagram_is_shown_somewhere():
    shown = {src for page in PAGES for _, src in images(page.read_text(encoding="utf-8"))}
    unused = [path.name for path in sorted((DOCS / "diagrams").glob("*")) if
              f"diagrams/{path.name}" not in shown]
    assert not unused, f"diagrams no page shows (so no alt text is checked): {unused}"


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("![](generated/x.png)", "too short"),
        ("![sigmoid](generated/03a-sigmoid.png)", "too short"),
        ('<img src="diagrams/neuron.svg">', "too short"),
        ("![03a single neuron sigmoid](generated/03a-single-neuron-sigmoid.png)",
         "the file's name"),
        ("![The figure generated/a-b-c-d.png, shown](generated/a-b-c-d.png)", "names the file"),
        ("![No description has been provided for this image](x.png)", "placeholder"),
        ("![The sigmoid: an S-shaped curve from 0 to 1](generated/x.png)", None),
    ],
)
def test_a_poor_alt_text_is_caught(markdown, problem):
    [(alt, src)] = images(markdown)
    found = alt_problem(alt, src)
    assert (found is None) if problem is None else (problem in found)
