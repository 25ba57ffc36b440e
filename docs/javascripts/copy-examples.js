// The API page's examples come from the package's docstrings, written as an interpreter
// session. Their copy button copies only the code, without the ">>> " and "... " prompts and
// without what the session printed, so that the pasted text runs. Material copies a block as
// it is shown (squidfunk/mkdocs-material#3647); it reads data-clipboard-text first, which is
// set here, on the way down to the button, before its own handler reads it.
// The chapters' listings are not touched: they copy verbatim.
(() => {
  const code = (session) => {
    const lines = [];
    let inExample = false;  // a "... " line continues an example only right after one
    for (const line of session.split("\n")) {
      if (line === ">>>" || line.startsWith(">>> ")) {
        lines.push(line.slice(4));
        inExample = true;
      } else if (inExample && (line === "..." || line.startsWith("... "))) {
        lines.push(line.slice(4));
      } else {
        inExample = false;
      }
    }
    return lines.join("\n") + "\n";
  };
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element
      ? event.target.closest("[data-clipboard-target]") : null;
    if (!button) return;
    const block = document.querySelector(button.getAttribute("data-clipboard-target"));
    if (block && block.closest(".doc-contents") && block.closest(".language-pycon"))
      button.setAttribute("data-clipboard-text", code(block.textContent));
  }, true);
})();
