"""The chapters' notebooks (tests/book/notebooks.py) show what the tests verified.

Each notebook's code cells are the page's tested listings, in order; their outputs are the
page's checked Output blocks and the figures the listings made; the prose is readable in
Jupyter (no MkDocs syntax, no include, no relative link, currency that is not math); the
student edition holds no solution. ``nox -s notebooks`` runs them.
"""

import ast
import base64
import json
import os
import re
import sys
import tomllib
import types

import pytest
from book.fences import DOCS, ROOT, fences, pages
from book.jupyter_markdown import CURRENCY, Context, convert
from book.notebooks import install_cell, make_notebook, notebook_path, write_notebooks
from book.pages import listings
from test_student_edition import leaks


SITE = "https://example.org/book/"
REPO = "https://github.com/owner/repo"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module", autouse=True)
def figures(tmp_path_factory):
    """Stand-ins for the figures the pages make: the pages may not have run yet (a fresh
    clone), or may be running on another worker."""
    folder = tmp_path_factory.mktemp("generated")
    for page in pages():
        for _, _, listing in listings(page.read_text(encoding="utf-8")):
            for name in listing.figures:
                (folder / name).write_bytes(f"PNG of {name}".encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("book.notebooks.FIGURES", folder)
        yield folder


def make(out, edition):
    return write_notebooks(out, edition=edition, site_url=SITE, repo_url=REPO, commit=COMMIT)


@pytest.fixture(scope="module")
def full(tmp_path_factory, figures):
    out = tmp_path_factory.mktemp("full")
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in make(out, "full")}


@pytest.fixture(scope="module")
def student(tmp_path_factory, figures):
    out = tmp_path_factory.mktemp("student")
    paths = make(out, "student")
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def text(cell):
    return "".join(cell["source"])


def role(cell):
    return cell["metadata"].get("book", {}).get("role")


def listing_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code" and not role(cell)]


