// MathJax is served by the site itself (docs/javascripts/mathjax), so math renders offline.
// It typesets each page once when the page loads (the site does not use instant navigation).
//
// Two kinds of page hold math. On a chapter, pymdownx.arithmatex wraps each formula in an
// element of class "arithmatex", as \( \) or \[ \]. On a notebook page (mkdocs-jupyter), the
// Markdown cells keep $ $ and $$ $$ in class-less elements inside "jp-MarkdownOutput". So
// MathJax looks only inside those two classes (ignoreHtmlClass ".+" skips every element that
// has some other class, with all it holds), and knows both kinds of delimiter. A dollar that
// is not math stays out of reach: on a chapter it is outside any "arithmatex" element, in a
// notebook it stands alone in a <span> (tests/book/jupyter_markdown.py), and MathJax never
// pairs delimiters across elements.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput",
    // Formulas are no Tab stops (a keyboard would stop at each one, unnamed); screen readers
    // still read each formula from its assistive MathML.
    menuOptions: {settings: {inTabOrder: false, assistiveMml: true}},
  },
  // The page's content stays hidden until its formulas are typeset (overrides/main.html,
  // book.css), so nothing moves when they appear; then it is shown, typeset.
  startup: {
    pageReady: () => MathJax.startup.defaultPageReady().finally(() => {
      document.documentElement.classList.remove("book-typesetting");
    }),
  },
};
