// What a reader with a keyboard needs that Material's markup does not give.
// - The button that opens the navigation drawer on a narrow screen is a <label> of a hidden
//   checkbox, which takes no focus: it becomes a real, named button (without the script, the
//   label still works with a mouse). Escape closes the drawer again; focus goes into the drawer
//   and back to the button.
// - Material's search dialog gets a name.
// - A code block, table, formula or row of tabs that scrolls sideways takes focus, so that the arrow keys
//   scroll it. Material does this for code only where the screen has a pointer that hovers; a
//   tablet with a keyboard, or a phone's screen reader, needs it too.
// - A figure opened in the lightbox (GLightbox) closes with Escape; focus then returns to the
//   figure's link, where the reader was.
(() => {
  const drawer = () => document.getElementById("__drawer");
  const drawerButton = () => document.querySelector(".book-drawer-button");
  const setUpDrawerButton = () => {
    const label = document.querySelector("label.md-header__button[for='__drawer']");
    const toggle = drawer();
    if (!label || !toggle || drawerButton()) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = `${label.className} book-drawer-button`;
    button.setAttribute("aria-label", "Navigation");
    button.setAttribute("aria-expanded", String(toggle.checked));
    button.append(...label.childNodes);  // the menu icon
    label.replaceWith(button);
    button.addEventListener("click", () => toggle.click());
    toggle.addEventListener("change", () => {
      button.setAttribute("aria-expanded", String(toggle.checked));
      // Opened from the button: focus goes to the drawer's first link that shows (the
      // current page's link gives way to a label that opens its contents).
      if (toggle.checked && document.activeElement === button) {
        const links = document.querySelectorAll(
          ".md-sidebar--primary :is(a.md-nav__link[href], label.md-nav__link[tabindex])");
        const first = Array.from(links).find((link) => link.getClientRects().length > 0);
        if (first) first.focus();
      }
    });
  };
  document.addEventListener("keydown", (event) => {
    const toggle = drawer();
    if (event.key !== "Escape" || !toggle || !toggle.checked) return;
    toggle.click();
    drawerButton()?.focus();
  });
  // Material's search dialog, named.
  const nameSearch = () => document.querySelector(".md-search[role='dialog']:not([aria-label])")
    ?.setAttribute("aria-label", "Search");

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
    nameSearch();
    setUpCode();
    // A notebook's display formulas scroll in MathJax's own boxes, there once it has typeset.
    const mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise)
      mathjax.startup.promise.then(setUpCode);
  };
  if (window.document$) window.document$.subscribe(setUp);  // Material's page load
  else document.addEventListener("DOMContentLoaded", setUp);
})();
