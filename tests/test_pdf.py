"""The book's PDF as a reader gets it (``nox -s pdf``; the student edition's, ``nox -s student``).

Read with pypdf from .cache/pdf/, where tests/book/pdf.py prints it: every page of the
navigation is there, its title in the text and in the bookmarks; the page count is within
bounds; no TeX is left in the text (MathJax typeset it all); the table of contents and the
links between chapters lead to places inside the PDF and none leads to the machine that
printed it; it is tagged for screen readers, in English, with a title. That a student PDF
holds no solution is tested with the rest of that edition (tests/test_student_edition.py);
here, that the full PDF holds them, so that the search there can find one.

A test is skipped while its edition's PDF does not exist; ``nox -s pdf`` and ``nox -s student``
run this file with NN_FROM_SCRATCH_PDF naming the edition they made, which makes a missing
PDF fail instead.
"""

import functools
import os
import re
import unicodedata
from pathlib import Path

import pytest
from book.pdf_hooks import EDITIONS, cached_pdf


ROOT = Path(__file__).resolve().parents[1]
RUN = os.environ.get("NN_FROM_SCRATCH_PDF")
# The full edition had 185 A4 pages, the student edition 176 (commit of this file). Fewer
# than 150 means pages or listings went missing; more than 240, a layout that leaves pages
# half empty (listings or figures pushed whole to the next page) or a page printed twice.
PAGES = range(150, 241)
# TeX that MathJax would have turned into symbols, as it would show if it had not run.
RAW_TEX = re.compile(r"\\frac|\\sum|\\partial|\\mathbf|\\left|\\begin\{|\$\$|\\\(|\\\[")
# A local address: the server that served the print page, if a link to it were left (the
# book's own text may show one, such as the address `nox -s serve` serves on).
LOCAL = re.compile(r"^(?:file:|https?://(?:127\.0\.0\.1|localhost|\[::1\]))")


def pypdf():
    return pytest.importorskip("pypdf", reason="pypdf is installed by nox -s pdf")


@functools.cache
def reader(edition):
    path = cached_pdf(edition)
    if not path.is_file():
        if RUN == edition:
            pytest.fail(f"{path.relative_to(ROOT)} was not made")
        pytest.skip(f"no {path.relative_to(ROOT)}: make it with `nox -s pdf` or `nox -s student`")
    return pypdf().PdfReader(path)


@functools.cache
def page_texts(edition):
    """Each page's text, ligatures (the "fl" of "flowers") as their letters."""
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader(edition).pages]


@functools.cache
def text(edition):
    """The PDF's text, one space between words."""
    return re.sub(r"\s+", " ", " ".join(page_texts(edition)))


@functools.cache
def bookmarks(edition):
    """The bookmarks as (depth, title, page index), in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = re.sub(r"\s+", " ", item.title).strip()
                found.append((depth, title, reader(edition).get_destination_page_number(item)))

    walk(reader(edition).outline, 0)
    return found


def book_pages():
    """The pages of the navigation (mkdocs.yml) and each one's title, its first heading."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n")[1].split("\n\n")[0]
    pages = re.findall(r":\s*(\S+\.md)\s*$", nav, re.M)
    titles = {}
    for page in pages:
        heading = re.search(r"^# (.+)$", (ROOT / "docs" / page).read_text(encoding="utf-8"), re.M)
        titles[page] = heading[1].strip()
    return titles


def links(edition):
    """Every link of the PDF as (page index, internal page index or None, URI or None)."""
    pdf = reader(edition)
    destinations = pdf.named_destinations
    found = []
    for index, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A") or {}
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                target = destinations.get(name)
                found.append((index, None if target is None else pdf.get_destination_page_number(
                    target), name))
            elif action.get("/S") == "/URI":
                found.append((index, None, str(action["/URI"])))
            else:
                found.append((index, None, repr(dict(annotation))[:120]))
    return found


def test_the_navigation_is_read_from_mkdocs_yml():
    pages = book_pages()
    assert {"index.md", "03a-single-neuron.md", "06-handwritten-digits.md", "errata.md"} <= set(
        pages)
    assert pages["03a-single-neuron.md"] == "A single neuron"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_of_the_book_is_in_the_text_and_the_bookmarks(edition):
    titles = {title for depth, title, page in bookmarks(edition)}
    missing = [f"{page}: '{title}' not in the bookmarks" for page, title in book_pages().items()
               if title not in titles]
    missing += [f"{page}: '{title}' not in the text" for page, title in book_pages().items()
                if title not in text(edition)]
    assert not missing, "\n".join(missing)
    # The chapters in the navigation's order.
    order = {title: page for depth, title, page in reversed(bookmarks(edition)) if depth <= 1}
    starts = [order[title] for title in book_pages().values()]
    assert starts == sorted(starts)


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_count_is_within_bounds(edition):
    assert len(reader(edition).pages) in PAGES


@pytest.mark.parametrize("edition", EDITIONS)
def test_math_is_typeset(edition):
    raw = sorted({match[0] for match in RAW_TEX.finditer(text(edition))})
    assert not raw, f"TeX left in the PDF's text: {raw}"
    # And typeset: the symbols MathJax draws are there (the chain rule's partial derivatives).
    assert text(edition).count("∂") > 50


@pytest.mark.parametrize("edition", EDITIONS)
def test_links_lead_inside_the_pdf(edition):
    found = links(edition)
    broken = [f"page {page + 1}: {name}, no such place in the PDF" for page, target, name in found
              if target is None and not re.match(r"^(https?|mailto):", name)]
    shown = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md"))
    broken += [f"page {page + 1}: {name}, a local address" for page, target, name in found
               if LOCAL.match(name) and name.rstrip("/") not in shown]
    assert not broken, "\n".join(broken[:40])
    # The table of contents (the pages after the cover, up to the home page) leads to every
    # chapter's first page.
    chapters = {title: page for depth, title, page in bookmarks(edition) if depth <= 1}
    home = chapters[book_pages()["index.md"]]
    contents = {target for page, target, name in found if 0 < page < home}
    unreached = [title for title in book_pages().values() if chapters[title] not in contents]
    assert not unreached, f"the table of contents does not lead to {unreached}"
    # Chapters link to each other: many links land on another page than their own, inside
    # the book's pages (not counting the table of contents).
    inside = [(page, target) for page, target, name in found if page >= home and target]
    assert len([1 for page, target in inside if target != page]) > 100


@pytest.mark.parametrize("edition", EDITIONS)
def test_tagged_for_screen_readers(edition):
    pdf = reader(edition)
    catalog = pdf.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert pdf.metadata.title.startswith("Neural networks from scratch")
    assert ("student" in pdf.metadata.title) == (edition == "student")


def test_the_full_pdf_holds_the_solutions():
    """What tests/test_student_edition.py looks for in the student PDF is found in the full
    one, so the text pypdf reads is good enough for that search."""
    from test_student_edition import fold_lines, leaks  # tests/ is on the path (pyproject.toml)

    folds = sum(bool(re.search(r"^\s*Solution\s*$", page, re.M)) for page in page_texts("full"))
    assert folds >= 5
    found = leaks("the full PDF", text("full"))
    names = [line for line in found if ": the name " in line]
    lines = [line for line in found if ": the line " in line]
    assert len(names) >= 5
    # A line is looked for without its formulas (their text in the PDF is MathJax's) and with
    # the measured values in place of their placeholders: 133 of the 135 lines were found when
    # the solutions last changed (the two missed are lines of a displayed formula). Half is
    # plenty to show the search finds a leak.
    assert len(lines) >= 0.5 * len(fold_lines())
