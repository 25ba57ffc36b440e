"""Check every page of the built site in headless Chromium: ``nox -s browser``.

    PYTHONPATH=tests python -m book.browser SITE_DIR [--jobs N] [--pages REGEX] [--no-axe]

serves SITE_DIR on 127.0.0.1 (a free port, from a thread) and visits every
``index.html`` under it and ``404.html`` (notebook pages included) at 1366 x 768
with Playwright. A page fails on:

- a console error or an uncaught exception;
- a request to any host other than the local server (every such request is aborted);
- an ``<img>`` that did not load (``naturalWidth`` 0);
- math left untypeset: an ``.arithmatex`` element without MathJax's output in it, a
  MathJax error, ``\\(``, ``\\[`` or ``$$`` left in the text outside code, or, in a
  notebook's Markdown cells, ``$...$`` left;
- an internal ``<a href>`` whose page or file does not exist, whose ``#fragment`` is no
  ``id`` on its target, or which ends in ``.ipynb`` but does not serve a notebook
  (JSON, ``nbformat`` 4, cells), see ``book.site_links``;
- a fold (``<details>``) that does not open when its summary is clicked;
- a code block whose copy button is missing or copies something else than the block
  (every button is pressed; an example of a docstring on the API page must copy as code,
  without its prompts and output: ``session_code``), or, for a Python listing, text that
  ``compile()`` rejects (a ``pycon`` block's examples must compile);
- a code block wider than its box (``scrollWidth`` above ``clientWidth``);
- axe-core's WCAG 2.0 and 2.1 A and AA rules (axe from the pinned axe-playwright-python
  package, injected by the test, never from a CDN; ``AXE_EXCLUSIONS`` names what it may leave
  out, with the reason): in the light theme at 1366 x 768, in the dark one on the phone;
- the keyboard: Tab from the top round the page meets no empty stop and no formula, reaches
  every fold, and Enter closes and opens each; Enter on the first figure opens the lightbox,
  Escape closes it and focus is back on the figure.

Then on a phone (390 x 844, mobile emulation, dark theme), a page fails on:

- a formula, table or code block cut off (wider than a box that hides what overflows) or
  running past the screen's edge without a box that scrolls it; a code block that scrolls
  sideways without a cue at its edge;
- text in the page's main area, folds opened, below ``SMALLEST_TEXT_PX`` CSS px (formulas
  aside: their sub- and superscripts are smaller by design);
- the page scrolling sideways, there and at 320 px wide (WCAG 1.4.10);
- the navigation drawer's button not among the first Tab stops (each of them on the screen),
  Enter not opening the drawer with focus in it, or Escape not closing it with focus back on
  the button;
- a notebook page that does not open with its title;
- the first figure, tapped, not shown at its natural size in the lightbox (to be scrolled).

Material's search, typed into key by key, must find "sigmoid". A screenshot of each
page, taken at its full height in a tall viewport (a full-page capture would draw
the sticky header mid-page), goes to ``--screenshots`` (default
``.cache/browser/screenshots``). Every failure of a run is reported, by page; the
exit status is 1 if there was any.

The browser: the executable named by ``--chromium`` or the environment variable
``CHROMIUM``, else ``/usr/bin/chromium`` when it exists, else (or with the value
``bundled``) the Chromium that ``playwright install chromium`` downloads. Each run
starts it with a fresh temporary profile.

Playwright is imported only when a run starts, so that pytest's doctest collection
of this module does not need it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import doctest
import functools
import http.server
import os
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from .site_links import SiteLinks


VIEWPORT = {"width": 1366, "height": 768}
# A phone (mobile emulation), and the narrowest width WCAG 1.4.10 asks a page to reflow to.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1,
         "is_mobile": True, "has_touch": True}
NARROWEST = {"width": 320, "height": 640}
SMALLEST_TEXT_PX = 12  # on the phone, in the page's main area
TAB_LIMIT = 1500  # Tab presses before a walk that has not come round counts as endless
DRAWER_TABS = 20  # the header's stops and the drawer's button come within as many Tabs
SYSTEM_CHROMIUM = "/usr/bin/chromium"
# What Debian's Chromium needs to run headless in a container, offline, quietly.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SEARCH = "sigmoid"
SEARCH_CHECK = f"search {SEARCH!r}"  # the search's name in the report
TALLEST = 30000  # screenshots of taller pages are cut there (pixels)
CLICK_TIMEOUT = 5000  # ms: a fold or tab that cannot be clicked by then is a failure
SENTINEL = "\u2063nothing was copied\u2063"
THEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme: Material's scheme
# The WCAG 2.0 and 2.1 rules of levels A and AA that axe-core knows.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What axe may leave unreported: (rule, CSS selector of the element, why, upstream issue).
# Only Material's own markup that no CSS, override or hook of the book can change belongs here.
AXE_EXCLUSIONS: list[tuple[str, str, str, str]] = []

WAIT_FOR_PAGE = """async () => {
  await document.fonts.ready;
  const mathjax = window.MathJax;
  if (mathjax && mathjax.startup && mathjax.startup.promise) await mathjax.startup.promise;
  else if (mathjax && mathjax.Hub && mathjax.Hub.Queue)
    await new Promise((done) => mathjax.Hub.Queue(done));
}"""

BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  for (const image of images) image.loading = "eager";
  const settle = (image) => Promise.race([
    image.decode().catch(() => {}), new Promise((done) => setTimeout(done, 10000))]);
  await Promise.all(images.map(settle));
  return images.filter((image) => !image.complete || image.naturalWidth === 0)
    .map((image) => ({src: image.getAttribute("src") || "", alt: image.alt}));
}"""

