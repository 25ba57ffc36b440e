"""MkDocs hook: bring the chapters' figures up to date, and fill in the measured times.

Before the site is built, the figures are made by the chapters' own code, by
the same runner as the tests (tests/book/pages.py). A page whose text, package
code, runner and library versions have not changed since its last passing run
(its stamp, ``is_fresh``) is not run again, so
``nox -s docs`` right after ``nox -s tests`` executes nothing. Then a notebook of
each chapter is written into docs/notebooks/ (tests/book/notebooks.py), which
mkdocs-jupyter renders; each page that has one gets a download and a Colab link.

On each page, before its Markdown is parsed, the placeholders of measured
figures (``{{ bench.iris | s }}``) become the values in
benchmarks/results.json (tests/book/measured.py). In the student edition
(``NN_FROM_SCRATCH_EDITION=student``, ``nox -s student``) every
``??? success "Solution"`` block is dropped first, so no page, and no search
index made from the pages, holds a solution. Then each chapter gets its links
to the API reference, and the API page its entries, each linking the section
that introduces it (tests/book/reference.py).

Light pages (tests/book/light_pages.py): a notebook page's CSS goes into one shared file,
its inline figures become links to the site's image files, every image gets its size and
``loading="lazy"``, MathJax is loaded only by pages with math (``math`` in main.html), and
notebook pages stay out of the search index (their chapters are in it), as do printed outputs
and excerpts. A notebook page's code cells become named regions that the keyboard reaches
(``named_code_cells``).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit


# The tooling's one path patch: MkDocs loads this file by its path, with tests/book/
# on sys.path but not the import root tests/ that pytest's ``pythonpath`` gives the rest.
_IMPORT_ROOT = str(Path(__file__).resolve().parents[1])
if _IMPORT_ROOT not in sys.path:
    sys.path.insert(0, _IMPORT_ROOT)

from book import figure_files, light_pages  # noqa: E402
from book.fences import ROOT, pages  # noqa: E402
from book.measured import MeasurementError, render  # noqa: E402
from book.notebooks import notebook_links, write_notebooks  # noqa: E402
from book.pages import is_fresh, listings  # noqa: E402
from book.reference import cross_links  # noqa: E402


EDITION = "NN_FROM_SCRATCH_EDITION"
_SOLUTION = re.compile(r'^(?P<indent>[ \t]*)\?\?\?\+? success "Solution')


def drop_solutions(markdown: str) -> str:
    """Remove every ``??? success "Solution"`` block: its opening line and its indented body.

    >>> print(drop_solutions('Try.\\n\\n??? success "Solution"\\n    x\\n\\n    y\\nNext.\\n'))
    Try.
    <BLANKLINE>
    Next.
    <BLANKLINE>
    """
    kept, block_indent = [], None
    for line in markdown.splitlines(keepends=True):
        if block_indent is not None:
            indent = len(line) - len(line.lstrip(" \t"))
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if match := _SOLUTION.match(line):
            block_indent = len(match["indent"])
            continue
        kept.append(line)
    return "".join(kept)


_CELL_WRAPPER = re.compile(
    r'(<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)"[^>]*?)'
    r' tabindex="0"'
)
_CODE_CELL = re.compile(r'<div class="highlight-ipynb\b[^"]*"')
_MARKDOWN_CODE = re.compile(r'<div class="highlight"><pre')  # a code block in a Markdown cell


def named_code_cells(html: str) -> str:
    """A notebook page's code cells, and the code blocks of its Markdown cells, as named regions
    that take the focus (so that a keyboard reaches one that scrolls sideways), and none of
    nbconvert's ``tabindex="0"`` on the cells' wrappers and outputs, unnamed Tab stops that
    scroll nothing.

    >>> print(named_code_cells('<div class="jp-Cell-inputWrapper" tabindex="0">'
    ...                        '<div class="highlight-ipynb hl-python"><pre>x = 1</pre></div>'
    ...                        '<div class="highlight"><pre>pip install .</pre></div>'))
    <div class="jp-Cell-inputWrapper"><div class="highlight-ipynb hl-python" tabindex="0"
    role="region" aria-label="Code cell 1"><pre>x = 1</pre></div><div class="highlight"><pre
    tabindex="0" role="region" aria-label="Code block 1">pip install .</pre></div>
    """
    def named(pattern: re.Pattern, name: str, html: str) -> str:
        numbers = itertools.count(1)
        return pattern.sub(lambda match: f'{match.group()} tabindex="0" role="region" '
                                         f'aria-label="{name} {next(numbers)}"', html)

    html = named(_CODE_CELL, "Code cell", _CELL_WRAPPER.sub(r"\1", html))
    return named(_MARKDOWN_CODE, "Code block", html)


def stale_pages() -> list[Path]:
    return [
        page
        for page in pages()
        if listings(page.read_text(encoding="utf-8")) and not is_fresh(page)
    ]


def on_pre_build(config, **kwargs) -> None:
    from mkdocs.exceptions import PluginError  # mkdocs is there when it calls this hook

    _NOTEBOOK_CLASSES.clear()  # mkdocs serve builds again in the same process
    _SHARED_STYLESHEETS.clear()

    run_stale_pages()
    # A notebook per chapter, with the outputs and figures those runs checked (notebooks.py).
    try:
        write_notebooks(Path(config["docs_dir"]) / "notebooks", site_url=config["site_url"],
                        repo_url=config["repo_url"], directory_urls=config["use_directory_urls"])
    except ValueError as error:
        raise PluginError(f"the notebooks: {error}") from error


def on_page_context(context, page, config, **kwargs):
    # The download and Colab links at the top of a page that has a notebook (main.html).
    context["notebook"] = notebook_links(page, config)
    # MathJax only where there is math (main.html).
    notebook = Path(page.file.abs_src_path) if _is_notebook(page) else None
    context["math"] = light_pages.has_math(page.content or "", notebook)
    return context


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Light pages (book.light_pages): a notebook page's CSS in one shared file and its
    figures as files; every image with its size and loaded lazily."""
    from mkdocs.utils import get_relative_url

    site, docs = Path(config["site_dir"]), Path(config["docs_dir"])

    def link(path: str) -> str:  # from the page to a file given by its path in the site
        return get_relative_url(path, page.url)

    def write(path: str, data: bytes) -> str:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
        return link(path)

    if _is_notebook(page):
        html, page.book_css = light_pages.shared_styles(html)
        _NOTEBOOK_CLASSES.update(light_pages.class_names(html))
        known = {
            hashlib.sha256(path.read_bytes()).hexdigest(): link(path.relative_to(docs).as_posix())
            for pattern in ("generated/*.png", "diagrams/*.svg")
            for path in sorted(docs.glob(pattern))
        }
        html = light_pages.inline_images(
            html, known, lambda name, data: write(f"notebooks/images/{name}", data))
        html = named_code_cells(html)

    def file_of(src: str) -> Path | None:
        path = urlsplit(urljoin(f"http://site/{page.url}", src)).path.lstrip("/")
        for file in (docs / path, site / path):
            if path and file.is_file():
                return file
        return None

    def size_of(src: str):
        file = file_of(src)
        return light_pages.image_size(file.read_bytes()) if file else None

    def narrow_of(src: str) -> str | None:  # a figure's variant for phones (figure_files.py)
        file = file_of(src)
        if file is None or file.parent != docs / "generated":
            return None
        narrow = file.parent / figure_files.NARROW / file.name
        return link(narrow.relative_to(docs).as_posix()) if narrow.is_file() else None

    html = light_pages.narrow_pictures(html, narrow_of, size_of)
    return light_pages.unsearched_blocks(light_pages.lazy_images(html, size_of))


