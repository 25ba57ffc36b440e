"""A page read on its main line: its listings outside the folds, with the book's package installed.

A reader may leave every fold (a collapsible ``???`` block, book.fences.fold) closed and run
only the other listings, with the book's package installed; what a fold's listing titled as a
package file defines then comes from the package, through the page's imports. A listing outside
the folds is on the main line whatever its title (the notebooks make it a cell like any other).
Two rules keep the main line whole:

* every name a main-line listing uses, at its top level or in what it defines, is a builtin or
  is defined or imported by the main-line listings up to it (this test, statically: the page's
  ``from nn_from_scratch import ...`` lines count, as they do with the package installed);
* where leaving a fold out changes a number printed after it, because the fold draws random
  numbers that the main line goes on to draw from, the fold says so (the page runner checks
  it as it runs each page once, book.pages; a made-up page below shows the rule failing).
"""

import ast
import builtins
import symtable
from types import SimpleNamespace

import pytest
from book.fences import pages
from book.pages import DRAWS, check_draws_said, listings, run_listing, setup_page, teardown_page


BUILTINS = set(dir(builtins))


def defined_and_used(code):
    """(names the code binds at its top level, names it reads from the top level)."""
    table = symtable.symtable(code, "listing", "exec")
    defined = {symbol.get_name() for symbol in table.get_symbols()
               if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()}
    used = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()}
    scopes = list(table.get_children())
    while scopes:  # a function's, class's or comprehension's reads of the top level
        scope = scopes.pop()
        used |= {symbol.get_name() for symbol in scope.get_symbols()
                 if symbol.is_global() and symbol.is_referenced()}
        scopes += scope.get_children()
    return defined, used


def undefined_on_the_main_line(text):
    """What each main-line listing of a page uses that the main line has not defined by then."""
    found, known = [], set(BUILTINS)
    for _, _, listing in listings(text):
        if listing.fold is not None:
            continue
        for node in ast.walk(ast.parse(listing.code)):
            if isinstance(node, ast.ImportFrom) and any(name.name == "*" for name in node.names):
                found.append(f"line {listing.line}: a star import hides what it defines")
        defined, used = defined_and_used(listing.code)
        known |= defined
        if missing := sorted(used - known):
            found.append(f"line {listing.line} uses {', '.join(missing)}, which only a fold "
                         "or nothing on the page defines")
    return found


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.stem)
def test_every_name_the_main_line_uses_is_defined_on_it(page):
    assert not undefined_on_the_main_line(page.read_text(encoding="utf-8"))


def test_a_name_only_a_fold_defines_is_found():
    page = ('```python\nx = 1\n```\n\n??? note "More"\n    ```python\n    y = x + 1\n'
            '    def twice():\n        return 2 * z\n    ```\n\n'
            '```python\nprint(x, y)\n\n\ndef later():\n    return y + z\n```\n')
    assert undefined_on_the_main_line(page) == [
        "line 12 uses y, z, which only a fold or nothing on the page defines"]


FOLD = '??? note "A fold"\n    {said}\n\n    ```python\n    {code}\n    ```\n\n'


def made_up_page(fold_code, main_code, said=""):
    """A page: a main-line listing that seeds, a fold, a main-line listing after it."""
    return ("```python\nimport numpy as np\n\nnp.random.seed(1)\n```\n\n"
            + FOLD.format(said=said, code=fold_code)
            + f"```python\n{main_code}\n```\n")


def run_made_up_page(text, tmp_path):
    """Run a page's listings as the page runner does (but never to the end, which writes a
    stamp and deletes figures); return the runner's state."""
    page = tmp_path / "made-up.md"
    namespace = {"__file__": str(page), "__name__": "__main__", "__page_text__": text}
    found = listings(text)
    document = SimpleNamespace(text=text, regions=[None] * (len(found) + 1))
    setup_page(namespace)
    try:
        for _, _, listing in found:
            run_listing(SimpleNamespace(parsed=listing, namespace=namespace, path=str(page),
                                        document=document))
    finally:
        teardown_page(namespace)
    return namespace["__book__"]


def test_a_fold_whose_draws_the_main_line_uses_must_say_so(tmp_path):
    silent = made_up_page("np.random.uniform()", "np.random.uniform()")
    with pytest.raises(AssertionError, match="the listing at line 14 draws random numbers where "
                                             "the fold at line 7 .'A fold'. left them"):
        run_made_up_page(silent, tmp_path)
    said = made_up_page("np.random.uniform()", "np.random.uniform()", said=DRAWS)
    check_draws_said(said, run_made_up_page(said, tmp_path))
    # Python's own random numbers count too; numbers drawn after a seed do not.
    with pytest.raises(AssertionError, match="line 15 draws"):
        run_made_up_page(made_up_page("import random\n    random.random()",
                                      "random.random()"), tmp_path)
    reseeded = made_up_page("np.random.uniform()", "np.random.seed(2)\nnp.random.uniform()")
    check_draws_said(reseeded, run_made_up_page(reseeded, tmp_path))


def test_a_fold_that_says_so_must_be_one_whose_draws_are_used(tmp_path):
    for fold_code, main_code in [("np.random.uniform()", "np.random.seed(2)\nnp.random.uniform()"),
                                 ("x = 1", "np.random.uniform()")]:
        text = made_up_page(fold_code, main_code, said=DRAWS)
        state = run_made_up_page(text, tmp_path)
        with pytest.raises(AssertionError, match="no listing on the main line after it draws"):
            check_draws_said(text, state)
