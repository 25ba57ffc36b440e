"""The handout's code says whose it is: every listing of nn_from_scratch/handout.py is
introduced by the credit line, the module's docstring and the licence files say that its
statements are quoted and not covered by the book's licences."""

import re

import pytest
from book.fences import DOCS, ROOT, fences, pages


CREDIT = ("*Quoted from the handout, whose authors keep its copyright "
          "([licences](index.md#licences)); the comments are the book's.*")


def handout_listings():
    """(page, line, text between the previous fence and this listing) of each handout listing."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        previous_end = 0
        for fence in fences(text):
            if fence.title == "nn_from_scratch/handout.py":
                found.append((page.stem, fence.line, text[previous_end:fence.start]))
            previous_end = fence.end
    return found


def test_the_handout_listings_are_where_the_book_says():
    pages_with_listings = sorted({page for page, _, _ in handout_listings()})
    assert [page[:3] for page in pages_with_listings] == ["03a", "03c", "03d", "03e", "05a", "05c"]


@pytest.mark.parametrize("page, line, before", handout_listings(),
                         ids=lambda value: value if isinstance(value, str) and len(value) < 40
                         else "")
def test_each_handout_listing_carries_the_credit(page, line, before):
    # The credit stands in the prose (or fold) right before the listing, after its last heading.
    after_heading = re.split(r"^#+ ", before, flags=re.M)[-1]
    assert CREDIT in " ".join(after_heading.split()), f"docs/{page}.md, line {line}"


def test_the_module_and_the_licence_files_say_whose_the_statements_are():
    from nn_from_scratch import handout

    said = " ".join(handout.__doc__.split())
    assert "Eduardo Juárez and Alejandro Martínez de Ternero" in said
    assert "not covered by the MIT grant" in said
    notice = " ".join((ROOT / "NOTICE").read_text(encoding="utf-8").split())
    assert "not covered by the MIT License of LICENSE nor by the CC BY 4.0 licence" in notice
    for name in ["LICENSE", "LICENSE-CONTENT", "README.md"]:
        assert "NOTICE" in (ROOT / name).read_text(encoding="utf-8"), name
    index = " ".join((DOCS / "index.md").read_text(encoding="utf-8").split())
    assert "nn_from_scratch/handout.py" in index.split("## Licences")[1]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license-files = \[.*"NOTICE".*\]$', pyproject, re.M)
    assert re.search(r'^license = "MIT AND LicenseRef-[\w.-]+"', pyproject, re.M)
    footer = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^copyright: .*nn_from_scratch/handout\.py.*Juárez", footer, re.M)