# The classes of every notebook page's content; MkDocs renders every page's content before it
# writes the first page, so on_post_page sees them all.
_NOTEBOOK_CLASSES: set[str] = set()
_SHARED_STYLESHEETS: dict[str, str] = {}  # a notebook page's CSS -> the path of its file


def on_post_page(output: str, page, config, **kwargs) -> str:
    """A notebook page's shared stylesheet, last in the head: where its inline styles came in
    the cascade (after the theme's and the book's)."""
    from mkdocs.utils import get_relative_url

    css = getattr(page, "book_css", None)
    if css is None:
        return output
    if css not in _SHARED_STYLESHEETS:
        used = light_pages.used_css(css, _NOTEBOOK_CLASSES).encode()
        path = f"assets/stylesheets/{light_pages.content_name(used, 'jupyter', '.css')}"
        (Path(config["site_dir"]) / path).parent.mkdir(parents=True, exist_ok=True)
        (Path(config["site_dir"]) / path).write_bytes(used)
        _SHARED_STYLESHEETS[css] = path
    stylesheet = get_relative_url(_SHARED_STYLESHEETS[css], page.url)
    head_end = output.index("</head>")
    tag = f'<link rel="stylesheet" href="{stylesheet}">\n'
    return output[:head_end] + tag + output[head_end:]


def run_stale_pages() -> None:
    from mkdocs.exceptions import PluginError

    stale = stale_pages()
    if not stale:
        return
    names = ", ".join(page.name for page in stale)
    print(f"Running the chapters whose figures are out of date: {names}", flush=True)
    # With pytest-xdist, several pages run on all cores; each page stays whole on one worker.
    parallel = ["-n", "auto", "--dist", "loadfile"] if len(stale) > 1 else []
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *parallel, *map(str, stale)], cwd=ROOT
    )
    if result.returncode != 0:
        raise PluginError(f"the chapters {names} failed to run (see the pytest report above)")


PLACEHOLDER_REPOSITORY = "https://github.com/YOUR-GITHUB-NAME/nn-from-scratch"


def own_address(markdown: str, repo_url: str) -> str:
    """The page with the repository's placeholder address replaced by the site's own
    (``repo_url``), so that an install command on a published copy runs as written.

    >>> line = 'pip install "nn-from-scratch-book @ git+https://github.com/YOUR-GITHUB-NAME/nn-from-scratch"'
    >>> own_address(line, "https://github.com/ml-course/nn-from-scratch/")
    'pip install "nn-from-scratch-book @ git+https://github.com/ml-course/nn-from-scratch"'
    >>> own_address(line, PLACEHOLDER_REPOSITORY) == line
    True
    """
    return markdown.replace(PLACEHOLDER_REPOSITORY, repo_url.rstrip("/").removesuffix(".git"))


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    from mkdocs.exceptions import PluginError

    markdown = own_address(markdown, config["repo_url"])
    student = os.environ.get(EDITION) == "student"
    if student:
        markdown = drop_solutions(markdown)
    # Links from each chapter to the API reference, and the reference's entries with theirs.
    markdown = cross_links(markdown, page.file.src_uri, drop_solutions if student else None)
    if page.file.src_uri.endswith(".ipynb"):
        # No lightbox: it wraps the figures while they are still inline data (before
        # on_page_content below makes them files), so its links would repeat that data.
        page.meta["glightbox"] = False
        # Out of the search: a notebook page repeats its chapter, which the search finds.
        page.meta["search"] = {"exclude": True}
    try:
        return render(markdown)
    except MeasurementError as error:
        raise PluginError(f"docs/{page.file.src_uri}, {error}") from error