UNTYPESET_MATH = r"""() => {
  const found = [];
  const short = (text) => text.replace(/\s+/g, " ").trim().slice(0, 90);
  const output = "mjx-container, .MathJax, .MathJax_CHTML, .MathJax_SVG";
  for (const element of document.querySelectorAll(".arithmatex"))
    if (!element.querySelector(output))
      found.push(["formula not typeset", short(element.textContent)]);
  for (const error of document.querySelectorAll("mjx-merror"))
    found.push(["MathJax error", short(error.getAttribute("data-mjx-error") || error.textContent)]);
  // An unknown command is no error for MathJax: it shows its name in red.
  for (const text of document.querySelectorAll("mjx-assistive-mml mtext[mathcolor='red']"))
    if (text.textContent.startsWith("\\"))
      found.push(["unknown TeX command", short(text.textContent)]);
  const skip = "script, style, pre, code, kbd, textarea, .arithmatex, .MathJax_Preview, " + output;
  const raw = /\\\(|\\\[|\$\$/;
  // $...$ as TeX reads it: no space inside either dollar, no digit after the closing one
  // (so "$24,200 and $3" is currency, not math).
  const dollars = /(^|[^\\$])\$(?=[^\s$])([^$\n]*?[^\s\\$])?\$(?!\d)/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const text = node.textContent;
    let match = text.match(raw);
    if (match) {
      const around = text.slice(Math.max(0, match.index - 30), match.index + 60);
      found.push(["raw TeX left in the text", `"${short(around)}"`]);
    } else if (parent.closest(".jp-MarkdownOutput") && (match = text.match(dollars))) {
      found.push(["$...$ left in a notebook cell", `"${short(match[0])}"`]);
    }
  }
  return found;
}"""

LINKS = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)"

FOLDS = """() => Array.from(document.querySelectorAll("details"), (fold, index) => {
  fold.dataset.bookFold = index;
  const summary = fold.querySelector(":scope > summary");
  return {open: fold.open, summary: summary ? summary.textContent.trim().slice(0, 60) : null};
})"""

# Every code block: its language, text and widths, and the tabs (ids of their radio inputs,
# outermost first) to click before it shows. Folds around it are opened (the fold check has
# clicked them all already; one that did not open is reported there). Its copy button is marked.
BLOCKS = """(only) => {
  const blocks = document.querySelectorAll("pre > code, .jp-Cell pre:not(:has(> code))");
  return Array.from(blocks, (block, index) => {
    if (only !== null && index !== only) return null;
    const tabs = [];
    for (let node = block; node; node = node.parentElement) {
      if (node.matches("details") && !node.open) node.open = true;
      if (node.matches(".tabbed-block")) {
        const position = Array.from(node.parentElement.children).indexOf(node);
        const set = node.parentElement.parentElement;
        const input = set.querySelectorAll(":scope > input")[position];
        if (input && !input.checked) tabs.unshift(input.id);
      }
    }
    const language = block.closest("[class*='language-']");
    const pre = block.closest("pre");
    // Material 9.7+ puts the copy button in a nav of the block; earlier versions a .md-clipboard.
    const button = pre && pre.querySelector("button[data-md-type='copy'], button.md-clipboard");
    if (button) button.dataset.bookCopy = index;
    return {
      index,
      tabs,
      language: language ? language.className.match(/language-(\\S+)/)[1] : "",
      text: block.textContent,
      scrollWidth: block.scrollWidth,
      clientWidth: block.clientWidth,
      shown: block.getClientRects().length > 0,
      notebook: block.closest(".jp-Cell") !== null,
      docstring: block.closest(".doc-contents") !== null,  // the API page's, from docstrings
      button: button !== null,
    };
  }).filter((block) => block !== null);
}"""

# axe-core (injected by the test from the pinned axe-playwright-python package, never from a
# CDN) on the whole page; the violations' elements that an exclusion names are left out.
AXE_RUN = """async ({tags, exclusions}) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  const excluded = (rule, node) => exclusions.some(([id, selector]) => {
    if (id !== rule) return false;
    const element = document.querySelector(node.target[node.target.length - 1]);
    return element !== null && element.closest(selector) !== null;
  });
  return result.violations.map((violation) => {
    const nodes = violation.nodes.filter((node) => !excluded(violation.id, node));
    return {
      id: violation.id, impact: violation.impact, count: nodes.length,
      samples: nodes.slice(0, 3).map((node) => [
        node.target.join(" "), (node.failureSummary || "").split("\\n").slice(1, 2).join("")]),
    };
  }).filter((violation) => violation.count > 0);
}"""

# On a phone: what in the page's main area cannot be read. Folds are opened first. A formula,
# table or code block whose content is wider than the screen must scroll (it or a box around
# it); text must be at least ``smallest`` CSS px (formulas aside: their sub- and superscripts
# are smaller by design). The page itself must not scroll sideways.
# An element named for a report: its tag, first two classes and first 40 characters of text.
DESCRIBE = """const describe = (element) => {
  const classes = typeof element.className === "string" && element.className.trim()
    ? "." + element.className.trim().split(/\\s+/).slice(0, 2).join(".") : "";
  const text = element.textContent.replace(/\\s+/g, " ").trim().slice(0, 40);
  return `${element.tagName.toLowerCase()}${classes} ${JSON.stringify(text)}`;
};"""

