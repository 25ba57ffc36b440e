"""Run the book's pages as a student would: every listing, in order, one namespace per page.

A listing is a ``python`` fence. The fence right after it, when it is a
``text`` fence titled ``Output`` (``title="Output"`` or ``title="Output (...)"``,
possibly inside a collapsed ``???`` block), is what the listing prints; the
test compares it with what the listing really prints (``...`` stands for any
text). A listing that prints without showing it fails, and so does an output
block that no listing comes before. This keeps the listing itself copyable: no
prompts, no output lines in the code. An excerpt (``{.python .excerpt ...}``, see
excerpts.py) is not run: it is checked to be a verbatim part of the listing it is
cut from, and the page fails when it is not. A fence marked ``data-run="no"``
(fences.py) is shown, not run: it needs what the book does not install (5c's PyTorch code).

Figures are named by the page, not by their place on it: the image links
``![...](generated/<page>-<name>.png)`` that follow a listing (before the next
one) name the figures that listing shows, in order, and ``plt.show()`` saves
each open figure under the next of those names (with a narrow variant for phones and a
record of its text size, book.figure_files). A listing must make exactly the
figures linked after it, so adding a plot earlier on a page renames nothing.
When a page's run finishes, its figures that the run did not make are deleted.

A fold (a collapsible ``???`` block, fences.fold) is off the main line: a reader may skip
it. If a listing in a fold leaves NumPy's or Python's random state changed, and a later
listing on the main line draws random numbers from that state before it seeds, then
skipping the fold changes what the main line prints. The fold must then say so in its
prose, in the words of ``DRAWS`` ("Leaving this box out changes the numbers printed after
it: it draws random numbers."); and a fold that says so must be one whose draws a later
main-line listing uses. The runner compares the random state before and after each listing
and when a listing first seeds (``np.random.seed`` and ``random.seed`` tell it): well
under a millisecond a listing.

The cache: when every listing of a page has passed, a stamp in ``.cache/book/``
records the page's key, a hash of what the run started from: the page's text as
the runner read it, the package's code and data and this runner (with the fence
parser it reads pages with) as they were when the runner was imported (before
any page imports the package), the versions of NumPy, matplotlib and
scikit-learn, and the processor's side of the arithmetic: the kernel and threads of each
OpenBLAS loaded and NumPy's dispatch levels (``platform``), so that a run under another
kernel (``nox -s kernels``) never stands for this one. The key is computed when the
page's run starts and written when it ends, so a page (or the package) edited
while it runs stays stale. The docs build runs only the pages whose stamp is
missing or stale (``is_fresh``).
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import hashlib
import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sybil import Document, Region, Sybil

from . import figure_files
from .excerpts import check as check_excerpts
from .excerpts import is_excerpt
from .fences import DOCS, PACKAGE, ROOT, Fold, fences, fold


FIGURES = DOCS / "generated"
STAMPS = ROOT / ".cache" / "book"
SEED = 0
LIBRARIES = ("numpy", "matplotlib", "scikit-learn")  # their versions are part of a page's key
_OPENER = re.compile(r'^\s*(\?\?\?\+?|!!!)\s+\w+(\s+"[^"]*")?\s*$')
_FIGURE_LINK = re.compile(r"\]\(generated/([\w.-]+\.png)\)")
# What a fold says when skipping it changes the numbers printed after it (see above).
DRAWS = "Leaving this box out changes the numbers printed after it: it draws random numbers."


@dataclass(frozen=True)
class Listing:
    code: str
    expected: str | None  # the output the page shows, if any
    line: int  # line of the opening fence in the page
    output: object = None  # the Output fence, if any
    figures: tuple[str, ...] = ()  # the generated/ images linked after it, before the next listing
    fold: Fold | None = None  # the collapsible block it stands in, if any


def is_output(fence) -> bool:
    return fence.language == "text" and (fence.title or "").startswith("Output")


def listings(text: str) -> list[tuple[int, int, Listing]]:
    """Pair each python fence of a page with the output block that follows it."""
    found = []
    blocks = fences(text)
    check_excerpts(blocks)  # an excerpt runs nowhere, but it must be a part of its listing
    used = set()
    for index, fence in enumerate(blocks):
        if fence.language in ("py", "python3", "pycon", "ipython"):
            raise ValueError(
                f"line {fence.line}: write listings as ```python fences, not {fence.language}"
            )
        if fence.language != "python" or fence.include or is_excerpt(fence) or not fence.runs:
            # An included file (an exercise's solution) is tested by tests/; a listing marked
            # data-run="no" is shown only.
            continue
        end, expected, output = fence.end, None, None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and is_output(following):
            between = text[fence.end : following.start].strip()
            if not between or _OPENER.match(between):
                end, expected, output = following.end, following.code, following
                used.add(index + 1)
        found.append((fence.start, end, (fence.code, expected, fence.line, output),
                      fold(text, fence)))
    for index, fence in enumerate(blocks):
        if is_output(fence) and index not in used:
            raise ValueError(
                f"line {fence.line}: an Output block that follows no listing is never checked"
            )
    # A listing's figures are the ones linked between it (with its Output) and the next listing.
    next_starts = [start for start, *_ in found[1:]] + [len(text)]
    return [
        (start, end, Listing(*parts, figures=tuple(_FIGURE_LINK.findall(text, end, next_start)),
                             fold=in_fold))
        for (start, end, parts, in_fold), next_start in zip(found, next_starts)
    ]


def parse_listings(document: Document):
    for start, end, listing in listings(document.text):
        yield Region(start, end, parsed=listing, evaluator=run_listing)


def execute(listing: Listing, namespace: dict, path: str) -> str:
    """Run one listing in the page's namespace; return what it printed."""
    code = compile("\n" * listing.line + listing.code, path, "exec")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    return printed.getvalue()


