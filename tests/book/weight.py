"""How heavy the built site is, and how still it stands while it loads: ``nox -s browser``.

    PYTHONPATH=tests python -m book.weight SITE_DIR [--jobs N]

The bytes, from the files themselves (each gzipped at level 6, as a static host serves
text; an image or font gzips to about its own size):

- no notebook page's HTML above ``NOTEBOOK_HTML`` gzipped;
- the search index (``search/search_index.json``) below ``SEARCH_INDEX`` uncompressed, and
  no page in it twice (a notebook page repeats its chapter: it is left out).

Then every page (``index.html`` and ``404.html``) is opened in headless Chromium, served from
127.0.0.1 as book.browser serves it, once at 1366 x 768 and once on a phone (390 x 844,
mobile emulation), and nothing is scrolled:

- its first load (the HTML and every file it requested until it stood still: scripts, styles,
  fonts, the images the browser fetched for the first screen) must stay within
  ``FIRST_LOAD`` gzipped;
- its cumulative layout shift (from a ``PerformanceObserver`` of ``layout-shift``, in session
  windows as Chromium counts them) must stay below ``CLS``;
- on the phone, each figure's smallest text must render at ``FIGURE_TEXT_PX`` CSS px or more at
  the size the page shows it (book.figure_text).

A table of the measurements is printed; the exit status is 1 if any check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import figure_text
from .browser import (
    WAIT_FOR_PAGE,
    Report,
    launch_options,
    serve,
    site_arguments,
    site_pages,
    site_prefix,
    site_root,
)


KB = 1000
FIRST_LOAD = 700 * KB  # gzipped, HTML and what it requests before any scrolling
NOTEBOOK_HTML = 150 * KB  # gzipped
SEARCH_INDEX = 500 * KB  # uncompressed
CLS = 0.1
FIGURE_TEXT_PX = figure_text.SMALLEST_PX
SETTLE_MS = 1000  # quiet time after the last request before a page counts as loaded
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
VIEWS = {"desktop": DESKTOP, "phone": PHONE}

# Collects every layout shift of the page (none comes from input: nothing is clicked).
OBSERVE_SHIFTS = """(() => {
  const describe = (node) => {
    if (!node || !node.nodeType) return "?";
    const element = node.nodeType === 1 ? node : node.parentElement;
    if (!element) return "#text";
    const classes = element.className && typeof element.className === "string"
      ? "." + element.className.trim().split(/\\s+/).slice(0, 2).join(".") : "";
    return element.tagName.toLowerCase() + classes;
  };
  window.__bookShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.__bookShifts.push({
        value: entry.value, time: entry.startTime,
        sources: (entry.sources || []).map((source) => describe(source.node)),
      });
    }
  }).observe({type: "layout-shift", buffered: true});
})();"""

SHIFTS = "() => window.__bookShifts || []"


def gzipped(data: bytes) -> int:
    """The size of ``data`` gzipped at level 6 (a static host's usual setting).

    >>> gzipped(b"a" * 10000) < 100
    True
    """
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def cumulative_layout_shift(shifts: list[dict]) -> float:
    """CLS as Chromium reports it: the largest session window of shifts, a window closing
    after 1 s without a shift or 5 s after it opened.

    >>> cumulative_layout_shift([{"value": 0.05, "time": 0}, {"value": 0.05, "time": 500},
    ...                          {"value": 0.07, "time": 2000}])
    0.1
    >>> cumulative_layout_shift([])
    0.0
    """
    best = current = 0.0
    start = last = None
    for shift in sorted(shifts, key=lambda shift: shift["time"]):
        if start is None or shift["time"] - last > 1000 or shift["time"] - start > 5000:
            start, current = shift["time"], 0.0
        current += shift["value"]
        last = shift["time"]
        best = max(best, current)
    return round(best, 6)


def is_notebook_page(path: str) -> bool:
    return path.startswith("notebooks/")


def page_file(root: Path, path: str) -> Path:
    """The file of a page given as book.browser.site_pages gives it (``""``, ``"a/"``)."""
    return root / path if path.endswith(".html") else root / path / "index.html"


def static_failures(root: Path) -> tuple[list[str], dict[str, int]]:
    """The byte checks that need no browser: notebook pages' HTML and the search index.
    Returns the failures and the sizes measured."""
    failures, sizes = [], {}
    for path in site_pages(root):
        if not is_notebook_page(path):
            continue
        size = gzipped(page_file(root, path).read_bytes())
        sizes[f"/{path} HTML (gzipped)"] = size
        if size > NOTEBOOK_HTML:
            failures.append(f"/{path}: HTML is {size / KB:.0f} KB gzipped, "
                            f"above {NOTEBOOK_HTML / KB:.0f} KB")
    index = root / "search" / "search_index.json"
    if not index.is_file():
        failures.append(f"no search index at {index}")
        return failures, sizes
    size = index.stat().st_size
    sizes["search index (uncompressed)"] = size
    if size > SEARCH_INDEX:
        failures.append(f"search index is {size / KB:.0f} KB, above {SEARCH_INDEX / KB:.0f} KB")
    documents = json.loads(index.read_text(encoding="utf-8"))["docs"]
    pages = {document["location"].split("#")[0] for document in documents}
    for page in sorted(pages):
        if page.startswith("notebooks/"):
            failures.append(f"search index holds the notebook page {page} (its chapter's twin)")
    return failures, sizes


@dataclass
class Load:
    """What one visit of a page requested and how much its layout shifted."""

    files: dict[str, int] = field(default_factory=dict)  # path in the site -> gzipped bytes
    missing: list[str] = field(default_factory=list)  # requested, but no such file
    shifts: list[dict] = field(default_factory=list)
    done: bool = False  # measured: what the page requests later is not its first load

    @property
    def total(self) -> int:
        return sum(self.files.values())

    @property
    def cls(self) -> float:
        return cumulative_layout_shift(self.shifts)


class Visits:
    """Each page once per view, a few at a time, in one browser."""

    def __init__(self, root: Path, base: str, report: Report):
        self.root, self.base, self.report = root, base, report
        self.prefix = urlsplit(base).path
        self.loads: dict[tuple[str, str], Load] = {}
        self._sizes: dict[Path, int] = {}

    def _file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if not url.startswith(self.base.split(self.prefix)[0]) or parts.scheme not in (
                "http", "https"):
            return None
        path = unquote(parts.path)
        if not path.startswith(self.prefix):
            return None
        relative = path[len(self.prefix):]
        target = self.root / relative
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        return target

    def _size(self, file: Path) -> int:
        if file not in self._sizes:
            self._sizes[file] = gzipped(file.read_bytes())
        return self._sizes[file]

    async def visit(self, browser, path: str, view: str) -> None:
        name = f"/{path}"
        load = self.loads.setdefault((path, view), Load())
        context = await browser.new_context(**VIEWS[view])
        pending = {"last": time.monotonic()}

        async def route(route):
            file = self._file(route.request.url)
            if file is None:
                await route.abort()  # another host: book.browser reports these
                return
            pending["last"] = time.monotonic()
            shown = file.relative_to(self.root).as_posix()
            if load.done:
                pass  # measured already: the figure check asked for it
            elif file.is_file():
                load.files[shown] = self._size(file)
            elif shown not in load.missing:
                load.missing.append(shown)
            await route.continue_()

        await context.route("**/*", route)
        await context.add_init_script(OBSERVE_SHIFTS)
        page = await context.new_page()
        try:
            await page.goto(self.base + path, wait_until="load")
            await page.evaluate(WAIT_FOR_PAGE)
            while time.monotonic() - pending["last"] < SETTLE_MS / 1000:  # fonts, late images
                await asyncio.sleep(0.25)
            await page.evaluate(WAIT_FOR_PAGE)
            load.shifts = await page.evaluate(SHIFTS)
            load.done = True  # the figure check below loads every lazy image
            if view == "phone":
                for problem in await figure_text.problems(page, self.root, path):
                    self.report.fail(name, f"phone: {problem}")
        except Exception as error:  # reported with the page's other failures
            self.report.fail(name, f"{view}: check stopped: {type(error).__name__}: {error}")
        finally:
            await context.close()
        if load.total > FIRST_LOAD:
            biggest = sorted(load.files.items(), key=lambda item: -item[1])[:4]
            shown = ", ".join(f"{file} {size / KB:.0f} KB" for file, size in biggest)
            self.report.fail(name, f"{view}: first load {load.total / KB:.0f} KB gzipped, above "
                                   f"{FIRST_LOAD / KB:.0f} KB (largest: {shown})")
        if load.cls >= CLS:
            sources = sorted({source for shift in load.shifts for source in shift["sources"]})
            self.report.fail(name, f"{view}: layout shift (CLS) {load.cls:.3f}, not below {CLS} "
                                   f"(moved: {', '.join(sources[:6])})")


def table(pages: list[str], loads: dict[tuple[str, str], Load], root: Path) -> str:
    """The measurements, a line per page."""
    lines = [f"{'page':<46} {'HTML gz':>8} {'desktop':>8} {'phone':>8} {'CLS d':>6} {'CLS p':>6}"]
    for path in pages:
        html = gzipped(page_file(root, path).read_bytes())
        desktop, phone = loads.get((path, "desktop"), Load()), loads.get((path, "phone"), Load())
        lines.append(f"/{path:<45} {html / KB:>6.0f}KB {desktop.total / KB:>6.0f}KB "
                     f"{phone.total / KB:>6.0f}KB {desktop.cls:>6.3f} {phone.cls:>6.3f}")
    return "\n".join(lines)


async def run(root: Path, jobs: int, chromium: str | None, report: Report,
              pages: list[str]) -> Visits:
    from playwright.async_api import async_playwright

    with serve(root, site_prefix(root)) as base:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options(chromium))
            visits = Visits(root, base, report)
            limit = asyncio.Semaphore(jobs)

            async def limited(path, view):
                async with limit:
                    await visits.visit(browser, path, view)

            await asyncio.gather(*(limited(path, view) for path in pages for view in VIEWS))
            await browser.close()
    return visits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book.weight",
                                     description=__doc__.split("\n")[0])
    site_arguments(parser, "pages loaded at once")
    parser.add_argument("--only", nargs="+", metavar="PAGE",
                        help="load only these pages (as in the table: /03a-single-neuron/)")
    args = parser.parse_args(argv)
    root = site_root(parser, args)
    started = time.perf_counter()
    failures, sizes = static_failures(root)
    for what, size in sizes.items():
        print(f"{what}: {size / KB:.0f} KB")
    report = Report()
    pages = site_pages(root)
    if args.only:
        wanted = {page.strip("/") + ("/" if not page.endswith(".html") else "")
                  for page in args.only}
        pages = [path for path in pages if path in wanted or (path == "" and "/" in wanted)]
    visits = asyncio.run(run(root, args.jobs, args.chromium, report, pages))
    print(table(pages, visits.loads, root))
    for failure in failures:
        print(f"FAIL  {failure}")
    names = [f"/{path}" for path in pages]
    passed, failed = report.show([name for name in names if name in report.failures])
    print(f"weight: {len(pages)} pages, 2 views, in {time.perf_counter() - started:.1f} s; "
          f"{len(failures) + failed} failed")
    return 1 if failures or failed else 0


if __name__ == "__main__":
    sys.exit(main())
