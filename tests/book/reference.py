"""Link the API reference and the chapters both ways, from what the chapters define.

The MkDocs hook calls :func:`cross_links` on every page's Markdown:

* on docs/api.md, each line ``::: nn_from_scratch.<module>`` (written alone) becomes
  the module's docstring followed by one entry per name of its ``__all__``, in
  order: the object's documentation (mkdocstrings), then a line "Introduced in
  <chapter>, <section>" (and where the book shows it again), then the documented
  methods of a class. ``::: nn_from_scratch`` becomes a table of the names
  ``import nn_from_scratch`` gives, each linked to its entry and its chapter;
* each chapter gets a closing block "In the API reference" that links every public
  name the chapter introduces, or shows again, to its entry.

Where a name comes from is read, not written down: a generated module's names
from the package listings of the chapters, through the tangler (the first shown
listing that defines a name introduces it, under the section heading above it);
a hand-written module's names (checks.py) from the first place the book names the
module in inline code (``nn_from_scratch.checks``). The worked solutions
(nn_from_scratch/solutions/) are answers, not an interface, and stay out.

In the student edition the hook passes ``as_shown`` (which drops the Solution
folds): a definition that only a fold shows is then neither an entry nor a link.
"""

from __future__ import annotations

import ast
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fences import PACKAGE, fences, pages
from .tangle import _imported_names, _is_docstring, is_generated, read_book, sections


API_PAGE = "api.md"
PACKAGE_NAME = PACKAGE.name
_DIRECTIVE = re.compile(rf"^::: ({PACKAGE_NAME}(?:\.\w+)?)[ \t]*$", re.M)
_NUMBER = re.compile(r"^0*(\d+[a-z]?)-")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


class CrossLinkError(ValueError):
    """The API page or the book is not what the cross-links can be made from."""


@dataclass(frozen=True)
class Place:
    """A section of a chapter: where the book shows a definition."""

    page: str  # the page's file name, e.g. 03a-single-neuron.md
    chapter: str  # e.g. "3a. A single neuron"
    heading: str  # the section's heading, as text
    anchor: str  # the heading's id on the built page
    offset: int = field(default=0, compare=False)  # where on the page the definition stands

    @property
    def number(self) -> str:
        """The chapter's number (``3a``), or its title for a page without one."""
        return self.chapter.split(". ", 1)[0] if _NUMBER.match(self.page) else self.chapter

    def link(self, text: str | None = None) -> str:
        label = text or f"{self.chapter}, “{self.heading}”"
        return f"[{label}]({self.page}#{self.anchor})"


@dataclass
class Entry:
    """One public name of a module: where it is introduced, and how the reference shows it."""

    path: str  # nn_from_scratch.<module>.<name>
    places: list[Place] = field(default_factory=list)  # in book order; the first introduces it
    reexports: str | None = None  # the object's own path, when the module imports it to re-export
    kind: str = "function"  # or "class", "attribute"
    documented: bool = True
    methods: list[str] = field(default_factory=list)  # a class's documented methods

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[1]

    @property
    def short(self) -> str:
        """The path without the package: ``neuron.Neuron``."""
        return self.path.split(".", 1)[1]


# Headings and their ids ------------------------------------------------------------------


def slugify(text: str) -> str:
    """The id Python-Markdown's ``toc`` gives a heading with this text (its default slugify)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _unique(anchor: str, used: set[str]) -> str:
    """A second ``## Setup`` gets ``setup_1``, as in Python-Markdown."""
    while anchor in used or not anchor:
        match = re.fullmatch(r"(.*)_(\d+)", anchor)
        anchor = f"{match[1]}_{int(match[2]) + 1}" if match else f"{anchor}_1"
    used.add(anchor)
    return anchor