PHONE_LAYOUT = """(smallest) => {
  """ + DESCRIBE + """
  const main = document.querySelector(".md-content") || document.body;
  for (const fold of main.querySelectorAll("details")) fold.open = true;
  const problems = [];
  const root = document.documentElement;
  const wide = main.querySelectorAll(
    "mjx-container[display='true'], .md-typeset table, .md-typeset pre, .jp-Cell pre");
  for (const element of wide) {
    if (element.getClientRects().length === 0) continue;  // in a tab not shown
    // How far right what must be seen reaches: the content, then the box of what scrolls it.
    let right = element.getBoundingClientRect().left + element.scrollWidth, clipper = null;
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      const box = node.getBoundingClientRect();
      if (overflow === "auto" || overflow === "scroll") right = Math.min(right, box.right);
      else if ((overflow === "hidden" || overflow === "clip") &&
               right > box.left + node.clientWidth + 1) { clipper = node; break; }
    }
    if (clipper) problems.push(`${describe(element)} is cut off by ${describe(clipper)}`);
    else if (right > root.clientWidth + 1)
      problems.push(`${describe(element)} runs past the screen's edge (${Math.round(right)} px)`);
  }
  // A code block that scrolls sideways shows it: a shadow drawn behind text that scrolls over
  // it (book.css), so a "local" background.
  for (const code of main.querySelectorAll(".md-typeset pre > code")) {
    if (code.scrollWidth <= code.clientWidth + 1) continue;
    const attachments = getComputedStyle(code).backgroundAttachment.split(",");
    if (!attachments.some((attachment) => attachment.trim() === "local"))
      problems.push(`${describe(code)} scrolls sideways with no cue at its edge`);
  }
  const small = new Map();
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest("mjx-container, .MathJax, svg, .md-visually-hidden, script, style"))
      continue;
    const box = element.getBoundingClientRect();
    if (element.getClientRects().length === 0 || box.width <= 1 || box.height <= 1) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size >= smallest - 0.01) continue;
    const key = `${describe(element).split(" ")[0]} at ${size.toFixed(1)} px`;
    const seen = small.get(key) || {count: 0, sample: describe(element)};
    seen.count += 1;
    small.set(key, seen);
  }
  for (const [key, {count, sample}] of small)
    problems.push(`text below ${smallest} px: ${key} (${count}x, e.g. ${sample})`);
  return problems;
}"""

# The page's own scroll width: at 320 CSS px nothing may scroll sideways (WCAG 1.4.10). With
# it, the outermost elements that reach past the screen's right edge.
PAGE_WIDTH = """() => {
  """ + DESCRIBE + """
  const root = document.documentElement, edge = root.clientWidth + 1, wide = [];
  const walk = (element) => {
    for (const child of element.children) {
      const box = child.getBoundingClientRect();
      if (box.right > edge && box.width > 0 && wide.length < 3) {
        wide.push(`${describe(child)} (${Math.round(box.right)} px)`);
      } else if (getComputedStyle(child).overflowX === "visible") walk(child);
    }
  };
  if (root.scrollWidth > edge) walk(document.body);
  return [root.scrollWidth, root.clientWidth, wide];
}"""

# A notebook page opens with the chapter's title: its first cell is Markdown starting with h1.
NOTEBOOK_TITLE = """() => {
  """ + DESCRIBE + """
  const cell = document.querySelector(".jp-Cell");
  if (!cell) return "no cell";
  const first = cell.querySelector("h1, h2, h3, h4, pre");
  const title = cell.classList.contains("jp-MarkdownCell") && first && first.tagName === "H1";
  return title ? null : describe(cell);
}"""

# Records each element the keyboard's focus lands on (window.__bookTabs), described for a
# report; one it has landed on before is {again: true}, which ends a walk.
TAB_RECORDER = """() => {
  window.__bookTabs = [];
  if (window.__bookTabsOn) return;
  window.__bookTabsOn = true;
  const describe = (element) => {
    if (element.dataset.bookTab !== undefined) return {again: true};
    element.dataset.bookTab = "";
    const labelledBy = element.getAttribute("aria-labelledby");
    const label = element.getAttribute("aria-label") || element.getAttribute("title") ||
      (labelledBy && document.getElementById(labelledBy)?.textContent) ||
      Array.from(element.labels || [], (label) => label.textContent).join(" ") ||
      element.textContent || Array.from(element.querySelectorAll("img[alt]"),
                                        (image) => image.alt).join(" ");
    // A radio button of Material's theme toggle is hidden behind its label: its form shows.
    const visible = element.matches("input.md-option") ? element.parentElement : element;
    const box = visible.getBoundingClientRect();
    return {
      tag: element.tagName.toLowerCase(),
      name: (label || "").replace(/\\s+/g, " ").trim().slice(0, 50),
      fold: element.matches("details > summary") ? element.parentElement.dataset.bookFold ?? ""
                                                 : null,
      // MathJax's own output; the box of a formula that scrolls sideways may take focus.
      math: element.closest("mjx-container, .MathJax") !== null &&
        element.scrollWidth <= element.clientWidth,
      drawer: element.matches(".book-drawer-button"),
      content: element.closest(".md-content") !== null,
      search: element.closest(".md-search") !== null,
      shown: box.width > 0 && box.height > 0 &&
        getComputedStyle(visible).visibility !== "hidden" &&
        box.right > 0 && box.left < window.innerWidth,
    };
  };
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLElement) window.__bookTabs.push(describe(event.target));
  }, true);
}"""
TAB_CHUNK = 25  # Tab presses between two readings of where focus went

