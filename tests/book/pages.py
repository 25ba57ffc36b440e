"""Run the book's pages as a student would: every listing, in order, one namespace per page.

A listing is a ``python`` fence. The fence right after it, when it is a
``text`` fence titled ``Output`` (``title="Output"`` or ``title="Output (...)"``,
possibly inside a collapsed ``???`` block), is what the listing prints; the
test compares it with what the listing really prints (``...`` stands for any
text). A listing that prints without showing it fails, and so does an output
block that no listing comes before. This keeps the listing itself copyable: no
prompts, no output lines in the code.

Figures: ``plt.show()`` saves each open figure as ``docs/generated/<page>-<n>.png``
(n counts from 1 on each page), which the page shows with
``![...](generated/<page>-<n>.png)``. When every listing of a page has passed,
a stamp in ``.cache/book/`` records the page's key (its text, the package, this
runner); the docs build runs only the pages whose stamp is missing or stale.
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

from .fences import DOCS, PACKAGE, ROOT, fences

FIGURES = DOCS / "generated"
STAMPS = ROOT / ".cache" / "book"
SEED = 0
_OPENER = re.compile(r'^\s*(\?\?\?\+?|!!!)\s+\w+(\s+"[^"]*")?\s*$')
_FIGURE_LINK = re.compile(r"\]\(generated/([\w.-]+\.png)\)")


@dataclass(frozen=True)
class Listing:
    code: str
    expected: str | None  # the output the page shows, if any
    line: int  # line of the opening fence in the page
    output: object = None  # the Output fence, if any


def is_output(fence) -> bool:
    return fence.language == "text" and (fence.title or "").startswith("Output")


def listings(text: str) -> list[tuple[int, int, Listing]]:
    """Pair each python fence of a page with the output block that follows it."""
    found = []
    blocks = fences(text)
    used = set()
    for index, fence in enumerate(blocks):
        if fence.language in ("py", "python3", "pycon", "ipython"):
            raise ValueError(f"line {fence.line}: write listings as ```python fences, not {fence.language}")
        if fence.language != "python" or fence.include:
            continue  # an included file (an exercise's solution) is tested by tests/
        end, expected, output = fence.end, None, None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and is_output(following):
            between = text[fence.end : following.start].strip()
            if not between or _OPENER.match(between):
                end, expected, output = following.end, following.code, following
                used.add(index + 1)
        found.append((fence.start, end, Listing(fence.code, expected, fence.line, output)))
    for index, fence in enumerate(blocks):
        if is_output(fence) and index not in used:
            raise ValueError(f"line {fence.line}: an Output block that follows no listing is never checked")
    return found


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
        raise AssertionError(f"a docstring example in the listing at line {listing.line} fails:\n{report.getvalue()}")


def _docstrings(obj, name):
    """The docstrings of a function, or of a class and its methods."""
    if obj.__doc__:
        yield name, obj.__doc__
    if isinstance(obj, type):
        for attribute, value in vars(obj).items():
            if callable(value) and getattr(value, "__doc__", None):
                yield f"{name}.{attribute}", value.__doc__


def run_listing(example) -> None:
    listing: Listing = example.parsed
    got = execute(listing, example.namespace, example.path)
    run_docstring_examples(listing, example.namespace, example.path)
    if listing.expected is None:
        if got:
            raise AssertionError(
                f"the listing at line {listing.line} prints, but the page shows no output for it:\n{got}"
            )
    else:
        checker = doctest.OutputChecker()
        if not checker.check_output(listing.expected, got, doctest.ELLIPSIS):
            example_ = doctest.Example("", listing.expected)
            raise AssertionError(
                f"the listing at line {listing.line} prints something else than the page shows:\n"
                + checker.output_difference(example_, got, doctest.ELLIPSIS)
            )
    state = example.namespace["__book__"]
    state["passed"] += 1
    if state["passed"] == len(example.document.regions):
        _finish_page(Path(example.path), example.document.text, state["figures"])


def _finish_page(page: Path, text: str, figures: list[str]) -> None:
    linked = _FIGURE_LINK.findall(text)
    ours = [name for name in linked if name.startswith(page.stem + "-")]
    if sorted(ours) != sorted(figures):
        raise AssertionError(
            f"{page.name} shows the figures {sorted(ours)}, but its listings made {sorted(figures)}"
        )
    STAMPS.mkdir(parents=True, exist_ok=True)
    stamp = {"key": page_key(page), "figures": figures}
    (STAMPS / f"{page.stem}.json").write_text(json.dumps(stamp, indent=1), encoding="utf-8")


def page_key(page: Path) -> str:
    """What a page's run depends on: its text, the package's code and data, and this runner."""
    digest = hashlib.sha256(page.read_bytes())
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.gz"))
    sources += sorted(Path(__file__).parent.glob("*.py"))
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(page: Path) -> bool:
    """True when the page's figures are up to date with its text and the package."""
    stamp_path = STAMPS / f"{page.stem}.json"
    if not stamp_path.exists():
        return False
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    return stamp["key"] == page_key(page) and all((FIGURES / name).exists() for name in stamp["figures"])


def setup_page(namespace: dict) -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    np.random.seed(SEED)
    random.seed(SEED)
    plt.close("all")
    page = Path(namespace["__file__"]).stem
    state = {"passed": 0, "figures": [], "show": plt.show}
    namespace["__book__"] = state

    def show(*args, **kwargs):
        FIGURES.mkdir(parents=True, exist_ok=True)
        for number in plt.get_fignums():
            name = f"{page}-{len(state['figures']) + 1}.png"
            plt.figure(number).savefig(FIGURES / name, dpi=110, bbox_inches="tight")
            state["figures"].append(name)
        plt.close("all")

    plt.show = show


def teardown_page(namespace: dict) -> None:
    import matplotlib.pyplot as plt

    state = namespace.get("__book__")
    plt.close("all")
    if state is not None:
        plt.show = state["show"]


class _PageDocument(Document):
    """A Markdown page whose namespace knows the page (for figure names)."""

    @classmethod
    def parse(cls, path: str, *parsers, encoding: str = "utf-8") -> Document:
        document = super().parse(path, *parsers, encoding=encoding)
        document.namespace["__file__"] = path
        document.namespace["__name__"] = "__main__"
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
