"""The book and the package stay one: every listing runs, the package is what the chapters say."""

import ast
import doctest
import itertools
import re
import textwrap

import pytest
from book.excerpts import is_excerpt
from book.fences import ROOT, fences, pages
from book.pages import book, listings
from book.tangle import (
    MARK,
    BookError,
    differences,
    highlight_problems,
    is_generated,
    read_book,
    sections,
    tangle,
    with_highlights,
)


PAGES = pages()


def test_the_package_is_what_the_chapters_say():
    assert differences() == [], "run `nox -s tangle` and commit the result"


def test_every_definition_shown_again_highlights_what_changed():
    problems = highlight_problems()
    fix = "run `nox -s tangle -- --highlights docs/PAGE.md`"
    assert problems == [], f"{fix}:\n" + "\n".join(problems)


FIRST = (
    '```python title="nn_from_scratch/m.py"\n"""The module m."""\n\n\n'
    "class A:\n    x = 1\n```\n"
)
# A again, unchanged.
SAME = '```python title="nn_from_scratch/m.py"\nclass A:\n    x = 1\n```\n'
# A again: the comment above it (line 4) and y, z (lines 7-8) are new; the import (line 1)
# and f (lines 11-12) are new to the file, so they are highlighted too.
AGAIN = (
    '```python title="nn_from_scratch/m.py"{}\nimport math\n\n\n# A grows.\nclass A:\n'
    "    x = 1\n    y = 2\n    z = 3\n\n\ndef f():\n    return math.pi\n```\n"
)


def highlights_of(attribute=""):
    return highlight_problems([("a.md", FIRST), ("b.md", AGAIN.format(attribute))])


@pytest.mark.parametrize(
    "value", ["1 4 7-8 11-12", "1 4 7 8 11 12", "11-12 7-8 4 1", "8 4 7-7 1 11-12"]
)
def test_hl_lines_naming_the_changed_lines_passes_however_written(value):
    assert highlights_of(f' hl_lines="{value}"') == []


def test_a_definition_shown_again_without_hl_lines_fails():
    assert highlights_of() == [
        "docs/b.md:1: A, new import, new f changed or new since last shown; "
        'the fence needs hl_lines="1 4 7-8 11-12"'
    ]


@pytest.mark.parametrize("value", ["4 7-8", "1-12", "1 4 7-8", "1,4,7-8,11-12"])
def test_hl_lines_naming_other_lines_fails(value):
    [problem] = highlights_of(f' hl_lines="{value}"')
    assert problem.startswith("docs/b.md:1: ")
    assert problem.endswith('write hl_lines="1 4 7-8 11-12"')


def test_hl_lines_count_from_the_first_line_shown():
    # Pygments drops a listing's leading blank lines: line 1 is the first one the page shows.
    page = AGAIN.format("").replace('py"\n', 'py"\n\n', 1)
    assert highlight_problems([("a.md", FIRST), ("b.md", page)]) == highlights_of()


def test_a_definition_shown_again_unchanged_needs_no_hl_lines():
    assert highlight_problems([("a.md", FIRST), ("b.md", SAME)]) == []
    [problem] = highlight_problems(
        [("a.md", FIRST), ("b.md", SAME.replace('py"', 'py" hl_lines="2"'))]
    )
    assert "remove it" in problem


def test_the_highlights_are_written_on_the_opening_fence_line_only():
    text = "Text.\n\n" + AGAIN.format(' hl_lines="5"')
    _, shown = read_book([("a.md", FIRST), ("b.md", text)])
    written = with_highlights(text, [listing for listing in shown if listing.page == "b.md"])
    assert written == text.replace(' hl_lines="5"', ' hl_lines="1 4 7-8 11-12"')


