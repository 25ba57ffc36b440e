"""The book and the package stay one: every listing runs, the package is what the chapters say."""

import re

import pytest
from book.fences import ROOT, fences, pages
from book.pages import book, listings
from book.tangle import MARK, differences, highlight_problems, read_book, tangle, with_highlights

PAGES = pages()


def test_the_package_is_what_the_chapters_say():
    assert differences() == [], "run `nox -s tangle` and commit the result"


def test_every_definition_shown_again_highlights_what_changed():
    problems = highlight_problems()
    assert problems == [], "run `python tests/book/tangle.py --highlights docs/PAGE.md`:\n" + "\n".join(problems)


FIRST = '```python title="nn_from_scratch/m.py"\nclass A:\n    x = 1\n```\n'
# A again: the comment above it (line 4) and y, z (lines 7-8) are new; f is shown for the first time.
AGAIN = (
    '```python title="nn_from_scratch/m.py"{}\nimport math\n\n\n# A grows.\nclass A:\n'
    "    x = 1\n    y = 2\n    z = 3\n\n\ndef f():\n    return math.pi\n```\n"
)


def highlights_of(attribute=""):
    return highlight_problems([("a.md", FIRST), ("b.md", AGAIN.format(attribute))])


@pytest.mark.parametrize("value", ["4 7-8", "4 7 8", "7-8 4", "8 4 7-7"])
def test_hl_lines_naming_the_changed_lines_passes_however_written(value):
    assert highlights_of(f' hl_lines="{value}"') == []


def test_a_definition_shown_again_without_hl_lines_fails():
    assert highlights_of() == ['docs/b.md:1: A changed since last shown; the fence needs hl_lines="4 7-8"']


@pytest.mark.parametrize("value", ["4 7", "4-8", "1 4 7-8", "4,7-8"])
def test_hl_lines_naming_other_lines_fails(value):
    [problem] = highlights_of(f' hl_lines="{value}"')
    assert problem.startswith("docs/b.md:1: ") and problem.endswith('write hl_lines="4 7-8"')


def test_hl_lines_count_from_the_first_line_shown():
    # Pygments drops a listing's leading blank lines: line 1 is the first one the page shows.
    page = AGAIN.format("").replace('py"\n', 'py"\n\n', 1)
    assert highlight_problems([("a.md", FIRST), ("b.md", page)]) == highlights_of()


def test_a_definition_shown_again_unchanged_needs_no_hl_lines():
    assert highlight_problems([("a.md", FIRST), ("b.md", FIRST)]) == []
    [problem] = highlight_problems([("a.md", FIRST), ("b.md", FIRST.replace('py"', 'py" hl_lines="2"'))])
    assert "remove it" in problem


def test_the_highlights_are_written_on_the_opening_fence_line_only():
    text = "Text.\n\n" + AGAIN.format(' hl_lines="5"')
    _, shown = read_book([("a.md", FIRST), ("b.md", text)])
    written = with_highlights(text, [listing for listing in shown if listing.page == "b.md"])
    assert written == text.replace(' hl_lines="5"', ' hl_lines="4 7-8"')


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
