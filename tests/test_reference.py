"""The API reference and the chapters link each other (tests/book/reference.py).

Every public name (each name of a module's ``__all__``, and what ``import
nn_from_scratch`` gives) has an entry on the API page that links to the section
introducing it; every chapter links to the entries of what it writes; and every
such link leads to a heading or an entry that the pages really have. (``mkdocs
build --strict`` checks the same anchors on the built site.)
"""

import importlib
import re

import pytest
from book.fences import DOCS, PACKAGE
from book.mkdocs_hooks import drop_solutions
from book.reference import (
    API_PAGE,
    CrossLinkError,
    api_page,
    build_index,
    closing_block,
    headings,
    read_pages,
)

import nn_from_scratch


LINK = re.compile(r"\]\(([\w.-]*\.md)?#([^)\s]+)\)")
DIRECTIVE = re.compile(r"^::: (\S+)$", re.M)
GIVEN_ID = re.compile(r"\{ #(\S+) \}$", re.M)


@pytest.fixture(scope="module")
def book():
    return read_pages()


@pytest.fixture(scope="module")
def index(book):
    return build_index(book)


@pytest.fixture(scope="module")
def rendered(book, index):
    """Each page's Markdown as the hook makes it: the API page expanded, the chapters closed."""
    pages = {name: text for name, text, _ in book}
    return {
        name: api_page(text, index) if name == API_PAGE else text + closing_block(name, index)
        for name, text in pages.items()
    }


def api_ids(markdown):
    """The ids the API page's entries get: mkdocstrings names each by its path."""
    return set(DIRECTIVE.findall(markdown)) | set(GIVEN_ID.findall(markdown))


def test_every_module_of_the_package_is_in_the_reference(index):
    modules = {f"nn_from_scratch.{path.stem}" for path in PACKAGE.glob("*.py")}
    modules.discard("nn_from_scratch.__init__")
    missing = modules - set(index.modules)
    assert not missing, f"give these modules an __all__ so the reference covers them: {missing}"
    listed = DIRECTIVE.findall((DOCS / API_PAGE).read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(["nn_from_scratch", *index.modules])


def test_every_public_name_has_an_entry_that_links_its_chapter(index, rendered):
    api = rendered[API_PAGE]
    ids = api_ids(api)
    for dotted, entries in index.modules.items():
        public = importlib.import_module(dotted).__all__
        assert [entry.name for entry in entries] == public, dotted
        for entry in entries:
            assert entry.path in ids, f"{entry.path} has no entry on the API page"
            # The entry's own text: from its directive (or heading) to the next entry's.
            start = max(api.find(f"::: {entry.path}\n"), api.find(f"{{ #{entry.path} }}"))
            following = [api.find(f"::: {other.path}\n", start + 1) for other in index.entries()]
            end = min([at for at in following if at > start] + [len(api)])
            intro = re.search(r"Introduced in \[[^\]]+\]\(([\w.-]+\.md)#([^)]+)\)", api[start:end])
            assert intro, f"{entry.path}: no 'Introduced in' link"
            first = entry.places[0]
            assert intro.groups() == (first.page, first.anchor)


def test_the_package_table_covers_import_nn_from_scratch(index, rendered):
    table = rendered[API_PAGE].split("::: nn_from_scratch.activations")[0]
    for name in nn_from_scratch.__all__:
        row = re.search(rf"^\| `{name}` \| \[`[\w.]+`\]\(#([\w.]+)\) \| \[.+\]\((.+)\) \|$", table,
                        re.M)
        assert row, f"import nn_from_scratch gives {name}, which the table does not list"
        assert getattr(nn_from_scratch, name) is _resolve(row[1])


def _resolve(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_each_chapter_links_the_entries_of_what_it_writes(index, rendered):
    ids = api_ids(rendered[API_PAGE])
    for entry in index.entries():
        for page in {place.page for place in entry.places}:
            assert f"]({API_PAGE}#{entry.path})" in rendered[page], (
                f"docs/{page} writes {entry.short} but does not link its entry"
            )
    for page, markdown in rendered.items():
        if page == API_PAGE:
            continue
        for target, anchor in LINK.findall(markdown[markdown.find("In the API reference"):]):
            assert target == API_PAGE and anchor in ids, f"docs/{page}: {target}#{anchor}"


def test_every_link_of_the_reference_leads_to_a_heading_or_an_entry(rendered):
    anchors = {page: {anchor for _, _, anchor in headings(text)} for page, text in rendered.items()}
    api = rendered[API_PAGE]
    anchors[API_PAGE] |= api_ids(api)
    links = LINK.findall(api)
    assert len(links) > 50
    for target, anchor in links:
        page = target or API_PAGE
        assert anchor in anchors.get(page, ()), f"{API_PAGE} links {page}#{anchor}, not there"


def test_headings_get_the_ids_of_the_built_site():
    # The ids as the site's toc extension makes them (read from a build).
    text = (
        "# A single neuron\n\n## How much did each weight contribute? The chain rule\n\n"
        "```python\n# not a heading\n```\n\n### An unknown or ambiguous `init_method`\n\n"
        "## 1. Sec. 3a, Exercise 3: the question breaks off { #erratum-1 }\n\n"
        "## What \"from scratch\" means here\n\n## The handout's version, and a subtle slip\n\n"
        "## Momentum\n\n## Momentum\n"
    )
    assert [anchor for _, _, anchor in headings(text)] == [
        "a-single-neuron",
        "how-much-did-each-weight-contribute-the-chain-rule",
        "an-unknown-or-ambiguous-init_method",
        "erratum-1",
        "what-from-scratch-means-here",
        "the-handouts-version-and-a-subtle-slip",
        "momentum",
        "momentum_1",
    ]


EXTRA_PAGE = """# An extra page

## Shown

```python title="nn_from_scratch/metrics.py"
def shown_metric():
    return 1
```

??? success "Solution"
    ```python title="nn_from_scratch/metrics.py"
    def folded_metric():
        return 2
    ```
"""


def test_a_name_only_a_solution_fold_defines_is_not_linked_in_the_student_edition(book):
    pages = [*book, ("zz-extra.md", EXTRA_PAGE, EXTRA_PAGE)]
    student = tuple((name, text, drop_solutions(text)) for name, text, _ in pages)
    for edition, shows_folded in [(tuple(pages), True), (student, False)]:
        index = build_index(edition)
        names = [entry.name for entry in index.modules["nn_from_scratch.metrics"]]
        assert "shown_metric" in names
        assert ("folded_metric" in names) is shows_folded
        block = closing_block("zz-extra.md", index)
        assert "api.md#nn_from_scratch.metrics.shown_metric" in block
        assert ("folded_metric" in block) is shows_folded
        page = api_page("::: nn_from_scratch.metrics\n", index)
        assert ("folded_metric" in page) is shows_folded


def test_the_api_page_refuses_what_it_cannot_expand(index):
    with pytest.raises(CrossLinkError, match=r"names no public module.*expected one of"):
        api_page("::: nn_from_scratch.solutions\n", index)
    with pytest.raises(CrossLinkError, match="write `::: nn_from_scratch.neuron` alone"):
        api_page("::: nn_from_scratch.neuron\n    options:\n      members: true\n", index)