def headings(text: str) -> list[tuple[int, str, str]]:
    """A page's section headings as (offset, text, id), outside code fences, in order.

    The id is the one given in an attribute list (``## Title { #id }``), else the
    text made into a slug the way the site's ``toc`` extension does it: inline
    code, links and emphasis count by their text. Headings indented inside an
    admonition are not sections and are left out (the build checks every anchor).

    >>> page = "# A title\\n## The `Layer`\\n## Errata { #erratum-1 }\\n## A title\\n"
    >>> for found in headings(page):
    ...     print(found)
    (0, 'A title', 'a-title')
    (10, 'The Layer', 'the-layer')
    (25, 'Errata', 'erratum-1')
    (50, 'A title', 'a-title_1')
    """
    found, used = [], set()
    for position, heading in sections(text):
        bare = text[position:].partition("\n")[0].rstrip("\r")
        given = re.search(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$", bare)
        if given:
            anchor = given[1]
            used.add(anchor)
        else:
            # A link counts by its text.
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
            anchor = _unique(slugify(plain), used)
        found.append((position, heading, anchor))
    return found


def chapter_title(page: str, text: str) -> str:
    """``3a. A single neuron``: the number of the page's file name and its first heading."""
    found = headings(text)
    title = found[0][1] if found else Path(page).stem
    match = _NUMBER.match(page)
    return f"{match[1]}. {title}" if match else title


def place(page: str, text: str, offset: int) -> Place:
    """The section of a page that holds the offset: the last heading above it."""
    above = [(heading, anchor) for start, heading, anchor in headings(text) if start <= offset]
    if not above:
        raise CrossLinkError(f"docs/{page}: no heading above offset {offset}")
    return Place(page, chapter_title(page, text), *above[-1], offset=offset)


# What the book defines --------------------------------------------------------------------


def _shown_fences(text: str, shown: str) -> list[bool]:
    """For each fence of a page, whether the edition shows it (its text is still in ``shown``)."""
    left = Counter(shown[fence.start : fence.end] for fence in fences(shown))
    kept = []
    for fence in fences(text):
        raw = text[fence.start : fence.end]
        kept.append(left[raw] > 0)
        left[raw] -= 1
    return kept


def _members(source: str, name: str) -> tuple[str, bool, list[str]]:
    """What a top-level name of a module's source is (class, function, attribute), whether it
    has a docstring, and a class's documented methods (public ones and documented dunders)."""
    body = ast.parse(source).body
    for node, following in zip(body, [*body[1:], None]):
        if isinstance(node, ast.ClassDef) and node.name == name:
            methods = [
                item.name
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and ast.get_docstring(item)
                and not re.match(r"_[^_]", item.name)
            ]
            return "class", bool(ast.get_docstring(node)), methods
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return "function", bool(ast.get_docstring(node)), []
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if name in [target.id for target in targets if isinstance(target, ast.Name)]:
            # An attribute's docstring is the string right after it.
            documented = following is not None and _is_docstring(following)
            return "attribute", documented, []
    return "attribute", False, []


def _literal_all(source: str, where: str) -> list[str] | None:
    """A hand-written module's ``__all__``, a list of strings, or None when it has none."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            try:
                names = ast.literal_eval(node.value)
            except ValueError:
                names = None
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise CrossLinkError(f"{where}: __all__ must be a list of strings")
            return names
    return None


def handwritten_modules() -> dict[str, Path]:
    """The package's public modules written by hand: top-level, not generated, with ``__all__``.

    The package's ``__init__`` only gathers names; the solutions are a subpackage.
    """
    found = {}
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "__init__.py" or is_generated(text):
            continue
        if _literal_all(text, str(path)) is not None:
            found[f"{PACKAGE_NAME}.{path.stem}"] = path
    return found


@dataclass
class Index:
    """The public names of the package, where the book introduces each, and the pages."""

    modules: dict[str, list[Entry]]  # dotted module -> its entries, in __all__ order
    package: list[tuple[str, str]]  # (name, path of the object) that ``import nn_from_scratch``
    # gives, in __all__ order

    def entry(self, path: str) -> Entry:
        for entries in self.modules.values():
            for entry in entries:
                if entry.path == path:
                    return entry
        raise KeyError(path)

    def entries(self) -> list[Entry]:
        return [entry for entries in self.modules.values() for entry in entries]


def build_index(book: tuple[tuple[str, str, str], ...]) -> Index:
    """Read the book, given as (file name, text, text as the edition shows it) per page.

    Raises
    ------
    CrossLinkError
        When a hand-written module is never named in the book, or the package's
        ``__init__`` exports a name that is no module's public name.
    """
    texts = {name: text for name, text, _ in book}
    shown_fences = {name: _shown_fences(text, shown) for name, text, shown in book}
    modules_read, listings = read_book([(name, text) for name, text, _ in book])

    modules: dict[str, list[Entry]] = {}
    hidden = set()  # public names that only a Solution fold shows, in this edition
    for module in modules_read.values():
        dotted = module.path.removesuffix(".py").replace("/", ".")
        source = module.render()
        entries = {name: Entry(f"{dotted}.{name}") for name in module.public_names()}
        for listing in listings:
            if listing.fence.title != module.path:
                continue
            index = [f.start for f in fences(listing.text)].index(listing.fence.start)
            if not shown_fences[listing.page][index]:
                continue
            here = place(listing.page, texts[listing.page], listing.fence.start)
            for node in ast.parse(listing.fence.code).body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names = [node.name]
                elif isinstance(node, ast.ImportFrom):
                    names = [name for name, again in _imported_names(ast.unparse(node)) if again]
                    for name in names:
                        if name in entries:
                            entries[name].reexports = f"{node.module}.{name}"
                else:
                    continue
                for name in names:
                    if name in entries and here not in entries[name].places:
                        entries[name].places.append(here)
        for entry in entries.values():
            entry.kind, entry.documented, entry.methods = _members(source, entry.name)
        modules[dotted] = [entry for entry in entries.values() if entry.places]
        hidden |= {entry.path for entry in entries.values() if not entry.places}

    for dotted, path in handwritten_modules().items():
        source = path.read_text(encoding="utf-8")
        first = _first_mention(dotted, book)
        if first is None:
            raise CrossLinkError(
                f"{path.relative_to(PACKAGE.parent)} is public (it has __all__) but no page "
                f"names `{dotted}` in inline code: say where the book introduces it"
            )
        entries = []
        for name in _literal_all(source, str(path)):
            entry = Entry(f"{dotted}.{name}", [first])
            entry.kind, entry.documented, entry.methods = _members(source, name)
            entries.append(entry)
        modules[dotted] = entries

    init = PACKAGE / "__init__.py"
    package = []
    tree = ast.parse(init.read_text(encoding="utf-8"))
    origins = {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    known = {entry.path for entries in modules.values() for entry in entries}
    for name in _literal_all(init.read_text(encoding="utf-8"), str(init)) or []:
        if origins.get(name) in hidden:
            continue
        if origins.get(name) not in known:
            raise CrossLinkError(
                f"nn_from_scratch/__init__.py exports {name}, which is not a public name of a "
                f"module the book shows (it comes from {origins.get(name, 'nowhere')})"
            )
        package.append((name, origins[name]))
    return Index(modules, package)


def _first_mention(dotted: str, book) -> Place | None:
    """The section where the book, as shown, first names a module in inline code."""
    for name, _, shown in book:
        blanked = shown  # the code blocks become spaces: the offsets stay
        for fence in reversed(fences(shown)):
            spaces = " " * (fence.end - fence.start)
            blanked = blanked[: fence.start] + spaces + blanked[fence.end :]
        for match in _CODE_SPAN.finditer(blanked):
            if re.search(rf"\b{re.escape(dotted)}\b", match[2]):
                return place(name, shown, match.start())
    return None


# The Markdown the pages get ---------------------------------------------------------------


def _entry_markdown(entry: Entry) -> str:
    """One entry of the API page: documentation, where it is introduced, a class's methods."""
    first, *later = entry.places
    again = [p for p in dict.fromkeys(later) if p.page != first.page]
    seen_pages, again_links = set(), []
    for other in again:
        if other.page not in seen_pages:
            seen_pages.add(other.page)
            again_links.append(other.link(other.number))
    where = f"Introduced in {first.link()}"
    if again_links:
        where += f"; shown again in {', '.join(again_links)}"
    if entry.reexports:
        own = entry.reexports
        return (
            f"### `{entry.name}` {{ #{entry.path} }}\n\n"
            f"The same object as [`{own.split('.', 1)[1]}`](#{own}), re-exported.\n"
            f"{where}.\n"
        )
    options = ["show_root_heading: true", "members: false"]  # a class's methods come after
    if entry.kind == "attribute":
        if entry.documented:  # its docstring says what it holds; a long value, a long heading
            options.append("show_attribute_values: false")
    elif not entry.documented:
        options.append("show_source: true")  # the handout's code has no docstrings: show it
    parts = [_directive(entry.path, options), f"{where}.\n"]
    for method in entry.methods:
        parts.append(
            _directive(f"{entry.path}.{method}", ["show_root_heading: true", "heading_level: 4"])
        )
    return "\n".join(parts)


def _directive(identifier: str, options: list[str]) -> str:
    lines = "".join(f"      {option}\n" for option in options)
    return f"::: {identifier}\n    options:\n{lines}"


def _module_markdown(dotted: str, index: Index) -> str:
    """What ``::: nn_from_scratch[.module]`` on the API page becomes."""
    if dotted == PACKAGE_NAME:
        rows = "".join(
            f"| `{name}` | [`{path.split('.', 1)[1]}`](#{path}) "
            f"| {index.entry(path).places[0].link()} |\n"
            for name, path in index.package
        )
        # Not the package's docstring: it speaks of tangling, and its doctest would show as
        # a quotation.
        intro = f"`import {PACKAGE_NAME}` gives the names the course handout uses:\n\n"
        return intro + "| Name | Entry | Introduced in |\n| --- | --- | --- |\n" + rows
    if dotted not in index.modules:
        known = ", ".join([PACKAGE_NAME, *index.modules])
        raise CrossLinkError(
            f"docs/{API_PAGE}: `::: {dotted}` names no public module of the package "
            f"(expected one of {known})"
        )
    # The module's docstring under the page's own heading, without a second TOC entry.
    head = _directive(dotted, ["members: false", "show_root_toc_entry: false"])
    return "\n".join([head, *(_entry_markdown(entry) for entry in index.modules[dotted])])


def api_page(markdown: str, index: Index) -> str:
    """The API page with each bare ``::: nn_from_scratch[.module]`` line expanded."""
    for match in _DIRECTIVE.finditer(markdown):
        after = markdown[match.end() + 1 :]
        if after[:1] in (" ", "\t") and after.strip():
            raise CrossLinkError(
                f"docs/{API_PAGE}: write `::: {match[1]}` alone: its entries are generated, "
                "with their own options"
            )
    return _DIRECTIVE.sub(lambda match: _module_markdown(match[1], index), markdown)


def closing_block(page: str, index: Index) -> str:
    """The admonition that ends a chapter: its names, linked to their entries ('' if none)."""
    introduced, again = [], []
    for entry in index.entries():
        here = [place for place in entry.places if place.page == page]
        if here:
            link = f"[`{entry.short}`]({API_PAGE}#{entry.path})"
            (introduced if entry.places[0].page == page else again).append((here[0].offset, link))
    introduced, again = ([link for _, link in sorted(links)] for links in (introduced, again))
    if not introduced and not again:
        return ""
    lines = []
    if introduced:
        lines.append(f"    Introduced in this chapter: {', '.join(introduced)}.")
    if again:
        lines.append(f"    Shown again in this chapter: {', '.join(again)}.")
    return '\n\n!!! info "In the API reference"\n' + "\n\n".join(lines) + "\n"


# The hook's entry point -------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _cached_index(book: tuple[tuple[str, str, str], ...]) -> Index:
    return build_index(book)


def read_pages(as_shown: Callable[[str], str] | None = None) -> tuple[tuple[str, str, str], ...]:
    """docs/*.md as (file name, text, text as the edition shows it), in reading order."""
    book = []
    for path in pages():
        text = path.read_text(encoding="utf-8")
        book.append((path.name, text, as_shown(text) if as_shown else text))
    return tuple(book)


def cross_links(
    markdown: str, page: str, as_shown: Callable[[str], str] | None = None
) -> str:
    """A page's Markdown with its links to the API reference, or the API page with its entries.

    Parameters
    ----------
    markdown : str
        The page's Markdown, as the site will show it.
    page : str
        The page's path under docs/, e.g. ``03a-single-neuron.md``.
    as_shown : callable, optional
        Turns a page's text into what the edition shows (drops the Solution folds in
        the student edition); the pages are used whole when it is None.
    """
    book = read_pages(as_shown)
    if page == API_PAGE:
        return api_page(markdown, _cached_index(book))
    if page not in {name for name, _, _ in book}:
        return markdown  # a notebook or another file: no chapter of the book
    return markdown.rstrip("\n") + "\n" + closing_block(page, _cached_index(book))
