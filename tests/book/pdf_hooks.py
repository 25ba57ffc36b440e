"""MkDocs hook: the book's PDF, in the print build that makes it and in the site that offers it.

``nox -s pdf`` builds the book once more with mkdocs-print.yml, whose print-site plugin puts
every page of the navigation on one page, and prints that page to a PDF (tests/book/pdf.py),
kept in .cache/pdf/ with a record of the sources it was made from. In that print build this
hook adds the print styles (docs/stylesheets/print.css) and tells the cover which edition it
is. In the site's own build (mkdocs.yml) it copies the edition's PDF into the site, as
``downloads/nn-from-scratch.pdf`` (``nn-from-scratch-student.pdf`` in the student edition),
and the home page links it (overrides/main.html, ``book_pdf``), but only when the PDF was
made from the sources as they are now: a PDF that is missing or out of date is left out,
with a line in the build's log that says so and how to make it.

Only the standard library: MkDocs loads this file by its path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "pdf"
EDITIONS = ("full", "student")
# What the PDF is made from: the pages and their styles, templates and scripts, the two
# configurations, the package (the API reference; the figures come from the chapters' runs of
# it), the measured figures, and the tooling that builds the pages and prints them.
SOURCES = [
    "docs",
    "mkdocs.yml",
    "mkdocs-print.yml",
    "nn_from_scratch",
    "benchmarks/results.json",
    "tests/book",
]
NOT_SOURCES = {"docs/generated", "docs/notebooks"}  # made by the build itself

log = logging.getLogger("mkdocs.hooks.pdf")


def edition() -> str:
    """The edition being built: ``student`` when NN_FROM_SCRATCH_EDITION says so, else ``full``."""
    return "student" if os.environ.get("NN_FROM_SCRATCH_EDITION") == "student" else "full"


def pdf_name(which: str) -> str:
    """The PDF's file name in the site's downloads/ folder.

    >>> pdf_name("full"), pdf_name("student")
    ('nn-from-scratch.pdf', 'nn-from-scratch-student.pdf')
    """
    if which not in EDITIONS:
        raise ValueError(f"edition: expected one of {EDITIONS}, got {which!r}")
    return "nn-from-scratch.pdf" if which == "full" else "nn-from-scratch-student.pdf"


def sources_digest(root: Path = ROOT) -> str:
    """A SHA-256 of the PDF's sources (``SOURCES``): their paths and contents."""
    digest = hashlib.sha256()
    files = []
    for name in SOURCES:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [
                file for file in path.rglob("*")
                if file.is_file() and "__pycache__" not in file.parts
                and not any(file.is_relative_to(root / skip) for skip in NOT_SOURCES)
            ]
    for file in sorted(files):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def cached_pdf(which: str) -> Path:
    """Where ``nox -s pdf`` keeps the edition's PDF between builds."""
    return CACHE / pdf_name(which)


def record(which: str) -> Path:
    return cached_pdf(which).with_suffix(".json")


def write_record(which: str, digest: str) -> None:
    """Record that the edition's PDF was made from the sources whose digest is ``digest``."""
    record(which).write_text(json.dumps({"sources": digest}) + "\n", encoding="utf-8")


def fresh_pdf(which: str) -> Path | None:
    """The edition's PDF when it was made from the sources as they are now, else None."""
    pdf = cached_pdf(which)
    if not pdf.is_file() or not record(which).is_file():
        return None
    made_from = json.loads(record(which).read_text(encoding="utf-8")).get("sources")
    return pdf if made_from == sources_digest() else None


# The hook's state for one build: the PDF the site carries, if any.
_published: Path | None = None


def on_config(config, **kwargs):
    global _published
    _published = None
    if "print-site" in config["plugins"]:  # the print build (mkdocs-print.yml)
        config["extra_css"].append("stylesheets/print.css")
        config["extra"]["book_edition"] = edition()
        return config
    which = edition()
    _published = fresh_pdf(which)
    if _published is None:
        state = "out of date" if cached_pdf(which).is_file() else "not built"
        command = "nox -s pdf" if which == "full" else "nox -s student"
        log.info(f"The book's PDF ({which} edition) is {state}: the site leaves it out "
                 f"(`{command}` makes it)")
    return config


def on_page_context(context, page, config, **kwargs):
    # The home page links the PDF (overrides/main.html).
    context["book_pdf"] = None
    if "print-site" in config["plugins"]:
        # The print build loads MathJax on every page itself (extra_javascript in
        # mkdocs-print.yml): the print page gathers the pages after the site hook's test for
        # math has run. So main.html must not load it a second time.
        context["math"] = False
    if _published is not None and page.is_homepage:
        size = _published.stat().st_size / 1e6
        context["book_pdf"] = {"url": f"downloads/{_published.name}", "size": f"{size:.0f} MB"}
    return context


def on_post_build(config, **kwargs):
    if _published is not None:
        downloads = Path(config["site_dir"]) / "downloads"
        downloads.mkdir(exist_ok=True)
        shutil.copy2(_published, downloads / _published.name)
