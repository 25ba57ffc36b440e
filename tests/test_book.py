"""The book and the package stay one: every listing runs, the package is what the chapters say."""

import re

import pytest
from book.fences import ROOT, fences, pages
from book.pages import book, listings
from book.tangle import MARK, differences, tangle

PAGES = pages()


def test_the_package_is_what_the_chapters_say():
    assert differences() == [], "run `nox -s tangle` and commit the result"


def test_every_generated_module_names_its_chapters():
    for path, text in tangle().items():
        first, second = text.splitlines()[:2]
        assert first == MARK
        chapters = re.findall(r"docs/[\w.-]+\.md", second)
        assert chapters, path
        title = f'title="{path.relative_to(ROOT).as_posix()}"'
        for chapter in chapters:
            assert title in (ROOT / chapter).read_text(encoding="utf-8"), (path, chapter)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_python_fence_is_a_listing_the_tests_run(page):
    text = page.read_text(encoding="utf-8")
    written = len(re.findall(r"^[ \t]*```python\b", text, flags=re.M))
    included = sum(1 for fence in fences(text) if fence.language == "python" and fence.include)
    run = len(listings(text))
    collected = len(book.parse(page).regions)
    assert written - included == run == collected


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_listing_is_written_as_a_console_session(page):
    text = page.read_text(encoding="utf-8")
    for fence in fences(text):
        if fence.language == "python":
            assert not fence.code.lstrip().startswith(">>>"), f"{page.name}:{fence.line}"


def test_an_output_block_after_no_listing_is_refused():
    text = 'Some text.\n\n```text title="Output"\n42\n```\n'
    with pytest.raises(ValueError, match="never checked"):
        listings(text)


def test_an_output_block_is_paired_with_the_listing_before_it():
    text = (
        '```python\nprint(6 * 7)\n```\n\n'
        '??? example "Output"\n    ```text title="Output"\n    42\n    ```\n'
    )
    [(_, _, listing)] = listings(text)
    assert listing.code == "print(6 * 7)\n" and listing.expected == "42\n"


def test_a_wrong_docstring_example_in_a_listing_fails():
    from book.pages import run_docstring_examples

    code = 'def double(x):\n    """\n    >>> double(2)\n    5\n    """\n    return 2 * x\n'
    text = f"```python\n{code}```\n"
    [(_, _, listing)] = listings(text)
    namespace = {}
    exec(code, namespace)
    with pytest.raises(AssertionError, match="docstring example"):
        run_docstring_examples(listing, namespace, "page.md")
