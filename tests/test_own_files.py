"""Chapter 2's route of typing the book's code into files of one's own, followed to the letter.

The student's folder is made as chapter 2 says, without the tangler: each listing titled
``nn_from_scratch/FILE.py`` (but the data loader ``datasets.py`` and the book's solutions), in
book order, typed at the end of ``my_nn/FILE.py``; ``my_nn/__init__.py`` as chapter 2 shows
it; and in every import, ``my_nn`` where the book writes ``nn_from_scratch``, but for
``nn_from_scratch.datasets`` and ``nn_from_scratch.checks``, which stay the book's package's.
Then pages run against that folder in a fresh Python, outside the repository, as the student
edition shows them (without the Solution folds: a student's answers are their own files), and
every listing must print what the page shows.

Which pages run: every page that uses the handout's code (3c, 3d, 4a, 4d; 5c's uses are in
its solution and in a fold the page tests run anyway) and every file of the student's folder
but ``metrics.py`` and ``layers.py``, whose pages (4c, 5c, 6) take minutes and import nothing
a static check below does not resolve. 3b and 3e are cheap and complete the chain of the
network's growth. The static check covers all pages: every name any listing imports from
``my_nn`` exists in the student's files, and no listing or file imports more of the book's
package than its loader and its checker.
"""

import ast
import json
import os
import re
import subprocess
import sys

from book.fences import DOCS, ROOT, fences, pages
from book.mkdocs_hooks import drop_solutions
from book.pages import listings


CHAPTER_2 = DOCS / "02-getting-set-up.md"
INIT = ROOT / "tests" / "own_files" / "__init__.py.txt"  # what chapter 2 shows as my_nn/__init__.py
KEPT = ("nn_from_scratch.datasets", "nn_from_scratch.checks")  # the book's package's, on this route
NOT_TYPED = ("nn_from_scratch/datasets.py", "nn_from_scratch/solutions/")
RUN = ["03b-network", "03c-backprop-neuron", "03d-backprop-network", "03e-training-loop",
       "04a-universal-approximation", "04d-when-things-go-wrong"]
# An import of the book's package, in a listing or a docstring example (">>> from ...").
IMPORT = re.compile(
    r"^(?P<lead>[ \t]*(?:>>> )?(?:from|import)[ \t]+)nn_from_scratch\b(?P<rest>.*)$", re.M
)


def own_import(match):
    """The line as the student types it: my_nn for nn_from_scratch, but for what is kept."""
    line = match.group()
    if re.match(r"\.(datasets|checks)\b", match["rest"]):
        return line
    return f"{match['lead']}my_nn{match['rest']}"


def own(code):
    return IMPORT.sub(own_import, code)


def typed_listings():
    """(page, file in my_nn/, code as typed) for every listing chapter 2 says to type."""
    found = []
    for page in pages():
        for fence in fences(page.read_text(encoding="utf-8")):
            title = fence.title or ""
            if (fence.language == "python" and title.startswith("nn_from_scratch/")
                    and not title.startswith(NOT_TYPED)):
                found.append((page.stem, title.removeprefix("nn_from_scratch/"), own(fence.code)))
    return found


def make_own_folder(folder):
    """my_nn/ as chapter 2 says to type it; returns it."""
    package = folder / "my_nn"
    package.mkdir()
    for _, name, code in typed_listings():
        with open(package / name, "a", encoding="utf-8") as file:
            file.write(code if code.endswith("\n") else code + "\n")
            file.write("\n\n")
    (package / "__init__.py").write_text(INIT.read_text(encoding="utf-8"), encoding="utf-8")
    return package


def chapter_2_table():
    """Chapter 2's table of the student's files: {file: [chapters]}."""
    text = CHAPTER_2.read_text(encoding="utf-8")
    rows = re.findall(r"^[ \t]*\| `my_nn/(\w+\.py)` \| ([^|]+) \|", text, re.M)
    assert rows, "chapter 2 has no table of the files of my_nn/"
    return {name: re.findall(r"\b\d[a-e]?\b", chapters) for name, chapters in rows}


def test_chapter_2_names_every_listing_to_type_and_where():
    typed = {}
    for page, name, _ in typed_listings():
        chapter = re.match(r"0?(\d[a-e]?)", page)[1]  # 03a-... -> 3a, 06-... -> 6
        typed.setdefault(name, [])
        if chapter not in typed[name]:
            typed[name].append(chapter)
    typed["__init__.py"] = ["2"]
    table = chapter_2_table()
    table["__init__.py"] = ["2"]
    assert table == typed
    text = CHAPTER_2.read_text(encoding="utf-8")
    assert f'--8<-- "{INIT.relative_to(ROOT)}"' in text  # the file shown is the file used
    # What chapter 2 says this test runs is what it runs.
    assert "run chapters 3b to 3e, 4a and 4d on it" in " ".join(text.split())
    assert [stem[:3] for stem in RUN] == ["03b", "03c", "03d", "03e", "04a", "04d"]


