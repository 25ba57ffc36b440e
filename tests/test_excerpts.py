"""Excerpts (tests/book/excerpts.py): shown, never run, always a verbatim part of their listing.

A class shown again for a few changed lines is shown as an excerpt, the whole listing in a
fold after it. These tests prove that an excerpt that drifts from its listing fails the page,
that the runner, the tangler and the notebooks leave it out, and that its highlights are
checked like a listing's.
"""

import textwrap

import pytest
from book.excerpts import ExcerptError, check, line_map
from book.fences import DOCS, fences, pages
from book.pages import listings
from book.tangle import BookError, highlight_problems, read_book, with_highlights


FULL = """```python title="m.py"
def f(x):
    \"\"\"Say it.\"\"\"
    y = 2 * x
    z = y + 1
    return z


def g():
    return 3
```
"""


def page(excerpt, after=FULL, classes=".excerpt", title=' title="m.py"'):
    return f"```{{.python {classes}{title}}}\n{textwrap.dedent(excerpt)}```\n\n{after}"


def only_map(text):
    [(_, mapping)] = check(fences(text)).values()
    return mapping


def test_an_excerpt_maps_each_line_to_its_listing_and_each_mark_to_a_gap():
    excerpt = "def f(x):\n    # ...\n    z = y + 1\n    return z\n# ...\n"
    assert only_map(page(excerpt)) == [1, None, 4, 5, None]


def test_the_books_excerpts_are_verbatim_parts_of_their_listings():
    found = 0
    for path in pages():
        blocks = fences(path.read_text(encoding="utf-8"))
        found += len(check(blocks))  # raises on the first excerpt that is not
    assert found >= 3  # 5a's Neuron and train, 5b's neuron.py


@pytest.mark.parametrize(
    ("excerpt", "message"),
    [
        # A line that the listing does not have (the excerpt drifted).
        ("def f(x):\n    # ...\n    z = y + 2\n# ...\n", r"line 4: the excerpt reads 'z = y \+ 2'"),
        # Lines left out without a mark: at the start, and within.
        ("    y = 2 * x\n# ...\n", r"line 2: the excerpt leaves out lines .* without a mark"),
        ("def f(x):\n    z = y + 1\n# ...\n", r"line 3: .*; where it leaves lines out, a line"),
        # A mark where nothing is left out.
        ("def f(x):\n    # ...\n    \"\"\"Say it.\"\"\"\n# ...\n", r"leaves nothing out"),
        # The excerpt stops before the listing does, without saying so.
        ("# ...\n    return z\n", r"ends before the listing at line \d+ does, without a mark"),
        # A mark after the listing's last line.
        ("# ...\n    return 3\n# ...\n", r"an elision mark after the last line"),
        # Lines in another order than the listing's.
        ("# ...\n    return z\n# ...\n    y = 2 * x\n# ...\n", r"reads 'y = 2 \* x'"),
        ("# ...\n", r"no line of its listing"),
    ],
)
def test_an_excerpt_that_is_not_a_verbatim_part_fails(excerpt, message):
    with pytest.raises(ExcerptError, match=message):
        check(fences(page(excerpt)))


def test_an_excerpt_needs_a_listing_and_the_same_title():
    with pytest.raises(ExcerptError, match="no Python listing comes after it"):
        check(fences(page("def f(x):\n# ...\n", after="")))
    with pytest.raises(ExcerptError, match="titled 'n.py', but the listing"):
        check(fences(page("def f(x):\n# ...\n", title=' title="n.py"')))


def test_an_excerpt_of_the_previous_listing():
    text = FULL + "\n" + "```{.python .excerpt-of-previous}\n# ...\ndef g():\n    return 3\n```\n"
    assert only_map(text) == [None, 8, 9]
    with pytest.raises(ExcerptError, match="no Python listing comes before it"):
        check(fences(text[len(FULL) :]))


