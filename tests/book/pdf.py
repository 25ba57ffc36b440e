"""Print the whole book to one PDF through Chromium: ``nox -s pdf`` (and ``nox -s student``).

    PYTHONPATH=tests python -m book.pdf [--edition full|student] [--chromium PATH] [--discard]

1. builds the book with mkdocs-print.yml (``mkdocs build --strict``) into a temporary folder:
   a cover, a table of contents and every page of the navigation on one page, /print_page/
   (mkdocs-print-site-plugin), with the print styles (docs/stylesheets/print.css);
2. serves that folder on 127.0.0.1 and opens the print page in headless Chromium, in print
   media, and waits until the fonts are loaded and MathJax has typeset every formula;
3. prepares it: every fold open; a display formula wider than the text made smaller until it
   fits; the listings' empty line anchors taken out (they would be thousands of empty links);
   a link to something the PDF does not hold (a notebook, the student wheel) made an address
   on the published site; the document's title set;
4. checks it, and stops without a PDF, listing every failure, on: a console error or a page
   error; a request to another host; math left untypeset (``book.browser``'s check); a code
   block wider than its box (its lines would be cut at the margin); a formula still wider
   than the text; a link inside the page to an ``id`` that is not there;
5. prints it with Playwright's ``page.pdf``: A4, tagged for screen readers, bookmarks from the
   headings, the title and the page number at the foot of every page. The PDF goes to
   .cache/pdf/ with a record of the sources it was made from (book.pdf_hooks), which the
   site's build then copies into downloads/ and links from the home page.

Its size, its number of pages and the time each step took are printed. The browser is found
as ``book.browser`` finds it (``--chromium``, ``CHROMIUM``, /usr/bin/chromium, Playwright's).
tests/test_pdf.py checks the PDF itself. Playwright is imported only when a run starts.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from .browser import (
    UNTYPESET_MATH,
    WAIT_FOR_PAGE,
    choose_chromium,
    launch_options,
    serve,
    site_prefix,
)
from .pdf_hooks import EDITIONS, ROOT, cached_pdf, sources_digest, write_record


CONFIG = ROOT / "mkdocs-print.yml"
PRINT_PAGE = "print_page/"
TIMEOUT = 600_000  # ms: loading and printing 200 pages on a busy 2-core machine
FOOTER = (
    '<div style="width: 100%; margin: 0 15mm; font-size: 8pt; color: #555;'
    ' font-family: sans-serif; display: flex; justify-content: space-between">'
    '<span class="title"></span><span class="pageNumber"></span></div>'
)

# Folds open, listings' line anchors out, wide formulas smaller. Returns how many
# formulas it shrank and the smallest scale it used.
PREPARE = r"""() => {
  for (const fold of document.querySelectorAll("details")) fold.open = true;
  // A listing's line anchors (pymdownx.highlight's anchor_linenums) link each line to itself.
  for (const anchor of document.querySelectorAll("a[href*='__codelineno'], a[id*='__codelineno']"))
    anchor.replaceWith(...anchor.childNodes);
  // Two slips of mkdocs-print-site-plugin 2.9 when it joins the pages. (1) It prefixes the
  // heading ids with their page's key, but misses a heading that follows another tag on its
  // line (the API page's "Training"), whose links then miss it. (2) It points the API page's
  // optional cross-references that resolve to nothing (`float`, an attribute without an
  // entry) at "#name"; the site shows them as plain text, and so does the PDF.
  const missing = (link) => !document.getElementById(link.getAttribute("href").slice(1));
  for (const link of document.querySelectorAll("#print-site-page a[href^='#']")) {
    if (!missing(link)) continue;
    const target = link.getAttribute("href").slice(1);
    for (const page of document.querySelectorAll("section.print-page[id]")) {
      const heading = target.startsWith(`${page.id}-`) &&
        page.querySelector(`[id="${CSS.escape(target.slice(page.id.length + 1))}"]`);
      if (heading && /^H[1-6]$/.test(heading.tagName)) heading.id = target;
    }
    if (missing(link) && link.classList.contains("autorefs")) {
      const text = document.createElement("span");
      text.title = link.title || link.textContent;
      text.append(...link.childNodes);
      link.replaceWith(text);
    }
  }
  // Chromium's bookmarks join a heading's lines without the space where a line broke, unless
  // spaces are kept (white-space: pre-wrap); so the heading's own spacing is made plain first.
  for (const heading of document.querySelectorAll("#print-site-page :is(h1, h2, h3, h4, h5, h6)")) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let node; (node = walker.nextNode()); ) texts.push(node);
    for (const text of texts) text.data = text.data.replace(/\s+/g, " ");
    const shown = (text) => text.data.trim() && !text.parentElement.closest(".headerlink");
    const visible = texts.filter(shown);
    if (visible.length) {
      for (const text of texts.slice(0, texts.indexOf(visible[0]))) text.data = "";
      for (const text of texts.slice(texts.indexOf(visible.at(-1)) + 1)) text.data = "";
      visible[0].data = visible[0].data.trimStart();
      visible.at(-1).data = visible.at(-1).data.trimEnd();
    }
    heading.style.whiteSpace = "pre-wrap";
  }
  let shrunk = 0, smallest = 1;
  for (const box of document.querySelectorAll("div.arithmatex")) {
    const formula = box.querySelector("mjx-container");
    if (!formula) continue;
    for (let step = 0; step < 5 && formula.scrollWidth > box.clientWidth; step++) {
      const scale = box.clientWidth / formula.scrollWidth;
      const size = parseFloat(getComputedStyle(formula).fontSize) * scale * 0.98;
      formula.style.fontSize = `${size}px`;
      smallest = Math.min(smallest, size / parseFloat(getComputedStyle(box).fontSize));
      if (step === 0) shrunk++;
    }
  }
  return {shrunk, smallest};
}"""

# What would print wrong: code or formulas wider than their box, internal links with no target.
PROBLEMS = r"""() => {
  const found = [];
  const first = (text) => text.split("\n").find((line) => line.trim()) || "";
  const short = (text) => text.replace(/\s+/g, " ").trim().slice(0, 80);
  for (const code of document.querySelectorAll("#print-site-page pre > code"))
    if (code.scrollWidth > code.clientWidth + 1)
      found.push(`code wider than its box (${code.scrollWidth} > ${code.clientWidth} px): ` +
                 `"${short(first(code.textContent))}"`);
  for (const box of document.querySelectorAll("#print-site-page div.arithmatex")) {
    const formula = box.querySelector("mjx-container");
    if (formula && formula.scrollWidth > box.clientWidth + 1)
      found.push(`formula wider than the text: "${short(box.textContent)}"`);
  }
  for (const link of document.querySelectorAll("#print-site-page a[href^='#']")) {
    const target = decodeURIComponent(link.getAttribute("href").slice(1));
    if (target && !document.getElementById(target))
      found.push(`link to #${target}, which is not in the book ("${short(link.textContent)}")`);
  }
  return found;
}"""

# Links that leave the print page for the local server (a notebook, a file) would point to
# 127.0.0.1 in the PDF: they go to the same place on the published site instead.
OUTSIDE_LINKS = r"""([local, published]) => {
  const changed = [];
  for (const link of document.querySelectorAll("#print-site-page a[href]")) {
    if (link.getAttribute("href").startsWith("#") || !link.href.startsWith(local)) continue;
    const target = published + link.href.slice(local.length);
    changed.push(target);
    link.href = target;
  }
  return changed;
}"""


def site_url(site: Path) -> str:
    """The address the built site will be published at: its home page in sitemap.xml."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    match = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap)
    if not match:
        raise ValueError(f"{site / 'sitemap.xml'}: expected a <loc> with the site's address")
    return match[1] if match[1].endswith("/") else match[1].rsplit("/", 1)[0] + "/"