def imported_modules(code):
    """(module, names) of every import of the code, docstring examples included."""
    found = []
    for line in re.findall(r"^[ \t]*>>> ((?:from|import) .*)$", code, re.M):
        code += "\n" + line
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def student_pages():
    """Every page as the student edition shows it, its imports as the student types them."""
    return {page.stem: own(drop_solutions(page.read_text(encoding="utf-8"))) for page in pages()}


def test_nothing_imports_more_of_the_book_than_its_loader_and_its_checker(tmp_path):
    package = make_own_folder(tmp_path)
    sources = {f"my_nn/{path.name}": path.read_text(encoding="utf-8")
               for path in sorted(package.glob("*.py"))}
    for page, text in student_pages().items():
        for index, (_, _, listing) in enumerate(listings(text)):
            sources[f"docs/{page}.md, listing {index + 1}"] = listing.code
    found = []
    defined = {path.stem: set() for path in package.glob("*.py")}
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined[path.stem].add(node.name)
            elif isinstance(node, ast.Assign):
                defined[path.stem] |= {target.id for target in node.targets
                                       if isinstance(target, ast.Name)}
    exported = set().union(*(defined[name] for name in
                             ["activations", "neuron", "network", "training", "layers"]))
    for where, code in sources.items():
        for module, names in imported_modules(code):
            if module.split(".")[0] == "nn_from_scratch" and module not in KEPT:
                found.append(f"{where} imports {module}")
            if module == "my_nn":
                found += [f"{where} imports {name} from my_nn, which my_nn/__init__.py lacks"
                          for name in names if name not in exported and name not in defined]
            elif module.startswith("my_nn."):
                stem = module.removeprefix("my_nn.")
                if stem not in defined:
                    found.append(f"{where} imports {module}, a file the student has not typed")
                else:
                    found += [f"{where} imports {name} from {module}, which does not define it"
                              for name in names if name != "*" and name not in defined[stem]]
    assert not found, "\n".join(found)
    assert len(sources) > 100  # every page's listings were looked at


# Runs in a fresh Python in the student's folder: each page's listings in order, in one
# namespace per page, seeded as the page runner seeds it; what each prints against the page.
DRIVER = r'''
import contextlib, doctest, io, json, random, sys, traceback, types, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

warnings.simplefilter("error", RuntimeWarning)  # as in the tests (pyproject.toml)
plt.show = lambda *args, **kwargs: plt.close("all")
KEPT = ("nn_from_scratch.datasets", "nn_from_scratch.checks")
report = {}
for page in json.load(open(sys.argv[1])):
    np.random.seed(0)
    random.seed(0)
    plt.close("all")
    namespace, problems, passed = {"__name__": "__main__"}, [], 0
    for line, code, expected in page["listings"]:
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile("\n" * line + code, page["name"], "exec"), namespace)
        except BaseException:
            problems.append(f"line {line}: {traceback.format_exc()}")
            break
        got, want = printed.getvalue(), expected or ""
        if not doctest.OutputChecker().check_output(want, got, doctest.ELLIPSIS):
            problems.append(f"line {line} printed:\n{got}\nthe page shows:\n{want}")
        passed += 1
    # Nothing the page ends with comes from the book's package but its loader and checker.
    for name, value in namespace.items():
        if isinstance(value, types.ModuleType):
            where = value.__name__
        else:
            where = getattr(value, "__module__", None) or type(value).__module__
        where = str(where)
        if where.split(".")[0] == "nn_from_scratch" and not where.startswith(KEPT):
            problems.append(f"{name} comes from {where}")
    report[page["name"]] = {"passed": passed, "listings": len(page["listings"]),
                            "problems": problems}
print(json.dumps(report))
'''


def test_the_pages_run_on_the_students_own_files(tmp_path):
    make_own_folder(tmp_path)
    texts = student_pages()
    chosen = [{"name": f"docs/{stem}.md",
               "listings": [(listing.line, listing.code, listing.expected)
                            for _, _, listing in listings(texts[stem])]}
              for stem in RUN]
    (tmp_path / "pages.json").write_text(json.dumps(chosen), encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "driver.py", "pages.json"], cwd=tmp_path,
                            capture_output=True, text=True, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = [f"{page}, {problem}" for page, run in report.items() for problem in run["problems"]]
    assert not found, "\n".join(found)
    assert all(run["passed"] == run["listings"] > 0 for run in report.values()), report