SEARCH_RESULTS = """() => Array.from(document.querySelectorAll(".md-search-result__item"),
                                    (item) => item.textContent.trim().slice(0, 60))"""


class Report:
    """The failures of a run, by page, with each page's time."""

    def __init__(self):
        self.failures: dict[str, list[str]] = defaultdict(list)
        self.seconds: dict[str, float] = {}
        self.axe: dict[str, int] = defaultdict(int)  # elements in violation, by theme

    def fail(self, page: str, message: str) -> None:
        if message not in self.failures[page]:
            self.failures[page].append(message)

    def show(self, names: list[str], out=sys.stdout) -> tuple[int, int]:
        """Print the result of each check (a page, the search), in the order of ``names``;
        return how many passed and how many failed."""
        passed = failed = 0
        for name in names:
            seconds = f" ({self.seconds[name]:.1f} s)" if name in self.seconds else ""
            messages = self.failures.get(name, [])
            print(f"{'FAIL' if messages else 'ok  '}  {name}{seconds}", file=out)
            for message in messages:
                print(f"        - {message}", file=out)
            passed, failed = passed + (not messages), failed + bool(messages)
        return passed, failed


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/"):
    """Serve ``root`` at ``http://127.0.0.1:PORT{prefix}`` (a free port) from a thread; yield
    that address. Nothing is served outside ``prefix``, as on a host that serves the site under a
    sub-path (GitHub Pages serves a project's site under ``/<repository>/``)."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix: expected a path that starts and ends with '/', got {prefix!r}")
    handler = functools.partial(_Handler, prefix, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A page closed while a file was still being sent: nothing went wrong with the site.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, prefix, *args, **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def send_head(self):
        if not self.path.startswith(self.prefix):
            self.send_error(404, f"outside the site's path {self.prefix}")
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format, *args):  # noqa: A002 - the name the base class uses
        pass


def site_prefix(root: Path) -> str:
    """The path the site expects to be served under: that of its home page in sitemap.xml
    (from ``site_url``), ``/`` if there is none."""
    sitemap = root / "sitemap.xml"
    if sitemap.is_file():
        match = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap.read_text(encoding="utf-8"))
        if match:
            path = urlsplit(match[1]).path or "/"
            return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return "/"


def site_pages(root: Path) -> list[str]:
    """The site's pages as paths from its top: ``""``, ``"03a-single-neuron/"``, ``"404.html"``."""
    pages = sorted(
        "" if path.parent == root else f"{path.parent.relative_to(root).as_posix()}/"
        for path in root.rglob("index.html")
    )
    if (root / "404.html").is_file():
        pages.append("404.html")
    return pages


def choose_chromium(name: str | None) -> str | None:
    """The Chromium to launch: a path, or None for Playwright's own."""
    if name == "bundled":
        return None
    if name:
        if not Path(name).is_file():
            raise SystemExit(f"CHROMIUM: expected a Chromium executable or 'bundled', got {name!r}")
        return name
    return SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).is_file() else None


def listing_problem(language: str, copied: str, shown: str, name: str) -> str | None:
    """What is wrong with what a copy button copied, or None.

    >>> listing_problem("python", "x = 1\\n", "x = 1\\n", "block")
    >>> listing_problem("python", "x = (1\\n", "x = (1\\n", "block")[:32]
    'copied listing does not compile:'
    >>> listing_problem("pycon", ">>> print(1\\n1\\n", ">>> print(1\\n1\\n", "block")[:32]
    'copied listing does not compile:'
    >>> listing_problem("text", "a", "b", "block")
    "copied text differs from the block's: 'a' instead of 'b'"
    """
    if copied.rstrip() != shown.rstrip():
        return f"copied text differs from the block's: {copied[:80]!r} instead of {shown[:80]!r}"
    sources = [copied]
    if language == "pycon":
        sources = [example.source for example in doctest.DocTestParser().get_examples(copied)]
    elif language not in ("python", "py", "python3"):
        return None
    elif re.search(r"^[ \t]*# \.\.\.$", copied, re.M):
        return None  # an excerpt (its "# ..." lines mark what it leaves out): pages.py checks it
    for source in sources:
        try:
            compile(source, name, "exec")
        except (SyntaxError, ValueError) as error:
            where = f"line {error.lineno}: " if getattr(error, "lineno", None) else ""
            return f"copied listing does not compile: {where}{getattr(error, 'msg', error)}"
    return None


def session_code(session: str) -> str:
    """The code of an interpreter session (an example of a docstring): what its copy button
    must copy, the ``>>>`` and ``...`` prompts and the printed output left out.

    >>> session_code(">>> x = [1,\\n...      2]\\n>>> x\\n[1, 2]\\n")
    'x = [1,\\n     2]\\nx\\n'
    """
    return "".join(example.source for example in doctest.DocTestParser().get_examples(session))