def markdown(notebook):
    return "\n".join(text(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown")


def prose(notebook):
    """The Markdown cells less their fenced blocks (code shown, not run)."""
    found = markdown(notebook)
    for fence in reversed(fences(found)):
        found = found[: fence.start] + found[fence.end :]
    return found


def test_every_page_with_listings_has_a_notebook(full):
    # The home page's one listing shows an import: it is not a chapter and has no notebook.
    expected = {
        page.stem
        for page in pages()
        if page.name != "index.md" and listings(page.read_text(encoding="utf-8"))
    }
    assert set(full) == expected
    assert {"03a-single-neuron", "05c-vectorised-layers", "06-handwritten-digits"} <= expected


def test_code_cells_are_the_tested_listings_in_order(full):
    for stem, notebook in full.items():
        tested = [listing.code for _, _, listing in listings((DOCS / f"{stem}.md").read_text())]
        assert [text(cell) + "\n" for cell in listing_cells(notebook)] == tested, stem
        first, second = notebook["cells"][:2]
        assert first["cell_type"] == "markdown" and text(first).startswith("# "), stem
        assert role(second) == "install", stem


def test_outputs_are_the_checked_output_blocks(full):
    checked = 0
    for stem, notebook in full.items():
        found = listings((DOCS / f"{stem}.md").read_text(encoding="utf-8"))
        for cell, (_, _, listing) in zip(listing_cells(notebook), found):
            printed = [o for o in cell["outputs"] if o["output_type"] == "stream"]
            if listing.expected is None:
                assert printed == [], (stem, listing.line)
            else:
                assert len(printed) == 1 and printed[0]["name"] == "stdout"
                assert "".join(printed[0]["text"]) == listing.expected, (stem, listing.line)
                checked += 1
    assert checked > 80


def test_figures_are_embedded_with_their_alt_text(full, figures):
    shown = 0
    for stem, notebook in full.items():
        page = (DOCS / f"{stem}.md").read_text(encoding="utf-8")
        found = listings(page)
        for cell, (_, _, listing) in zip(listing_cells(notebook), found):
            images = [o for o in cell["outputs"] if o["output_type"] == "display_data"]
            own = [name for name in listing.figures if name.startswith(stem + "-")]
            assert [image["metadata"]["book"]["figure"] for image in images] == own
            for image, name in zip(images, own):
                assert base64.b64decode(image["data"]["image/png"]) == (figures / name).read_bytes()
                alt = image["metadata"]["image/png"]["alt"]
                assert f"![{alt}](generated/{name})" in page
                assert f'alt="{alt}"' in image["data"]["text/html"].replace("&#x27;", "'")
                shown += 1
        assert "](generated/" not in markdown(notebook), stem
    assert shown == len(list(figures.glob("*.png"))) > 20


def test_prose_is_plain_markdown(full):
    for stem, notebook in full.items():
        shown = prose(notebook)
        assert "--8<--" not in json.dumps(notebook), stem
        assert "{{" not in shown, stem
        assert not re.search(r"^\s*(!!!|\?\?\?|===) ", shown, re.M), stem
        assert not re.search(r'\{ *width=|<figure|hl_lines|title="', shown), stem
        for target in re.findall(r"\]\(([^)]+)\)", shown):
            assert target.startswith(("https://", "http://", "data:image/")), (stem, target)
    # The solution files of the full edition are inlined, in their folds.
    exercise_1 = (ROOT / "nn_from_scratch/solutions/exercise_1.py").read_text(encoding="utf-8")
    assert exercise_1.strip() in markdown(full["03a-single-neuron"])
    assert "<details><summary>Solution</summary>" in markdown(full["03a-single-neuron"])
    assert "data:image/svg+xml;base64," in markdown(full["03a-single-neuron"])  # Figure 1
    assert f"({SITE}errata/#erratum-14)" in markdown(full["03a-single-neuron"])


def test_currency_is_escaped_and_math_is_not(full):
    page = (DOCS / "04b-regression.md").read_text(encoding="utf-8")
    assert "units of $100,000, so 4.526 stands for $452,600" in page
    shown = prose(full["04b-regression"])
    assert f"units of {CURRENCY}100,000, so 4.526 stands for {CURRENCY}452,600" in shown
    assert "$1 - \\frac{200}{250} \\cdot \\frac{199}{249} \\approx 0.36$" in shown
    # What is left of the dollars are math delimiters, in pairs, as on the site.
    assert not re.search(r"(?<![\\$])\$\d", re.sub(r"\$[^$\n]+\$", "", shown))


def context(page="03a-single-neuron.md"):
    return Context(page, DOCS, ROOT, SITE)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A house at $24,200 and another at $5.", f"A house at {CURRENCY}24,200 and another at "
                                                  f"{CURRENCY}5."),
        ("Between $-1$ and $1$, $x_1$.", "Between $-1$ and $1$, $x_1$."),
        ("$$\nz = 1\n$$", "$$\nz = 1\n$$"),
        ("Costs `$5` or $5.", f"Costs `$5` or {CURRENCY}5."),
        ("See [3b](03b-network.md#the-network) and [here](#a-single-neuron).",
         f"See [3b]({SITE}03b-network/#the-network) and [here]({SITE}03a-single-neuron/"
         "#a-single-neuron)."),
        ("[home](index.md), [NumPy](https://numpy.org)", f"[home]({SITE}), [NumPy](https://numpy.org)"),
        ("[Neuron][nn_from_scratch.Neuron]", f"[Neuron]({SITE}api/#nn_from_scratch.Neuron)"),
        ('!!! note "Erratum"\n    Body $x$.\n\nAfter.', "**Erratum**\n\nBody $x$.\n\nAfter."),
        ('??? success "Solution"\n    Hidden `code`.\n', "<details><summary>Solution</summary>\n\n"
                                                        "Hidden `code`.\n\n</details>"),
        ('=== "Windows"\n\n    ```bash\n    dir\n    ```\n', "**Windows**\n\n```bash\ndir\n```"),
        ('```python title="x.py" hl_lines="1"\nx = 1\n```', "*`x.py`*\n\n```python\nx = 1\n```"),
        ("## One `train` for both networks", "## One train for both networks"),
    ],
)
def test_mkdocs_syntax_becomes_jupyter_markdown(source, expected):
    assert convert(source, context()).strip("\n") == expected


def test_a_snippet_include_is_inlined():
    source = '```python\n--8<-- "nn_from_scratch/solutions/exercise_1.py"\n```'
    solution = (ROOT / "nn_from_scratch/solutions/exercise_1.py").read_text(encoding="utf-8")
    assert convert(source, context()) == f"```python\n{solution.rstrip()}\n```"
    with pytest.raises(ValueError, match="does not exist"):
        convert('```python\n--8<-- "no/such/file.py"\n```', context())


def test_a_fold_that_holds_a_listing_is_unfolded():
    marker = re.compile(r"^\s*<!--cell-->$")
    source = '??? note "Runs"\n    Before.\n\n    <!--cell-->\n\n    After.\n'
    assert convert(source, context(), keep=marker) == "**Runs**\n\nBefore.\n\n<!--cell-->\n\nAfter."


