"""Write a Jupyter notebook for every page of the book that has listings.

``python -m book.notebooks [--edition student] OUT_DIR`` (the MkDocs hook writes them
into docs/notebooks/ before each build; they are build outputs, not committed).
``nox -s notebooks`` runs them (notebook_run.py).

A notebook shows what the tests verified, and runs nothing while it is made:

- the page's prose becomes Markdown cells (jupyter_markdown.py makes it readable in
  Jupyter and Colab);
- each listing, as the page runner finds it (book.pages.listings, so also the ones
  indented in folds and admonitions), becomes a code cell whose source is the listing;
- the listing's checked Output block becomes that cell's printed output, as written
  (with its ``...``), and the figures the listing made (docs/generated/, linked after
  it) its image outputs, with their alt text;
- the cell after the title (the first Markdown cell, the page's heading and its first
  paragraphs) installs the package when the notebook runs in Colab, and does
  nothing anywhere else: the full edition installs it from the repository at the
  commit the notebook was made from, the student edition the student wheel that its
  site carries under downloads/;
- no other cell is added: a listing reads only what the installed package carries
  (5c's speed table comes from ``nn_from_scratch.speed``), so the notebook runs as it
  is outside the repository (tests/test_notebooks.py checks that no listing names a
  file of the repository);
- a listing the page shows but does not run (``data-run="no"``, such as 5c's PyTorch code,
  which needs a library the book does not install) stays in the prose, as on the page;
- in the student edition, the Solution folds are dropped first, as the site drops them.

A notebook file is written only when its content changes (``mkdocs serve`` watches
docs/), and the notebooks of pages that have no listings any more are deleted.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .distribution import normalised, project
from .fences import DOCS, ROOT, fences, pages
from .jupyter_markdown import Context, convert
from .measured import render
from .pages import FIGURES, listings


OUT = DOCS / "notebooks"
EDITIONS = ("full", "student")
BRANCHES = {"full": "gh-pages", "student": "gh-pages-student"}  # where the built sites go
_MARKER = re.compile(r"^[ \t]*<!--book-cell-(\d+)-->[ \t]*$")
_FIGURE_LINK = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(generated/(?P<name>[\w.-]+\.png)\)(?:[ \t]*\{[^}\n]*\})?"
)
_HEADING = re.compile(r"^#{1,6} ", re.M)
_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebooks(
    out_dir: Path,
    *,
    edition: str | None = None,
    site_url: str,
    repo_url: str,
    commit: str | None = None,
    directory_urls: bool = True,
) -> list[Path]:
    """Write the notebook of every page that has listings into ``out_dir``; return their paths.

    Parameters
    ----------
    out_dir : Path
        Where the notebooks go (docs/notebooks/ for the site).
    edition : {"full", "student"}, optional
        By default the one NN_FROM_SCRATCH_EDITION names ("student"), else "full".
    site_url : str
        The site's address (mkdocs.yml's ``site_url``): links to other chapters, and the
        student wheel, point there.
    repo_url : str
        The repository's address on GitHub (mkdocs.yml's ``repo_url``): the full edition
        installs the package from it.
    commit : str, optional
        The commit the install cell pins; by default BOOK_COMMIT, else ``git rev-parse HEAD``.
    directory_urls : bool
        MkDocs's ``use_directory_urls``: ``errata.md`` is ``errata/`` or ``errata.html``.
    """
    edition = edition or default_edition()
    if edition not in EDITIONS:
        raise ValueError(f"expected an edition among {EDITIONS}, got {edition!r}")
    site_url = _address("site_url", site_url)
    install = install_cell(edition, site_url, repo_url, commit)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages():
        if page.name == "index.md":
            continue  # the home page is not a chapter: its one listing shows an import
        text = page.read_text(encoding="utf-8")
        if edition == "student":
            from .mkdocs_hooks import drop_solutions  # the hook imports this module

            text = drop_solutions(text)
        if not listings(text):
            continue
        context = Context(page.name, DOCS, ROOT, site_url, directory_urls)
        notebook = make_notebook(text, context, install, edition)
        path = out_dir / f"{page.stem}.ipynb"
        content = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    for old in out_dir.glob("*.ipynb"):
        if old not in written:
            old.unlink()
    return written


def default_edition() -> str:
    return "student" if os.environ.get("NN_FROM_SCRATCH_EDITION") == "student" else "full"


def make_notebook(text: str, context: Context, install: dict, edition: str) -> dict:
    """The notebook of one page (``text``: the page as this edition shows it)."""
    text = render(text)
    found = listings(text)
    by_start = {fence.start: fence for fence in fences(text)}
    stem = context.page[: -len(".md")]
    cells, pieces, position = [], [], 0
    code_cells = []
    for number, (start, end, listing) in enumerate(found):
        fence = by_start[start]
        line = text[start : text.index("\n", start)]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        pieces.append(text[position:start])
        # The fence's title and the Output's, which the code cell cannot show, go before it.
        if fence.title:
            pieces.append(f"{indent}*`{fence.title}`*\n\n")
        if listing.output is not None and listing.output.title != "Output":
            pieces.append(f"{indent}*{listing.output.title}*\n\n")
        pieces.append(f"{indent}<!--book-cell-{number}-->")
        position = end
        next_start = found[number + 1][0] if number + 1 < len(found) else len(text)
        figures = {
            link["name"]: link["alt"]
            for link in _FIGURE_LINK.finditer(text, end, next_start)
            if link["name"] in listing.figures and link["name"].startswith(stem + "-")
        }
        code_cells.append((listing, figures))
    pieces.append(text[position:])
    prose = "".join(pieces)
    # The figures a listing made are its outputs, not images of the prose.
    prose = _FIGURE_LINK.sub(
        lambda link: "" if link["name"].startswith(stem + "-") else link.group(), prose
    )
    markdown = convert(prose, context, keep=_MARKER)
    chunk: list[str] = []
    for line in markdown.split("\n"):
        marker = _MARKER.match(line)
        if marker is None:
            chunk.append(line)
            continue
        cells += _markdown_cells("\n".join(chunk))
        chunk = []
        listing, figures = code_cells[int(marker[1])]
        cells.append(_code_cell(listing, figures))
    cells += _markdown_cells("\n".join(chunk))
    # The title first (a notebook page shows it above everything), then the install cell,
    # still before any listing.
    title = 1 if cells and cells[0]["cell_type"] == "markdown" else 0
    cells.insert(title, install)
    for index, cell in enumerate(cells):
        cell["id"] = f"{stem}-{index}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": _KERNEL,
            "language_info": {"name": "python"},
            "book": {"page": f"docs/{context.page}", "edition": edition},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _markdown_cells(markdown: str) -> list[dict]:
    """Markdown cells, one per section (a new one at each heading outside a fence or fold)."""
    inside = [(fence.start, fence.end) for fence in fences(markdown)]
    cuts = [0]
    for heading in _HEADING.finditer(markdown):
        at = heading.start()
        folded = markdown.count("<details", 0, at) > markdown.count("</details>", 0, at)
        if not folded and not any(start <= at < end for start, end in inside):
            cuts.append(at)
    cuts.append(len(markdown))
    cells = []
    for start, end in zip(cuts, cuts[1:]):
        source = markdown[start:end].strip("\n")
        if source.strip():
            cells.append({"cell_type": "markdown", "metadata": {}, "source": _source(source)})
    return cells


def _code_cell(listing, figures: dict[str, str]) -> dict:
    outputs = []
    if listing.expected is not None:
        outputs.append({"output_type": "stream", "name": "stdout",
                        "text": _source(listing.expected)})
    for name in listing.figures:
        if name not in figures:
            continue  # another page's figure, shown by that page
        path = FIGURES / name
        if not path.is_file():
            raise ValueError(f"{path.relative_to(ROOT)} does not exist: run the page first")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        alt = figures[name]
        # text/html carries the alt text to the site's page and to Jupyter; image/png is the
        # figure itself for every other reader.
        image = f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
        outputs.append({
            "output_type": "display_data",
            "data": {"image/png": data, "text/html": image, "text/plain": alt},
            "metadata": {"image/png": {"alt": alt}, "book": {"figure": name}},
        })
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": outputs,
        "source": _source(listing.code.removesuffix("\n")),
    }


def _source(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def install_cell(edition: str, site_url: str, repo_url: str, commit: str | None = None) -> dict:
    """The cell after the title: in Colab, install the package this notebook was made with."""
    distribution = project()  # pyproject.toml's name and version
    name, version = distribution["name"], distribution["version"]
    if edition == "student":
        site = _address("site_url", site_url)
        wheel = f"{normalised(name)}-{version}-py3-none-any.whl"
        requirement = f"{name} @ {site}downloads/{wheel}"
        what = "the student edition's wheel, from the book's site"
        parts = {"site": site, "wheel": wheel}
        package = f'f"{name} @ {{site}}downloads/{{wheel}}"'
    else:
        commit = commit or os.environ.get("BOOK_COMMIT") or _head()
        if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
            raise ValueError(f"expected a commit hash to pin the package to, got {commit!r}")
        repository = _address("repo_url", repo_url).removesuffix("/").removesuffix(".git")
        requirement = f"{name} @ git+{repository}@{commit}"
        what = "the version this notebook was made from"
        parts = {"repository": repository, "commit": commit}
        package = f'f"{name} @ git+{{repository}}@{{commit}}"'
    # Short lines, so that the cell fits the site's code boxes.
    assignments = "".join(f"    {key} = {json.dumps(value)}\n" for key, value in parts.items())
    source = (
        "# In Google Colab, this cell installs the book's package, nn_from_scratch\n"
        f"# ({what}). Anywhere else it does nothing:\n"
        "# install the package as chapter 2 shows.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f"{assignments}"
        f"    package = {package}\n"
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], '
        "check=True)"
    )
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"book": {"role": "install", "requirement": requirement}},
        "outputs": [],
        "source": _source(source),
    }


def _head() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise ValueError(
            "the notebooks pin the package to a commit: set BOOK_COMMIT, or build in a git "
            f"checkout ({error})"
        ) from None
    return result.stdout.strip()


def _address(setting: str, url: str | None) -> str:
    """``url``, checked to be an http(s) address, ending with a slash."""
    if not url or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ValueError(f"expected mkdocs.yml's {setting} to be an http(s) address, got {url!r}")
    return url if url.endswith("/") else url + "/"


def colab_url(repo_url: str, path: str, edition: str | None = None) -> str:
    """Colab's address for the notebook at ``path`` of the built site, which the hosting
    workflow pushes to the Pages branch of the repository ``repo_url`` (on GitHub)."""
    parts = urlsplit(_address("repo_url", repo_url))
    owner_repo = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.netloc != "github.com" or len(owner_repo) != 2:
        raise ValueError(
            f"expected repo_url to be https://github.com/OWNER/REPO (Colab opens notebooks "
            f"from GitHub), got {repo_url!r}"
        )
    branch = os.environ.get("BOOK_PAGES_BRANCH") or BRANCHES[edition or default_edition()]
    return f"https://colab.research.google.com/github/{'/'.join(owner_repo)}/blob/{branch}/{path}"


def notebook_path(stem: str, directory_urls: bool = True) -> str:
    """Where the built site holds the notebook of the page ``stem``: next to the notebook's
    page, ``notebooks/<stem>/`` (``notebooks/`` without directory URLs)."""
    if directory_urls:
        return f"notebooks/{stem}/{stem}.ipynb"
    return f"notebooks/{stem}.ipynb"


def notebook_links(page, config) -> dict | None:
    """The download and Colab links for the top of a page, or None when it has no notebook.

    ``page`` is a chapter (``03a-single-neuron.md``) or a notebook page
    (``notebooks/03a-single-neuron.ipynb``); the notebook's file in the built site is
    where mkdocs-jupyter's ``include_source`` copies it, next to the notebook's page.
    """
    source = page.file.src_uri
    stem = Path(source).stem
    notebook = Path(config["docs_dir"]) / "notebooks" / f"{stem}.ipynb"
    if source not in (f"notebooks/{stem}.ipynb", f"{stem}.md") or not notebook.is_file():
        return None
    path = notebook_path(stem, config["use_directory_urls"])
    return {"download": path, "colab": colab_url(config["repo_url"], path), "name": notebook.name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book.notebooks", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--edition", choices=EDITIONS, default=None)
    parser.add_argument("--site-url", default=None, help="default: mkdocs.yml's site_url")
    parser.add_argument("--repo-url", default=None, help="default: mkdocs.yml's repo_url")
    parser.add_argument("--run-stale", action="store_true",
                        help="first run the chapters whose figures are out of date, as the docs "
                             "build does (needs MkDocs and the test tools)")
    arguments = parser.parse_args(argv)
    if arguments.run_stale:
        from .mkdocs_hooks import run_stale_pages

        run_stale_pages()
    settings = _mkdocs_settings()
    written = write_notebooks(
        arguments.out_dir,
        edition=arguments.edition,
        site_url=arguments.site_url or settings["site_url"],
        repo_url=arguments.repo_url or settings["repo_url"],
        directory_urls=settings["use_directory_urls"],
    )
    print(f"{len(written)} notebooks in {arguments.out_dir}")
    return 0


def _mkdocs_settings() -> dict:
    """site_url, repo_url and use_directory_urls as MkDocs reads them from mkdocs.yml (with
    its ``!ENV`` settings taken from the environment)."""
    from mkdocs.config import load_config  # the CLI runs in the docs environment

    config = load_config(str(ROOT / "mkdocs.yml"))
    return {key: config[key] for key in ("site_url", "repo_url", "use_directory_urls")}


if __name__ == "__main__":
    sys.exit(main())