def axe_script() -> str:
    """axe-core's source, from the axe-playwright-python package the browser session pins."""
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def first_line(text: str) -> str:
    line = next((line for line in text.splitlines() if line.strip()), "")
    return line.strip()[:70]


class Run:
    """One browser, many pages checked at once, the clipboard used by one page at a time."""

    def __init__(self, root: Path, base: str, report: Report, shots: Path | None,
                 axe: bool = True):
        self.root, self.base, self.report, self.shots = root, base, report, shots
        self.axe = axe
        self.links = SiteLinks(root, base)
        self.clipboard = asyncio.Lock()
        self.axe_source = axe_script() if axe else ""

    async def route(self, name: str, route) -> None:
        """Let a request to the local server through; abort and report any other."""
        if self.links.is_internal(route.request.url):
            await route.continue_()
            return
        self.report.fail(name, f"request to another host (aborted): {route.request.url[:120]}")
        await route.abort()

    async def new_page(self, browser, name: str, **options):
        """A page in a context of its own: its own window, so that it is never a background tab
        (whose animation frames Chromium pauses, stalling Playwright's clicks)."""
        options = {"viewport": VIEWPORT, **options}
        context = await browser.new_context(
            permissions=["clipboard-read", "clipboard-write"], **options
        )
        # Routed in the context, so that its workers' requests are caught too.
        await context.route("**/*", functools.partial(self.route, name))
        return await context.new_page()

    async def check(self, browser, path: str) -> None:
        name = f"/{path}"
        started = time.perf_counter()
        page = await self.new_page(browser, name)
        page.set_default_timeout(15000)
        page.on("console", lambda message: self._console(name, message))
        page.on("pageerror", lambda error: self.report.fail(name, f"page error: {error}"))
        try:
            response = await page.goto(self.base + path, wait_until="load")
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                self.report.fail(name, f"page not served: {status}")
                return
            await page.evaluate(WAIT_FOR_PAGE)
            await self._images(page, name)
            await self._math(page, name)
            await self._links(page, name)
            await self._screenshot(page, path)
            if self.axe:
                await self._axe(page, name, "light")
            await self._folds(page, name)
            await self._blocks(page, name)
            await self._keyboard(page, name)  # last: the walk takes focus out of the page
        except Exception as error:  # report it with the page's other failures, go on
            self.report.fail(name, f"check stopped: {type(error).__name__}: {error}")
        finally:
            await page.context.close()
        await self.check_phone(browser, path, name)
        self.report.seconds[name] = time.perf_counter() - started

    async def open(self, browser, path: str, name: str, **options):
        """The page ``path`` loaded and typeset in a new context; None if it was not served."""
        page = await self.new_page(browser, name, **options)
        page.set_default_timeout(15000)
        page.on("console", lambda message: self._console(name, message))
        page.on("pageerror", lambda error: self.report.fail(name, f"page error: {error}"))
        response = await page.goto(self.base + path, wait_until="load")
        if response is None or response.status != 200:
            await page.context.close()
            return None
        await page.evaluate(WAIT_FOR_PAGE)
        return page

    async def check_phone(self, browser, path: str, name: str) -> None:
        """The page on a phone, in the dark theme (which Material picks for a reader whose
        system prefers it and who has not chosen with the toggle): axe, what cannot be read
        at 390 x 844, the drawer by keyboard, and no sideways scrolling at 320 px."""
        try:
            page = await self.open(browser, path, name, color_scheme="dark", **PHONE)
        except Exception as error:
            self.report.fail(name, f"phone: page not loaded: {type(error).__name__}: {error}")
            return
        if page is None:
            return
        try:
            if self.axe:
                await self._axe(page, name, "dark")
            if path.startswith("notebooks/"):
                problem = await page.evaluate(NOTEBOOK_TITLE)
                if problem:
                    self.report.fail(name, f"phone: the notebook does not open with its title: "
                                           f"its first cell is {problem}")
            await self._drawer(page, name)
            await self._phone_lightbox(page, name)
            for problem in await page.evaluate(PHONE_LAYOUT, SMALLEST_TEXT_PX):
                self.report.fail(name, f"phone: {problem}")
            await self._page_width(page, name, "phone")
            await page.set_viewport_size(NARROWEST)
            await self._page_width(page, name, f"at {NARROWEST['width']} px")
        except Exception as error:
            self.report.fail(name, f"phone: check stopped: {type(error).__name__}: {error}")
        finally:
            await page.context.close()

    async def _page_width(self, page, name, where: str) -> None:
        width, shown, wide = await page.evaluate(PAGE_WIDTH)
        if width > shown + 1:
            self.report.fail(name, f"{where}: the page scrolls sideways: {width} px wide in "
                                   f"{shown} ({', '.join(wide) or '?'})")

    async def _tab_stops(self, page, limit: int):
        """Press Tab until focus comes round to a stop it has been on, ``limit`` presses at
        most; yield what each stop is (TAB_RECORDER). Chromium goes on from the last element
        clicked: the walk passes the end of the page and starts again at the top."""
        await page.evaluate(TAB_RECORDER)
        await page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        pressed = 0
        while pressed < limit:
            for _ in range(min(TAB_CHUNK, limit - pressed)):
                await page.keyboard.press("Tab")
            pressed += TAB_CHUNK
            stops = await page.evaluate("() => window.__bookTabs.splice(0)")
            if not stops:
                return  # nothing on the page takes focus
            for stop in stops:
                if stop.get("again"):
                    return
                yield stop

    async def _keyboard(self, page, name) -> None:
        """The Tab walk on the open page (its folds opened by the fold check): no empty stop,
        no formula a stop, every fold reached and toggled by Enter."""
        folds = set(await page.evaluate(
            "() => Array.from(document.querySelectorAll('details[data-book-fold]'),"
            " (fold) => fold.dataset.bookFold)"))
        reached, steps = set(), 0
        unnamed, formulas = [], 0
        async for stop in self._tab_stops(page, TAB_LIMIT):
            steps += 1
            if stop["math"]:
                formulas += 1
            elif not stop["name"]:
                unnamed.append(stop["tag"])
            if stop["fold"] is not None:
                reached.add(stop["fold"])
        if steps >= TAB_LIMIT:
            self.report.fail(name, f"keyboard: Tab did not come round in {TAB_LIMIT} presses")
        if formulas:
            self.report.fail(name, f"keyboard: {formulas} formulas are Tab stops")
        if unnamed:
            self.report.fail(name, f"keyboard: {len(unnamed)} Tab stops without a name: "
                                   f"{', '.join(sorted(set(unnamed)))}")
        for fold in sorted(folds - reached, key=int):
            self.report.fail(name, f"keyboard: fold {fold} is not reached with Tab")
        for fold in sorted(folds & reached, key=int):
            summary = f'[data-book-fold="{fold}"] > summary'
            for expected in (False, True):  # open now: Enter closes it, then opens it again
                await page.focus(summary)
                await page.keyboard.press("Enter")
                if await page.eval_on_selector(summary, "s => s.parentElement.open") != expected:
                    state = "open" if expected else "close"
                    self.report.fail(name, f"keyboard: fold {fold} does not {state} with Enter")
                    break
        await self._lightbox(page, name)

    async def _lightbox(self, page, name) -> None:
        """The first figure that opens larger: Enter opens it, Escape closes it, and focus is
        back on the figure."""
        link = "a.glightbox"
        if await page.query_selector(link) is None:
            return
        await page.focus(link)
        await page.keyboard.press("Enter")
        try:
            await page.wait_for_selector(".glightbox-container .gslide.current img",
                                         state="visible", timeout=CLICK_TIMEOUT)
        except Exception:
            self.report.fail(name, "keyboard: Enter on a figure does not open the lightbox")
            return
        await page.keyboard.press("Escape")
        try:
            await page.wait_for_selector(".glightbox-container", state="detached",
                                         timeout=CLICK_TIMEOUT)
        except Exception:
            self.report.fail(name, "keyboard: Escape does not close the lightbox")
            return
        if not await page.evaluate(f"() => document.activeElement?.matches('{link}')"):
            self.report.fail(name, "keyboard: after the lightbox closes, focus is not on its "
                                   "figure")

    async def _phone_lightbox(self, page, name) -> None:
        """On the phone, the first figure opened by a tap shows at its natural size, in a box
        that scrolls across it."""
        if await page.query_selector("a.glightbox") is None:
            return
        await page.click("a.glightbox", timeout=CLICK_TIMEOUT)
        image = ".glightbox-container .gslide.current img"
        try:
            await page.wait_for_selector(image, state="visible", timeout=CLICK_TIMEOUT)
            await page.wait_for_timeout(600)  # GLightbox's opening animation
        except Exception:
            self.report.fail(name, "phone: a tap on a figure does not open the lightbox")
            return
        shown, natural, reach = await page.eval_on_selector(image, """(image) => {
          const box = image.closest(".gslide-image");
          return [image.getBoundingClientRect().width, image.naturalWidth, box.scrollWidth];
        }""")
        if abs(shown - natural) > 1 or reach < natural - 1:
            self.report.fail(name, f"phone: the lightbox shows the figure {shown:.0f} px wide "
                                   f"(scrolling to {reach} px), not at its natural {natural} px")
        await page.keyboard.press("Escape")
        await page.wait_for_selector(".glightbox-container", state="detached",
                                     timeout=CLICK_TIMEOUT)

    async def _drawer(self, page, name) -> None:
        """On the phone: the navigation drawer's button within the first Tab stops, and every
        stop before the page's content on the screen (the closed drawer's links are none);
        Enter opens the drawer with focus in it, Escape closes it with focus back on the
        button."""
        button = ".book-drawer-button"  # javascripts/keyboard.js makes it
        found = False
        async for stop in self._tab_stops(page, DRAWER_TABS):
            if stop["content"]:
                break
            # Material's search opens when its field takes focus, and its results show as the
            # dialog slides in: whether they are on the screen yet is a matter of timing.
            if not stop["shown"] and not stop["search"]:
                where = "after" if found else "before"
                self.report.fail(name, f"phone keyboard: a Tab stop not on the screen {where} "
                                       f"the drawer's button: {stop['tag']} {stop['name']!r}")
            if stop["drawer"] and not stop["name"]:
                self.report.fail(name, "phone keyboard: the drawer's button has no name")
            found = found or stop["drawer"]
        if not found:
            self.report.fail(name, f"phone keyboard: the navigation drawer's button is not "
                                   f"among the first {DRAWER_TABS} Tab stops")
            return
        await page.focus(button)  # the walk went on past it
        await page.keyboard.press("Enter")
        try:
            await page.wait_for_function(
                "() => document.getElementById('__drawer').checked &&"
                " document.activeElement.closest('.md-sidebar--primary') !== null",
                timeout=CLICK_TIMEOUT)
        except Exception:
            self.report.fail(name, "phone keyboard: Enter on the drawer's button does not open "
                                   "the drawer with focus in it")
            return
        await page.keyboard.press("Escape")
        closed = await page.evaluate(
            f"() => !document.getElementById('__drawer').checked &&"
            f" document.activeElement.matches(\"{button}\")")
        if not closed:
            self.report.fail(name, "phone keyboard: Escape does not close the drawer and give "
                                   "focus back to its button")

    async def _axe(self, page, name, theme: str) -> None:
        scheme = await page.evaluate("document.body.dataset.mdColorScheme")
        if scheme != THEMES[theme]:
            self.report.fail(name, f"{theme} theme: Material shows the scheme {scheme!r}, "
                                   f"expected {THEMES[theme]!r}")
            return
        await page.add_script_tag(content=self.axe_source)
        exclusions = [[rule, selector] for rule, selector, _, _ in AXE_EXCLUSIONS]
        violations = await page.evaluate(AXE_RUN, {"tags": AXE_TAGS, "exclusions": exclusions})
        for violation in violations:
            self.report.axe[theme] += violation["count"]
            samples = "; ".join(f"{target} ({why})" if why else target
                                for target, why in violation["samples"])
            self.report.fail(name, f"axe, {theme} theme: {violation['id']} "
                                   f"({violation['impact']}), {violation['count']} elements: "
                                   f"{samples[:300]}")

    def _console(self, name, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.report.fail(name, f"console error: {message.text[:200]} ({where})")

    async def _images(self, page, name) -> None:
        for image in await page.evaluate(BROKEN_IMAGES):
            src, alt = image["src"][:100], image["alt"]
            self.report.fail(name, f"image did not load: {src} (alt {alt!r})")

    async def _math(self, page, name) -> None:
        samples: dict[str, list[str]] = defaultdict(list)
        for kind, sample in await page.evaluate(UNTYPESET_MATH):
            samples[kind].append(sample)
        for kind, found in samples.items():
            more = f"; ... ({len(found)} in all)" if len(found) > 3 else ""
            self.report.fail(name, f"{kind}: {'; '.join(found[:3])}{more}")

    async def _links(self, page, name) -> None:
        counts: dict[str, int] = defaultdict(int)
        for href in await page.evaluate(LINKS):
            if self.links.is_internal(href):
                counts[href] += 1
        for href, count in counts.items():
            problem = await asyncio.to_thread(self.links.problem, href)
            if problem:
                times = f" ({count} links)" if count > 1 else ""
                shown = href.removeprefix(self.base.rstrip("/"))  # from the site's top
                self.report.fail(name, f"broken link {shown}: {problem}{times}")

    async def _screenshot(self, page, path: str) -> None:
        if self.shots is None:
            return
        height = await page.evaluate("document.documentElement.scrollHeight")
        await page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, TALLEST)})
        stem = path.strip("/").replace("/", "-").removesuffix(".html") or "index"
        # JPEG: about half the time PNG takes for these tall pages (measured: 0.9 s, 1.7 s).
        await page.screenshot(path=str(self.shots / f"{stem}.jpg"), type="jpeg", quality=85)
        await page.set_viewport_size(VIEWPORT)

    async def _folds(self, page, name) -> None:
        for index, fold in enumerate(await page.evaluate(FOLDS)):
            selector = f'[data-book-fold="{index}"]'
            label = f"fold {fold['summary']!r}"
            if fold["summary"] is None:
                self.report.fail(name, f"fold {index} has no summary to click")
                continue
            # An open fold must close and open again; a closed one must open.
            for expected in [False, True] if fold["open"] else [True]:
                try:
                    await page.click(f"{selector} > summary", force=True, timeout=CLICK_TIMEOUT)
                except Exception as error:
                    problem = f"summary not clickable ({type(error).__name__})"
                    self.report.fail(name, f"{label}: {problem}")
                    break
                if await page.eval_on_selector(selector, "fold => fold.open") != expected:
                    state = "open" if expected else "close"
                    self.report.fail(name, f"{label} does not {state} on click")
                    break
            await page.eval_on_selector(selector, "fold => { fold.open = true; }")

    async def _blocks(self, page, name) -> None:
        switched = False
        for block in await page.evaluate(BLOCKS, None):
            if switched:  # linked tabs switch together: a tab clicked before may hide this block
                (block,) = await page.evaluate(BLOCKS, block["index"])
            if block["tabs"]:
                for tab in block["tabs"]:
                    await page.click(f'label[for="{tab}"]', timeout=CLICK_TIMEOUT)
                switched = True
                (block,) = await page.evaluate(BLOCKS, block["index"])  # measured as shown now
            await self._block(page, name, block)

    async def _block(self, page, name, block) -> None:
        line = first_line(block["text"])
        kind = "notebook cell" if block["notebook"] else block["language"] or "plain"
        label = f"code block {block['index'] + 1} ({kind}, {line!r})"
        if not block["shown"]:
            self.report.fail(name, f"{label} is not shown after opening its folds and tabs")
            return
        if block["scrollWidth"] > block["clientWidth"]:
            self.report.fail(
                name,
                f"{label} wider than its box: scrollWidth {block['scrollWidth']} > "
                f"clientWidth {block['clientWidth']}",
            )
        if block["notebook"]:
            return  # a notebook's cells have no copy button
        if not block["button"]:
            self.report.fail(name, f"{label} has no copy button")
            return
        async with self.clipboard:  # one clipboard for the whole browser
            await page.evaluate("text => navigator.clipboard.writeText(text)", SENTINEL)
            # force: no waiting for Playwright's actionability checks, but still a real click
            # at the button's place: a covered or hidden button copies nothing.
            await page.click(f'[data-book-copy="{block["index"]}"]', force=True,
                             timeout=CLICK_TIMEOUT)
            copied = await page.evaluate("() => navigator.clipboard.readText()")
        if copied == SENTINEL:
            self.report.fail(name, f"{label}: its copy button copied nothing")
            return
        shown, language = block["text"], block["language"]
        if block["docstring"] and language == "pycon":  # copied as code: no prompts, no output
            shown, language = session_code(shown), "python"
        problem = listing_problem(language, copied, shown, f"{name} {label}")
        if problem:
            self.report.fail(name, f"{label}: {problem}")

    async def search(self, browser) -> None:
        name = SEARCH_CHECK
        page = await self.new_page(browser, name)
        try:
            await page.goto(self.base, wait_until="load")
            await page.click("input.md-search__input")
            await page.keyboard.type(SEARCH, delay=20)  # Material reacts to keys, not to fill()
            try:
                await page.wait_for_selector(".md-search-result__item", timeout=10000)
            except Exception:
                self.report.fail(name, "no search results")
                return
            results = await page.evaluate(SEARCH_RESULTS)
            print(f"search {SEARCH!r}: {len(results)} results, first {results[0]!r}")
        except Exception as error:
            self.report.fail(name, f"search not usable: {type(error).__name__}: {error}")
        finally:
            await page.context.close()