def test_the_install_cell_installs_in_colab_only(monkeypatch):
    cell = install_cell("full", SITE, REPO, COMMIT)
    requirement = f"nn-from-scratch-book @ git+{REPO}@{COMMIT}"
    assert cell["metadata"]["book"]["requirement"] == requirement
    calls = []
    monkeypatch.setattr("subprocess.run", lambda command, **kwargs: calls.append(command))
    exec(text(cell), {})
    assert calls == []  # not in Colab: nothing
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(text(cell), {})
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", requirement]]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]
    wheel = install_cell("student", SITE, REPO)["metadata"]["book"]["requirement"]
    assert wheel == (f"nn-from-scratch-book @ {SITE}downloads/"
                     f"nn_from_scratch_book-{version}-py3-none-any.whl")
    with pytest.raises(ValueError, match="commit"):
        install_cell("full", SITE, REPO, "HEAD")
    with pytest.raises(ValueError, match="repo_url"):
        install_cell("full", SITE, None, COMMIT)


def repository_files(code):
    """The files of the repository outside the package that ``code`` names by a relative path
    in a string literal, such as ``"benchmarks/results.json"``: outside the repository (in
    Colab, or where ``nox -s notebooks`` runs them) such a listing fails."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            name = node.value
            if ("/" in name and "\n" not in name and not name.startswith(("/", "nn_from_scratch/"))
                    and (ROOT / name).is_file()):
                found.append(name)
    return found


def test_no_notebook_needs_a_file_of_the_repository(full):
    """Every cell is the install cell or a listing: no setup cell writes a repository file."""
    for stem, notebook in full.items():
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        assert [role(cell) for cell in code] == ["install"] + [None] * (len(code) - 1), stem
        for cell in code:
            assert not repository_files(text(cell)), (stem, text(cell)[:200])
    # The check can fail: the speed table once read the repository's results.
    assert repository_files('open("benchmarks/results.json", encoding="utf-8")') == [
        "benchmarks/results.json"]


def test_a_listing_marked_run_no_stays_in_the_prose(full):
    page = (
        "# A page\n\n```python\nprint(6 * 7)\n```\n\n```text title=\"Output\"\n42\n```\n\n"
        '```python { title="shown.py" data-run="no" }\n'
        "import a_library_the_book_does_not_install\n```\n"
    )
    notebook = make_notebook(page, context("a.md"), install_cell("full", SITE, REPO, COMMIT),
                             "full")
    assert [text(cell) for cell in listing_cells(notebook)] == ["print(6 * 7)"]
    assert "import a_library_the_book_does_not_install" in markdown(notebook)
    unmarked = make_notebook(page.replace(' data-run="no"', ""), context("a.md"),
                             install_cell("full", SITE, REPO, COMMIT), "full")
    assert len(listing_cells(unmarked)) == 2  # without the mark, it would be a cell
    # 5c's PyTorch contender: shown in the notebook's prose, never a cell.
    chapter = full["05c-vectorised-layers"]
    assert "torch.set_num_threads(1)" in markdown(chapter)
    assert not any("import torch" in text(cell) for cell in listing_cells(chapter))


def test_student_notebooks_hold_no_solution(full, student):
    assert set(student) == set(full)
    found = []
    for stem, notebook in student.items():
        assert "<summary>Solution" not in markdown(notebook)
        shown = "\n".join(
            text(cell) + "".join("".join(output.get("text", [])) for output in cell["outputs"])
            if cell["cell_type"] == "code" else text(cell)
            for cell in notebook["cells"]
        )
        found += leaks(f"{stem}.ipynb", shown)
        requirement = notebook["cells"][1]["metadata"]["book"]["requirement"]
        assert requirement.startswith("nn-from-scratch-book @ " + SITE + "downloads/")
    assert not found, "\n".join(found)
    # The full edition has them: the check above can fail.
    assert leaks("03a-single-neuron.ipynb", markdown(full["03a-single-neuron"]))


def test_files_are_written_only_when_they_change(tmp_path):
    (tmp_path / "gone.ipynb").write_text("{}")
    first = make(tmp_path, "full")
    assert not (tmp_path / "gone.ipynb").exists()
    for path in first:
        os.utime(path, ns=(10**18, 10**18))  # a time that writing the file would change
    assert make(tmp_path, "full") == first
    assert {path.stat().st_mtime_ns for path in first} == {10**18}


def test_notebook_paths_in_the_site():
    in_folder = "notebooks/03a-single-neuron/03a-single-neuron.ipynb"
    assert notebook_path("03a-single-neuron") == in_folder
    assert notebook_path("03a-single-neuron", False) == "notebooks/03a-single-neuron.ipynb"


def test_an_excerpt_is_shown_in_the_prose_and_never_a_code_cell(full):
    # 5a shows Neuron's changed lines as an excerpt, the whole class in a fold after it.
    notebook = full["05a-weight-initialisation"]
    excerpt = "        self.bias = initial_bias(init_method)\n        # ...\n"
    assert excerpt in markdown(notebook)
    assert not any("# ...\n" in text(cell) for cell in listing_cells(notebook))
    assert any("class Neuron:" in text(cell) for cell in listing_cells(notebook))