def run_docstring_examples(listing: Listing, namespace: dict, path: str) -> None:
    """Run the doctests in the docstrings of what a listing defines.

    A class that a later chapter replaces is not in the package any more, but
    the page still shows its docstring: its examples must hold too.
    """
    names = [
        node.name
        for node in ast.parse(listing.code).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    ]
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    random_state = np.random.get_state()  # a docstring may seed; the page must not notice
    try:
        for name in names:
            for qualified, docstring in _docstrings(namespace[name], name):
                test = parser.get_doctest(docstring, dict(namespace), qualified, path, listing.line)
                runner.run(test, out=report.write)
    finally:
        np.random.set_state(random_state)
    if runner.failures:
        raise AssertionError(
            f"a docstring example in the listing at line {listing.line} fails:\n"
            f"{report.getvalue()}"
        )


def _docstrings(obj, name):
    """The docstrings of a function, or of a class and its methods."""
    if obj.__doc__:
        yield name, obj.__doc__
    if isinstance(obj, type):
        for attribute, value in vars(obj).items():
            if callable(value) and getattr(value, "__doc__", None):
                yield f"{name}.{attribute}", value.__doc__


def random_state() -> tuple:
    """NumPy's global random state and Python's, in a form that compares with ``==``."""
    name, keys, position, has_gauss, gauss = np.random.get_state()
    return name, keys.tobytes(), position, has_gauss, gauss, random.getstate()


def says_so(found: Fold) -> bool:
    """True when the prose of a fold (its listings aside) carries the sentence ``DRAWS``."""
    prose = found.text
    for fence in reversed(fences(prose)):
        prose = prose[: fence.start] + prose[fence.end :]
    return DRAWS in " ".join(prose.split())


def _seeding(state: dict) -> None:
    """Called before every seeding: at a listing's first, note whether it drew before."""
    start = state["random"]["start"]
    if start is not None:  # the listing's first seed
        state["random"]["drew"] = random_state() != start
        state["random"]["start"] = None


def follow_draws(listing: Listing, state: dict, drew: bool, seeded: bool, changed: bool) -> None:
    """Keep track of the folds whose random draws are still in the random state, and fail a
    main-line listing that uses them unless each such fold says so (``DRAWS``)."""
    draws = state["random"]
    if listing.fold is None and drew and draws["folds"]:
        draws["used"] |= set(draws["folds"])
        unsaid = [found for found in draws["folds"].values() if not says_so(found)]
        if unsaid:
            where = ", ".join(f"line {found.line} ({found.title!r})" for found in unsaid)
            raise AssertionError(
                f"the listing at line {listing.line} draws random numbers where the fold at "
                f"{where} left them, so skipping that fold changes what the page prints from "
                f"here on: seed before drawing, or say so in the fold: {DRAWS!r}"
            )
    if seeded:
        draws["folds"].clear()
    if listing.fold is not None and changed:
        draws["folds"][listing.fold.line] = listing.fold