async def run(root: Path, jobs: int, shots: Path | None, chromium: str | None,
              pages: list[str], axe: bool = True) -> Report:
    from playwright.async_api import async_playwright

    report = Report()
    with serve(root, site_prefix(root)) as base:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options(chromium))
            print(f"Chromium {browser.version} ({chromium or 'Playwright'}), {base}, "
                  f"{len(pages)} pages, {VIEWPORT['width']}x{VIEWPORT['height']}, {jobs} at a time")
            checker = Run(root, base, report, shots, axe)
            limit = asyncio.Semaphore(jobs)

            async def limited(job):
                async with limit:
                    await job

            await asyncio.gather(
                limited(checker.search(browser)),
                *(limited(checker.check(browser, path)) for path in pages),
            )
            await browser.close()
    return report


def launch_options(chromium: str | None) -> dict:
    """Playwright's launch options for ``chromium`` (a path; None: Playwright's own).

    >>> launch_options(None)
    {'headless': True}
    """
    if chromium is None:
        return {"headless": True}
    return {"headless": True, "executable_path": chromium, "args": FLAGS}


def site_arguments(parser: argparse.ArgumentParser, jobs: str) -> None:
    """The arguments every run over the built site takes: the site, ``--jobs``, ``--chromium``
    (default: the environment variable ``CHROMIUM``)."""
    parser.add_argument("site", type=Path, help="the built site's folder")
    parser.add_argument("--jobs", type=int, default=3, help=f"{jobs} (default 3)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM"),
                        help="a Chromium executable, or 'bundled' for Playwright's own")