def test_the_page_fails_when_the_full_listing_changes_under_its_excerpt():
    path = DOCS / "05a-weight-initialisation.md"
    text = path.read_text(encoding="utf-8")
    listings(text)  # as written, it passes
    # The whole Neuron, in its fold, changes a line its excerpt shows.
    line = "        self.bias = initial_bias(init_method)\n"
    assert text.count(line) == 2  # the excerpt's, then the full listing's
    changed = text[::-1].replace(line[::-1], line.replace("bias(", "bias (")[::-1], 1)[::-1]
    with pytest.raises(ExcerptError, match="initial_bias"):
        listings(changed)


def test_an_excerpt_is_not_run_and_not_tangled():
    package = FULL.replace('title="m.py"', 'title="nn_from_scratch/m.py"').replace(
        "def f(x):\n", '"""The module m."""\n\n\ndef f(x):\n', 1
    )
    # Not valid Python on its own (it starts indented): nothing may compile it.
    excerpt = "# ...\n    y = 2 * x\n# ...\n"
    text = page(excerpt, after=package, title=' title="nn_from_scratch/m.py"')
    [(_, _, listing)] = listings(text)
    assert listing.code.startswith('"""The module m."""')
    modules, shown = read_book([("a.md", text)])
    assert [item.fence.title for item in shown] == ["nn_from_scratch/m.py"]
    assert shown[0].fence.classes == ()
    alone, _ = read_book([("a.md", package)])
    assert [module.render() for module in modules.values()] == [
        module.render() for module in alone.values()
    ]


# A package file, then f shown again (line 4 changed) in a fold, with an excerpt before it.
FIRST = (
    '```python title="nn_from_scratch/m.py"\n"""The module m."""\n\n\n'
    "def f(x):\n    y = 2 * x\n    return y\n```\n"
)
AGAIN = (
    "def f(x):\n"
    '    """Twice x, plus one."""\n'
    "    y = 2 * x\n"
    "    y = y + 1\n"
    "    return y\n"
)


def again(excerpt, hl_excerpt="", hl_full=' hl_lines="2 4"'):
    full = f'```python title="nn_from_scratch/m.py"{hl_full}\n{AGAIN}```\n'
    cut = f'```{{.python .excerpt title="nn_from_scratch/m.py"{hl_excerpt}}}\n{excerpt}```\n'
    return cut + '\n??? note "The whole f"\n' + textwrap.indent(full, "    ")


SHORT = "def f(x):\n    # ...\n    y = y + 1\n    return y\n"


def test_an_excerpt_highlights_what_its_listing_highlights():
    book = [("a.md", FIRST), ("b.md", again(SHORT, ' hl_lines="3"'))]
    assert highlight_problems(book) == []
    [problem] = highlight_problems([("a.md", FIRST), ("b.md", again(SHORT))])
    assert problem == 'docs/b.md:1: f changed since last shown; the fence needs hl_lines="3"'
    [problem] = highlight_problems([("a.md", FIRST), ("b.md", again(SHORT, ' hl_lines="4"'))])
    assert problem.endswith('write hl_lines="3"')


def test_the_highlights_of_an_excerpt_are_written_inside_its_braces():
    text = again(SHORT)
    _, shown = read_book([("a.md", FIRST), ("b.md", text)], excerpts=True)
    mine = [listing for listing in shown if listing.page == "b.md"]
    written = with_highlights(text, mine)
    assert written.startswith('```{.python .excerpt title="nn_from_scratch/m.py" hl_lines="3"}\n')


def test_an_excerpt_that_hides_a_changed_line_of_code_fails():
    # Line 4 changed; leaving out the docstring (line 2) is allowed, line 4 is not.
    hiding = "def f(x):\n    # ...\n    return y\n"
    with pytest.raises(BookError, match=r"docs/b\.md:1: the excerpt leaves out lines 4 of"):
        read_book([("a.md", FIRST), ("b.md", again(hiding))])


def test_line_map_counts_lines_as_the_page_shows_them():
    # Pygments drops leading blank lines: line 1 is the first one shown, in both fences.
    text = page("\n\ndef f(x):\n# ...\n", after=FULL.replace('m.py"\n', 'm.py"\n\n'))
    excerpt, full = fences(text)
    assert line_map(excerpt, full) == [1, None]