def test_every_generated_module_names_its_chapters():
    for path, text in tangle().items():
        # The module's docstring first (a docstring must be the first statement), then the mark.
        tree = ast.parse(text)
        assert ast.get_docstring(tree), path
        end = tree.body[0].end_lineno
        blank, mark, *comments = text.splitlines()[end:]
        assert (blank, mark) == ("", MARK) and is_generated(text), path
        comments = "\n".join(itertools.takewhile(lambda line: line.startswith("#"), comments))
        assert comments.startswith("# Chapters: "), path
        chapters = re.findall(r"docs/[\w.-]+\.md", comments)
        assert chapters, path
        title = f'title="{path.relative_to(ROOT).as_posix()}"'
        for chapter in chapters:
            assert title in (ROOT / chapter).read_text(encoding="utf-8"), (path, chapter)


def test_every_generated_module_lists_its_public_definitions_in_all():
    for path, text in tangle().items():
        tree = ast.parse(text)
        [listed] = [
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
        ]
        defined = [
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
        ]
        reexported = [
            alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.asname == alias.name
        ]
        assert listed == defined + reexported, path


_SOURCE_MARK = re.compile(r'# From (docs/[\w.-]+\.md), "(.+)"')


def test_every_definition_names_the_page_and_section_it_comes_from():
    for path, text in tangle().items():
        lines = text.splitlines()
        for node in ast.parse(text).body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            above = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list]) - 2
            while not lines[above].startswith("# From ") and lines[above].startswith("#"):
                above -= 1  # the definition's own comments stand between the mark and it
            mark = _SOURCE_MARK.fullmatch(lines[above])
            assert mark, (path, node.name, lines[above])
            page, heading = mark.groups()
            headings = [text for _, text in sections((ROOT / page).read_text(encoding="utf-8"))]
            assert heading in headings, (path, node.name, page)


DOCUMENTED = (ast.Module, ast.FunctionDef, ast.ClassDef)