def site_root(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path:
    """The site's folder, once the arguments of ``site_arguments`` are checked; ``args.chromium``
    becomes the executable to launch (None: Playwright's own)."""
    root = args.site.resolve()
    if not (root / "index.html").is_file():
        parser.error(f"expected a built site (a folder with index.html), got {args.site}")
    if args.jobs < 1:
        parser.error(f"--jobs: expected 1 or more, got {args.jobs}")
    args.chromium = choose_chromium(args.chromium)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m book.browser", description=__doc__.split("\n")[0]
    )
    site_arguments(parser, "pages checked at once")
    parser.add_argument("--screenshots", type=Path, default=Path(".cache/browser/screenshots"))
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--no-axe", dest="axe", action="store_false",
                        help="leave out axe-core (WCAG 2.0/2.1 A and AA, both themes)")
    parser.add_argument("--pages", metavar="REGEX",
                        help="check only the pages whose path from the site's top matches")
    args = parser.parse_args(argv)
    root = site_root(parser, args)
    shots = None if args.no_screenshots else args.screenshots.resolve()
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        for old in shots.glob("*.jpg"):  # of pages that may be gone
            old.unlink()
    started = time.perf_counter()
    paths = site_pages(root)
    if args.pages is not None:
        paths = [path for path in paths if re.search(args.pages, path)]
        if not paths:
            parser.error(f"--pages: expected a pattern that matches a page, got {args.pages!r}")
    report = asyncio.run(run(root, args.jobs, shots, args.chromium, paths,
                             args.axe))
    pages = [f"/{path}" for path in paths]
    passed, failed = report.show([*pages, SEARCH_CHECK])
    if shots is not None:
        print(f"screenshots in {shots}")
    if args.axe:
        counts = ", ".join(f"{theme} {report.axe[theme]}" for theme in THEMES)
        print(f"axe-core ({', '.join(AXE_TAGS)}): elements in violation: {counts}")
    print(f"{len(pages)} pages and the search in {time.perf_counter() - started:.1f} s")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