def run_listing(example) -> None:
    listing: Listing = example.parsed
    state = example.namespace["__book__"]
    state["listing"], state["made"] = listing, []
    draws = state["random"]
    start = draws["start"] = random_state()  # until the listing seeds (_seeding)
    try:
        got = execute(listing, example.namespace, example.path)
    finally:
        seeded, draws["start"] = draws["start"] is None, None
    changed = random_state() != start
    follow_draws(listing, state, drew=draws["drew"] if seeded else changed, seeded=seeded,
                 changed=changed)
    run_docstring_examples(listing, example.namespace, example.path)
    linked = _own(listing.figures, state["page"])
    if state["made"] != linked:
        raise AssertionError(
            f"the page shows {linked[len(state['made']) :]} after the listing at line "
            f"{listing.line}, but the listing made only {len(state['made'])} figure(s)"
        )
    if listing.expected is None:
        if got:
            raise AssertionError(
                f"the listing at line {listing.line} prints, but the page shows no output "
                f"for it:\n{got}"
            )
    else:
        checker = doctest.OutputChecker()
        if not checker.check_output(listing.expected, got, doctest.ELLIPSIS):
            example_ = doctest.Example("", listing.expected)
            raise AssertionError(
                f"the listing at line {listing.line} prints something else than the page shows:\n"
                + checker.output_difference(example_, got, doctest.ELLIPSIS)
            )
    state["passed"] += 1
    if state["passed"] == len(example.document.regions):
        _finish_page(Path(example.path), example.document.text, state)


def _own(names, page: str) -> list[str]:
    """The figures among ``names`` that belong to the page (``<page>-<name>.png``)."""
    return [name for name in names if name.startswith(page + "-")]


def check_draws_said(text: str, state: dict) -> None:
    """Fail when a fold of the page says ``DRAWS`` but no main-line listing used its draws."""
    said = {listing.fold for _, _, listing in listings(text)
            if listing.fold is not None and says_so(listing.fold)}
    for found in sorted(said, key=lambda found: found.line):
        if found.line not in state["random"]["used"]:
            raise AssertionError(
                f"the fold at line {found.line} ({found.title!r}) says {DRAWS!r}, but no "
                "listing on the main line after it draws from what it leaves: drop the sentence"
            )


def _finish_page(page: Path, text: str, state: dict) -> None:
    check_draws_said(text, state)
    figures = state["figures"]
    ours = _own(_FIGURE_LINK.findall(text), page.stem)
    if sorted(ours) != sorted(figures):
        raise AssertionError(
            f"{page.name} shows the figures {sorted(ours)}, but its listings made {sorted(figures)}"
        )
    _remove_old_figures(page, figures)
    STAMPS.mkdir(parents=True, exist_ok=True)
    stamp = {"key": state["key"], "versions": state["versions"], "figures": figures}
    (STAMPS / f"{page.stem}.json").write_text(json.dumps(stamp, indent=1), encoding="utf-8")


def _remove_old_figures(page: Path, figures: list[str]) -> None:
    """Delete the page's figures that this run did not make, and those of pages that are gone."""
    stems = sorted((other.stem for other in page.parent.glob("*.md")), key=len, reverse=True)
    for path in FIGURES.glob("*.png"):
        owner = next((stem for stem in stems if path.name.startswith(stem + "-")), None)
        if owner is None or (owner == page.stem and path.name not in figures):
            for made in _files_of(path.name):
                made.unlink(missing_ok=True)


def _files_of(name: str) -> list[Path]:
    """The files the runner writes for the figure ``name``: the PNG, its narrow variant, and
    the record of each one's text size (figure_files.py)."""
    narrow = FIGURES / figure_files.NARROW / name
    return [FIGURES / name, narrow, (FIGURES / name).with_suffix(".json"),
            narrow.with_suffix(".json")]


def code_digest() -> str:
    """A hash of the package's code and data and of the runner, as they are on disk now."""
    digest = hashlib.sha256()
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.gz"))
    sources += sorted(PACKAGE.rglob("*.json"))  # the measured speeds 5c prints
    # The runner is this module and the parsers it reads pages with; the rest of the
    # tooling (tangler, hook, notebooks, browser test) changes nothing a page prints.
    runner = ("__init__.py", "excerpts.py", "fences.py", "pages.py", "figure_files.py")
    sources += [Path(__file__).parent / name for name in runner]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """The installed versions of the libraries the pages use."""
    from importlib import metadata

    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def platform() -> dict[str, str]:
    """The processor's side of a run: each loaded OpenBLAS's kernel and threads (threadpoolctl),
    and the dispatch levels NumPy uses. Both can change what a long training run prints."""
    from threadpoolctl import threadpool_info

    from .kernels import numpy_cpu

    __cpu_dispatch__, __cpu_features__ = numpy_cpu()
    # A set: SciPy's OpenBLAS, loaded once a page imports scikit-learn, runs as NumPy's does.
    blas = sorted({f"{info.get('architecture')}, {info['num_threads']} thread(s)"
                   for info in threadpool_info() if info["internal_api"] == "openblas"})
    dispatch = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    return {"openblas": "; ".join(blas), "numpy dispatch": " ".join(dispatch)}