def _docstrings(code):
    """(name, docstring) of a listing's module, functions, classes and methods."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, DOCUMENTED) and ast.get_docstring(node):
            yield getattr(node, "name", "the module"), ast.get_docstring(node)


def test_docstring_examples_import_numpy_before_they_use_it():
    parser = doctest.DocTestParser()
    for page in PAGES:
        for fence in fences(page.read_text(encoding="utf-8")):
            if fence.language != "python" or fence.include or is_excerpt(fence):
                continue  # an excerpt's docstrings are its listing's, checked there
            if not (fence.title or "").startswith("nn_from_scratch/"):
                continue
            for name, docstring in _docstrings(fence.code):
                imported = False
                for example in parser.get_examples(docstring):
                    imported = imported or example.source.startswith("import numpy as np")
                    assert imported or not re.search(r"\bnp\.", example.source), (
                        f"{page.name}:{fence.line}: {name}'s examples use np before importing it"
                    )


def package_page(code, title="m.py"):
    return f'```python title="nn_from_scratch/{title}"\n{code}```\n'


def test_a_generated_module_opens_with_its_docstring_and_marks_where_each_definition_comes_from():
    code = (
        '"""The module m."""\n\nimport math\n\nfrom math import tau as tau\n\nN = 2\nM = 3\n\n\n'
        "class A:\n    pass\n\n\ndef _helper():\n    return math.pi\n"
    )
    first = (
        "# Chapter\n\n```python\n# Not a heading: a comment in a listing\nx = 1\n```\n\n"
        '## The `A` class\n\n!!! note "In an admonition"\n\n'
        + textwrap.indent(package_page(code), "    ")
    )
    [text] = [module.render() for module in read_book([("a.md", first)])[0].values()]
    header = f'"""The module m."""\n\n{MARK}\n# Chapters: docs/a.md.\n\nimport math\n'
    assert text.startswith(header)
    assert '__all__ = ["A", "tau"]' in text  # public definitions, then explicit re-exports
    assert '# From docs/a.md, "The A class"\nN = 2\nM = 3\n' in text
    assert '# From docs/a.md, "The A class"\nclass A:' in text
    assert is_generated(text)


def test_a_second_module_docstring_is_refused():
    again = package_page('"""The module m, again."""\n\n\nclass A:\n    x = 2\n')
    expected = r"^docs/b\.md:1: a second module docstring for nn_from_scratch/m\.py.*"
    expected += r"\(docs/a\.md:1\)"
    with pytest.raises(BookError, match=expected):
        read_book([("a.md", FIRST), ("b.md", again)])


def test_a_file_no_chapter_introduced_is_refused():
    # A misspelt title starts a new file; its listing has no module docstring.
    misspelt = "Some text.\n\n" + SAME.replace("m.py", "mm.py")
    expected = r"^docs/b\.md:3: no chapter has introduced nn_from_scratch/mm\.py.*"
    expected += r"did you mean nn_from_scratch/m\.py\?"
    with pytest.raises(BookError, match=expected):
        read_book([("a.md", FIRST), ("b.md", misspelt)])


@pytest.mark.parametrize(
    ("later", "message"),
    [
        ("X = 2\n", "X is assigned"),
        ("X += 1\n", "X is assigned"),
        ("Y, (Z, X) = 1, (2, 3)\n", "X is assigned"),
        ("def X():\n    return 2\n", "X is assigned"),
        ("A = 2\n", "A is defined"),
    ],
)
def test_a_module_level_name_bound_again_by_a_later_listing_is_refused(later, message):
    first = package_page('"""The module m."""\n\nX = 1\n\n\nclass A:\n    pass\n')
    expected = rf"^docs/b\.md:1: {message} at top level in nn_from_scratch/m\.py already, "
    expected += r"by docs/a\.md:1"
    with pytest.raises(BookError, match=expected):
        read_book([("a.md", first), ("b.md", package_page(later))])


def test_a_listing_that_writes_all_is_refused():
    expected = r"^docs/a\.md:1: the tangler writes nn_from_scratch/m\.py's __all__"
    with pytest.raises(BookError, match=expected):
        read_book([("a.md", package_page('"""The module m."""\n\n__all__ = ["A"]\n'))])


def test_an_import_no_code_uses_after_a_replacement_is_refused():
    first = package_page('"""The module m."""\n\nimport math\n\n\ndef f():\n    return math.pi\n')
    later = package_page("import math\n\n\ndef f():\n    return 3.14\n")
    expected = r"^docs/a\.md:1 \(and docs/b\.md:1\): "
    expected += r"nn_from_scratch/m\.py imports math, but no code"
    with pytest.raises(BookError, match=expected):
        read_book([("a.md", first), ("b.md", later)])
    # Used by what stays, or re-exported explicitly (``y as y``): not refused.
    read_book([("a.md", first), ("b.md", package_page("def f():\n    return math.tau / 2\n"))])
    read_book([("a.md", package_page('"""The module m."""\n\nfrom math import pi as pi\n'))])


def test_a_package_listing_must_name_a_python_file():
    with pytest.raises(BookError, match=r"^docs/a\.md:1: a package listing must name a \.py file"):
        read_book([("a.md", package_page('"""The module m."""\n', title="m.txt"))])


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


def test_a_listing_marked_run_no_is_neither_run_nor_tangled():
    shown = (
        '```python { title="nn_from_scratch/m.py" data-run="no" }\n"""The module m."""\n\n'
        "import a_library_the_book_does_not_install\n\n\n"
        "def f():\n    return a_library_the_book_does_not_install.answer\n```\n\n"
    )
    runs = '```python\nprint(6 * 7)\n```\n\n```text title="Output"\n42\n```\n'
    [(_, _, listing)] = listings(shown + runs)
    assert listing.code == "print(6 * 7)\n"
    modules, _ = read_book([("a.md", shown + runs)])
    assert modules == {}
    # Without the mark, the same fence is a listing to run and a module to write.
    unmarked = shown.replace(' data-run="no"', "") + runs
    assert len(listings(unmarked)) == 2
    assert [path.name for path in read_book([("a.md", unmarked)])[0]] == ["m.py"]


def test_run_takes_no_other_value_than_no():
    with pytest.raises(ValueError, match='the only data-run= a fence takes is "no"'):
        listings('```python { data-run="false" }\nprint(1)\n```\n')


def test_an_import_already_in_the_file_is_not_highlighted():
    first = FIRST.replace('"""The module m."""\n', '"""The module m."""\n\nimport math\n')
    again = AGAIN.format(' hl_lines="4 7-8 11-12"')
    assert highlight_problems([("a.md", first), ("b.md", again)]) == []
