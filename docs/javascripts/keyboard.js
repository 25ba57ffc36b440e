// What a reader with a keyboard needs that Material's markup does not give.
// - The button that opens the navigation drawer on a narrow screen is a <label> of a hidden
//   checkbox, which takes no focus: it becomes a named button that Tab reaches, Enter or Space
//   opens (Material clicks a focused label on Enter), and Escape closes again, focus going into
//   the drawer and back to the button.
// - A code block, table, formula or row of tabs that scrolls sideways takes focus, so that the arrow keys
//   scroll it. Material does this for code only where the screen has a pointer that hovers; a
//   tablet with a keyboard, or a phone's screen reader, needs it too.
// - A figure opened in the lightbox (GLightbox) closes with Escape; focus then returns to the
//   figure's link, where the reader was.
(() => {
  const drawer = () => document.getElementById("__drawer");
  const setUpDrawerButton = () => {
    const button = document.querySelector("label.md-header__button[for='__drawer']");
    const toggle = drawer();
    if (!button || !toggle || button.hasAttribute("tabindex")) return;
    button.setAttribute("tabindex", "0");
    button.setAttribute("role", "button");
    button.setAttribute("aria-label", "Navigation");
    button.setAttribute("aria-expanded", String(toggle.checked));
    toggle.addEventListener("change", () => {
      button.setAttribute("aria-expanded", String(toggle.checked));
      // Opened from the keyboard: focus goes to the drawer's first link that shows (the
      // current page's link gives way to a label that opens its contents).
      if (toggle.checked && document.activeElement === button) {
        const links = document.querySelectorAll(
          ".md-sidebar--primary :is(a.md-nav__link[href], label.md-nav__link[tabindex])");
        const first = Array.from(links).find((link) => link.getClientRects().length > 0);
        if (first) first.focus();
      }
    });
    // Enter on a focused label is Material's own (it clicks it); Space is not.
    button.addEventListener("keydown", (event) => {
      if (event.key !== " ") return;
      event.preventDefault();
      toggle.click();
    });
  };
  document.addEventListener("keydown", (event) => {
    const toggle = drawer();
    if (event.key !== "Escape" || !toggle || !toggle.checked) return;
    toggle.click();
    const button = document.querySelector("label.md-header__button[for='__drawer']");
    if (button) button.focus();
  });

  let opener = null;  // the figure link that opened the lightbox
  const remember = (event) => {
    const link = event.target instanceof Element ? event.target.closest("a.glightbox") : null;
    if (link) opener = link;
  };
  document.addEventListener("click", remember, true);
  document.addEventListener("keydown", (event) => { if (event.key === "Enter") remember(event); },
                            true);
  new MutationObserver(() => {
    if (opener && !document.querySelector(".glightbox-container")) {
      opener.focus();
      opener = null;
    }
  }).observe(document.body, {childList: true});

  const scrollers = [
    ".md-typeset pre > code", ".md-typeset__scrollwrap", ".md-typeset div.arithmatex",
    ".md-typeset .tabbed-labels",  // a row of tabs wider than the screen
    ".jupyter-wrapper mjx-container[display='true']",  // book.css makes them scroll
  ].join(", ");
  const focusable = (box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex"))
      box.setAttribute("tabindex", "0");
  };
  const scrolling = new ResizeObserver((entries) => entries.forEach((e) => focusable(e.target)));
  // Material takes the attribute off again when its own test says no: put it back.
  const kept = new MutationObserver((changes) => changes.forEach((c) => focusable(c.target)));
  const setUpCode = () => {
    for (const box of document.querySelectorAll(scrollers)) {
      scrolling.observe(box);
      kept.observe(box, {attributes: true, attributeFilter: ["tabindex"]});
    }
  };

  const setUp = () => {
    setUpDrawerButton();
    setUpCode();
    // A notebook's display formulas scroll in MathJax's own boxes, there once it has typeset.
    const mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise)
      mathjax.startup.promise.then(setUpCode);
  };
  if (window.document$) window.document$.subscribe(setUp);  // Material's page load
  else document.addEventListener("DOMContentLoaded", setUp);
})();