def build(site: Path, edition: str) -> None:
    """Build the print version of ``edition`` into ``site`` (the chapters run if stale)."""
    env = dict(os.environ, NN_FROM_SCRATCH_EDITION=edition)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
               str(CONFIG), "-d", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(f"the print build failed (mkdocs build -f {CONFIG.name}, see above)")
    if not (site / PRINT_PAGE / "index.html").is_file():
        raise SystemExit(f"the print build made no {PRINT_PAGE}index.html in {site}")


def print_pdf(site: Path, out: Path, title: str, chromium: str | None) -> list[str]:
    """Print the print page of the built ``site`` to ``out``; return the failures (then no PDF)."""
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    with serve(site, site_prefix(site)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(chromium))
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT)
        page.emulate_media(media="print")
        local = urlsplit(base)._replace(path="/").geturl()

        def route(route):
            if route.request.url.startswith(local):
                route.continue_()
            else:
                failures.append(f"request to another host (aborted): {route.request.url[:120]}")
                route.abort()

        page.route("**/*", route)
        page.on("console", lambda message: message.type == "error"
                and failures.append(f"console error: {message.text[:200]}"))
        page.on("pageerror", lambda error: failures.append(f"page error: {error}"))
        page.goto(base + PRINT_PAGE, wait_until="load")
        page.evaluate(WAIT_FOR_PAGE)
        failures += [f"{kind}: {what}" for kind, what in page.evaluate(UNTYPESET_MATH)]
        fitted = page.evaluate(PREPARE)
        print(f"  {fitted['shrunk']} display formulas made smaller to fit the text "
              f"(the smallest at {fitted['smallest']:.0%})")
        changed = page.evaluate(OUTSIDE_LINKS, [base, site_url(site)])
        print(f"  {len(changed)} links to the published site (what the PDF does not hold): "
              + ", ".join(sorted({url.removeprefix(site_url(site)) for url in changed})))
        page.evaluate("(title) => { document.title = title; }", title)
        failures += page.evaluate(PROBLEMS)
        if not failures:
            page.pdf(
                path=str(out),
                prefer_css_page_size=True,  # A4 and its margins from print.css
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                tagged=True,
                outline=True,
            )
        browser.close()
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book.pdf", description=__doc__.split("\n")[0])
    parser.add_argument("--edition", choices=EDITIONS, default="full")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM"),
                        help="a Chromium executable, or 'bundled' for Playwright's own")
    parser.add_argument("--discard", action="store_true",
                        help="only delete the edition's PDF (one that failed its checks)")
    args = parser.parse_args(argv)
    out = cached_pdf(args.edition)
    out.unlink(missing_ok=True)  # no PDF of older sources survives a failed run
    if args.discard:
        print(f"deleted {out.relative_to(ROOT)}")
        return 0
    chromium = choose_chromium(args.chromium)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    digest = sources_digest()  # the sources as the build reads them
    with tempfile.TemporaryDirectory(prefix="book-print-") as folder:
        site = Path(folder, "site")
        build(site, args.edition)
        built = time.perf_counter()
        print(f"print build ({args.edition} edition) in {built - started:.0f} s; printing")
        title = "Neural networks from scratch"
        if args.edition == "student":
            title += " (student edition)"
        failures = print_pdf(site, out, title, chromium)
    if failures:
        print(f"no PDF: {len(failures)} problems on the print page", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    write_record(args.edition, digest)
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)
    print(f"{out.relative_to(ROOT)}: {pages} pages, {out.stat().st_size / 1e6:.1f} MB; "
          f"printed in {time.perf_counter() - built:.0f} s, "
          f"{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
