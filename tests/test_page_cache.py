"""The build cache cannot lie, and figures keep their names (tests/book/pages.py).

A tiny page in a temporary docs/ runs through the real runner (the book's
Sybil: its setup, every listing in order, its teardown), with the figures and
stamps written under tmp_path.
"""

from importlib import metadata

import pytest
from book import pages


PAGE = """# A demo page

```python
import matplotlib.pyplot as plt

plt.plot([1, 3, 2])
plt.show()
```

![A line going up, then down](generated/demo-line.png)

```python
print(6 * 7)
```

```text title="Output"
42
```
"""

EARLIER_PLOT = """```python
import matplotlib.pyplot as plt

plt.plot([2, 2, 2])
plt.show()
```

![A flat line](generated/demo-flat.png)

"""


@pytest.fixture
def docs(tmp_path, monkeypatch):
    """A docs/ folder whose figures and stamps stay in tmp_path; the runner as it is on disk now."""
    folder = tmp_path / "docs"
    folder.mkdir()
    monkeypatch.setattr(pages, "FIGURES", folder / "generated")
    monkeypatch.setattr(pages, "STAMPS", tmp_path / "stamps")
    # As if this process had started now: files of the package or runner edited by then count.
    monkeypatch.setattr(pages, "_STARTED", (pages.code_digest(), pages.versions()))
    return folder


def run(page, while_running=None):
    """Run a page as pytest does; ``while_running()`` is called after its first listing."""
    document = pages.book.parse(page)
    pages.book.setup(document.namespace)
    try:
        for number, example in enumerate(document.examples()):
            if number == 1 and while_running is not None:
                while_running()
            example.evaluate()
    finally:
        pages.book.teardown(document.namespace)


def figures(docs):
    return sorted(path.name for path in (docs / "generated").glob("*.png"))


def test_an_unedited_run_is_fresh(docs):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    assert not pages.is_fresh(page)
    run(page)
    assert pages.is_fresh(page)
    assert figures(docs) == ["demo-line.png"]


def test_a_page_edited_while_it_runs_stays_stale(docs):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    run(
        page,
        while_running=lambda: page.write_text(
            PAGE.replace("[1, 3, 2]", "[1, 3, 5]"), encoding="utf-8"
        ),
    )
    # The run passed and wrote its stamp, but the stamp names the text it ran, not the text now.
    assert (pages.STAMPS / "demo.json").exists()
    assert not pages.is_fresh(page)
    run(page)
    assert pages.is_fresh(page)


def test_a_new_library_version_makes_every_page_stale(docs, monkeypatch):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    run(page)
    installed = metadata.version
    monkeypatch.setattr(
        metadata, "version", lambda name: "99.0" if name == "numpy" else installed(name)
    )
    assert not pages.is_fresh(page)


def test_a_run_on_other_blas_threads_or_kernel_is_not_this_run(docs):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    run(page)
    from threadpoolctl import threadpool_limits

    assert pages.is_fresh(page)
    with threadpool_limits(7, user_api="blas"):  # nox -s kernels runs one combination on 8
        assert not pages.is_fresh(page)
    assert pages.is_fresh(page)
    # The kernel and the dispatch levels are in the key too (a forced kernel needs a new
    # process: tests/test_kernels.py runs those).
    assert {"openblas", "numpy dispatch"} <= set(pages.platform())


def test_package_or_runner_changed_since_the_run_started_makes_it_stale(docs, monkeypatch):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(pages, "_STARTED", ("the code before an edit", pages.versions()))
    run(page)
    assert not pages.is_fresh(page)


def test_a_plot_added_earlier_renames_no_figure_and_old_figures_go(docs):
    page = docs / "demo.md"
    page.write_text(PAGE, encoding="utf-8")
    run(page)
    line = (docs / "generated" / "demo-line.png").read_bytes()
    (docs / "generated" / "gone-1.png").write_bytes(b"a figure of a page that is no more")
    (docs / "demo-more.md").write_text(
        "# Another page, whose figures demo's run leaves alone\n", encoding="utf-8"
    )
    (docs / "generated" / "demo-more-plot.png").write_bytes(b"demo-more's")

    page.write_text(PAGE.replace("```python\n", EARLIER_PLOT + "```python\n", 1), encoding="utf-8")
    run(page)
    assert figures(docs) == ["demo-flat.png", "demo-line.png", "demo-more-plot.png"]
    assert (docs / "generated" / "demo-line.png").read_bytes() == line

    page.write_text(PAGE.replace("demo-line.png", "demo-curve.png"), encoding="utf-8")
    run(page)
    assert figures(docs) == ["demo-curve.png", "demo-more-plot.png"]


def test_one_listing_names_several_figures_in_order(docs):
    page = docs / "demo.md"
    two = PAGE.replace("plt.show()", "plt.figure()\nplt.plot([0, 1])\nplt.show()").replace(
        "(generated/demo-line.png)\n",
        "(generated/demo-line.png)\n\n![A line going up](generated/demo-up.png)\n",
    )
    page.write_text(two, encoding="utf-8")
    run(page)
    assert figures(docs) == ["demo-line.png", "demo-up.png"]


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda text: text.replace(
                "![A line going up, then down](generated/demo-line.png)\n", ""
            ),
            "no link after it",
        ),
        (
            lambda text: text.replace("plt.show()", "plt.close()"),
            r"shows \['demo-line.png'\] after the listing",
        ),
    ],
    ids=["figure-without-link", "link-without-figure"],
)
def test_a_figure_and_its_link_go_together(docs, edit, message):
    page = docs / "demo.md"
    page.write_text(edit(PAGE), encoding="utf-8")
    with pytest.raises(AssertionError, match=message):
        run(page)
    assert not pages.is_fresh(page)