def page_key(text: str, code: str, libraries: dict[str, str]) -> str:
    """What a page's run depends on: its text, the package and runner, the libraries."""
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(code.encode())
    digest.update(json.dumps(libraries, sort_keys=True).encode())
    return digest.hexdigest()


# The code a run uses is what was on disk when this module was imported: conftest.py
# imports it before anything imports the package (its doctests, the pages), and a
# module is imported once. Reading it again when a page starts could miss an edit
# made in between, which the run would not see.
_STARTED = (code_digest(), versions())


def is_fresh(page: Path) -> bool:
    """True when the page's stamp matches what a run would start from now, and its figures exist."""
    stamp_path = STAMPS / f"{page.stem}.json"
    if not stamp_path.exists():
        return False
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    key = page_key(page.read_text(encoding="utf-8"), code_digest(), versions() | platform())
    made = [file for name in stamp["figures"] for file in _files_of(name)]
    return stamp["key"] == key and all(file.exists() for file in made)


def setup_page(namespace: dict) -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    np.random.seed(SEED)
    random.seed(SEED)
    plt.close("all")
    page = Path(namespace["__file__"]).stem
    code, libraries = _STARTED
    libraries = libraries | platform()  # read now: a run may have set its BLAS threads since
    text = namespace.get("__page_text__")
    if text is None:
        text = Path(namespace["__file__"]).read_text(encoding="utf-8")
    state = {
        "page": page,
        "passed": 0,
        "figures": [],  # every figure the page made, in order
        "listing": None,  # the listing running, and the figures it made
        "made": [],
        "key": page_key(text, code, libraries),  # what this run starts from; written when it ends
        "versions": libraries,
        "show": plt.show,
        # The folds whose draws are still in the random state, by line; those whose draws the
        # main line used; while a listing runs, the state it started from, until it seeds.
        "random": {"folds": {}, "used": set(), "start": None, "drew": None},
        "seeds": (np.random.seed, random.seed),
    }
    namespace["__book__"] = state

    def seeder(original):
        def seed(*args, **kwargs):
            _seeding(state)
            return original(*args, **kwargs)

        return seed

    np.random.seed, random.seed = (seeder(original) for original in state["seeds"])

    def show(*args, **kwargs):
        try:
            FIGURES.mkdir(parents=True, exist_ok=True)
            for number in plt.get_fignums():
                listing = state["listing"]
                names = _own(listing.figures, page) if listing is not None else []
                line = listing.line if listing is not None else "?"
                if len(state["made"]) == len(names):
                    raise AssertionError(
                        f"the listing at line {line} shows a figure that no link after it names: "
                        f"add ![what it shows](generated/{page}-<name>.png) after the listing"
                    )
                name = names[len(state["made"])]
                if name in state["figures"]:
                    raise AssertionError(f"the listing at line {line} makes {name} again")
                # The PNG, its narrow variant and their text-size records (figure_files.py).
                figure_files.save_with_narrow(plt.figure(number), FIGURES, name)
                state["made"].append(name)
                state["figures"].append(name)
        finally:
            plt.close("all")

    plt.show = show


def teardown_page(namespace: dict) -> None:
    import matplotlib.pyplot as plt

    state = namespace.get("__book__")
    plt.close("all")
    if state is not None:
        plt.show = state["show"]
        np.random.seed, random.seed = state["seeds"]


class _PageDocument(Document):
    """A Markdown page whose namespace knows the page (for figure names) and its text (its key)."""

    @classmethod
    def parse(cls, path: str, *parsers, encoding: str = "utf-8") -> Document:
        document = super().parse(path, *parsers, encoding=encoding)
        document.namespace["__file__"] = path
        document.namespace["__name__"] = "__main__"
        document.namespace["__page_text__"] = document.text  # what the run starts from (its key)
        return document


book = Sybil(
    parsers=[parse_listings],
    path=str(DOCS),
    patterns=["*.md"],
    document_types={".md": _PageDocument},
    setup=setup_page,
    teardown=teardown_page,
    name="page",
)
