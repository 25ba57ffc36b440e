"""Chapter 2's route of typing the book's code into files of one's own, as a student walks it.

The student's folder is made as chapter 2 says, without the tangler: each listing titled
``nn_from_scratch/FILE.py`` (but the data loader ``datasets.py``, the book's solutions and the
excerpts, which show a few lines of a listing that the page gives whole, in a fold), in book
order, typed at the end of ``my_nn/FILE.py``; ``my_nn/__init__.py`` as chapter 2 shows it, with
the lines of the files typed so far; and in every import, ``my_nn`` where the book writes
``nn_from_scratch``, but for ``nn_from_scratch.datasets`` and ``nn_from_scratch.checks``, which
stay the book's package's.

A page meets the folder as its reader has it: typed from the listings of that page and of the
pages before it, never of a later one. A page may set a part aside for after a later chapter,
saying so in the prose before the part's first listing ("for after chapter 5c"): from that
listing on, the page meets the folder as it is after that chapter (4d's ReLU network and its
vectorised network need Part III's code).

The static check covers all pages: every name a listing imports from ``my_nn`` exists in the
folder the listing meets, and no listing or file imports more of the book's package than its loader
and its checker. Then pages run against their folders in one fresh Python, outside the
repository, as the student edition shows them (without the Solution folds: a student's answers
are their own files), and every listing must print what the page shows.

Which pages run: every page that uses the handout's code (3c, 3d, 4a, 4d; 5c's uses are in
its solution and in a fold the page tests run anyway) and every file of the student's folder
but ``metrics.py`` and ``layers.py``, whose pages (4c, 5c, 6) take minutes and import nothing
the static check does not resolve. 3b and 3e are cheap and complete the chain of the
network's growth. Each runs once, on its own folder, up to a part set aside for later: that
part, like the pages of Part III, is checked statically.
"""

import ast
import functools
import json
import os
import re
import subprocess
import sys

from book.excerpts import is_listing
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
LATER = re.compile(r"\bfor after chapter \[?(\d[a-e]?)\b")  # a part set aside for later
STEMS = [page.stem for page in pages()]


def own_import(match):
    """The line as the student types it: my_nn for nn_from_scratch, but for what is kept."""
    line = match.group()
    if re.match(r"\.(datasets|checks)\b", match["rest"]):
        return line
    return f"{match['lead']}my_nn{match['rest']}"


def own(code):
    return IMPORT.sub(own_import, code)


def chapter(stem):
    """The chapter a page is: 03a-... -> 3a, 06-... -> 6; None for a page that is none."""
    match = re.match(r"0?(\d[a-e]?)-", stem)
    return match[1] if match else None


@functools.cache
def typed_listings():
    """(page, file in my_nn/, code as typed) for every listing chapter 2 says to type."""
    found = []
    for page in pages():
        for fence in fences(page.read_text(encoding="utf-8")):
            title = fence.title or ""
            if (is_listing(fence) and title.startswith("nn_from_scratch/")
                    and not title.startswith(NOT_TYPED)):
                found.append((page.stem, title.removeprefix("nn_from_scratch/"), own(fence.code)))
    return tuple(found)


def own_files(through):
    """{file: text} of my_nn/ once the student has typed the pages up to ``through`` (a stem)."""
    files = {}
    for page, name, code in typed_listings():
        if STEMS.index(page) > STEMS.index(through):
            break
        code = code if code.endswith("\n") else code + "\n"
        files[name] = files.get(name, "") + code + "\n\n"
    init = [line for line in INIT.read_text(encoding="utf-8").splitlines(keepends=True)
            if not (named := re.match(r"from my_nn\.(\w+) import", line))
            or f"{named[1]}.py" in files]  # each line once its file is typed (chapter 2)
    files["__init__.py"] = "".join(init)
    return files


def make_own_folder(folder, through):
    """my_nn/ in ``folder`` as typed up to the page ``through``; returns it."""
    package = folder / "my_nn"
    package.mkdir(parents=True)
    for name, text in own_files(through).items():
        (package / name).write_text(text, encoding="utf-8")
    return package


def student_pages():
    """Every page as the student edition shows it, its imports as the student types them."""
    return {page.stem: own(drop_solutions(page.read_text(encoding="utf-8"))) for page in pages()}


def staged_listings(stem, text):
    """[(listing, the page whose folder it meets)] for the listings of a page: its own, but from
    a listing the prose before which sets it aside "for after chapter X" on, X's."""
    found, stage, previous_end = [], stem, 0
    for start, end, listing in listings(text):
        for named in LATER.findall(text, previous_end, start):
            later = next(other for other in STEMS if chapter(other) == named)
            if STEMS.index(later) > STEMS.index(stage):
                stage = later
        found.append((listing, stage))
        previous_end = end
    return found


def chapter_2_table():
    """Chapter 2's table of the student's files: {file: [chapters]}."""
    text = CHAPTER_2.read_text(encoding="utf-8")
    rows = re.findall(r"^[ \t]*\| `my_nn/(\w+\.py)` \| ([^|]+) \|", text, re.M)
    assert rows, "chapter 2 has no table of the files of my_nn/"
    return {name: re.findall(r"\b\d[a-e]?\b", chapters) for name, chapters in rows}


def test_chapter_2_names_every_listing_to_type_and_where():
    typed = {}
    for page, name, _ in typed_listings():
        typed.setdefault(name, [])
        if chapter(page) not in typed[name]:
            typed[name].append(chapter(page))
    typed["__init__.py"] = ["2"]
    table = chapter_2_table()
    table["__init__.py"] = ["2"]
    assert table == typed
    text = CHAPTER_2.read_text(encoding="utf-8")
    assert f'--8<-- "{INIT.relative_to(ROOT)}"' in text  # the file shown is the file used
    # What chapter 2 says this test runs is what it runs.
    assert ("run chapters 3b to 3e, 4a and 4d on it as it stands after each of them"
            in " ".join(text.split()))
    assert [stem[:3] for stem in RUN] == ["03b", "03c", "03d", "03e", "04a", "04d"]


def test_a_page_meets_the_files_typed_up_to_it():
    three_b, five_c, six = (next(stem for stem in STEMS if chapter(stem) == name)
                            for name in ("3b", "5c", "6"))
    page = ("```python\na = 1\n```\n\nThis part is for after chapter [5c](x.md).\n\n"
            "```python\nb = 2\n```\n")
    assert [stage for _, stage in staged_listings(three_b, page)] == [three_b, five_c]
    files = own_files(three_b)
    assert "training.py" not in files and "network.py" in files  # train comes in 3e
    assert "from my_nn.network import *" in files["__init__.py"]
    assert "my_nn.training" not in files["__init__.py"]
    # The excerpts of 5a's train are never typed: the whole function in the fold is.
    training = own_files(six)["training.py"]
    assert "# ..." not in training and training.count("\ndef train(") == 3  # 3e, 5a, 5c


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


def defined_names(files):
    """{module: the top-level names its file defines} for the files of my_nn/."""
    defined = {}
    for name, text in files.items():
        names = defined.setdefault(name.removesuffix(".py"), set())
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return defined


def import_problems(where, code, files, defined):
    """What the code imports that the files lack, or of the book's package beyond what is kept;
    ``defined`` is what the files define (``defined_names``)."""
    starred = re.findall(r"^from my_nn\.(\w+) import \*", files["__init__.py"], re.M)
    exported = {name for module in starred for name in defined[module]
                if not name.startswith("_")}
    found = []
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
    return found


def test_nothing_imports_what_the_student_has_not_typed_or_more_of_the_book():
    found, looked_at, stages = [], 0, {}
    for stem, text in student_pages().items():
        for listing, stage in staged_listings(stem, text):
            if stage not in stages:
                files = own_files(stage)
                stages[stage] = files, defined_names(files)
            where = f"docs/{stem}.md, line {listing.line} (on my_nn/ as typed up to {stage})"
            found += import_problems(where, listing.code, *stages[stage])
            looked_at += 1
    for stage, (files, defined) in stages.items():  # the files, as typed up to each page
        for name, code in files.items():
            found += import_problems(f"my_nn/{name} (typed up to {stage})", code, files, defined)
    assert not found, "\n".join(dict.fromkeys(found))
    assert looked_at > 100  # every page's listings were looked at


# Runs in a fresh Python: each page's listings in order, in one namespace per page, seeded as
# the page runner seeds it, on the page's own my_nn/; what each prints against the page.
DRIVER = r'''
import contextlib, doctest, importlib, io, json, random, sys, traceback, types, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

warnings.simplefilter("error", RuntimeWarning)  # as in the tests (pyproject.toml)
plt.show = lambda *args, **kwargs: plt.close("all")
KEPT = ("nn_from_scratch.datasets", "nn_from_scratch.checks")
report = {}
for page in json.load(open(sys.argv[1])):
    # The page's folder, and none of an earlier page's my_nn.
    sys.path[0] = page["folder"]
    for name in [name for name in sys.modules if name.split(".")[0] == "my_nn"]:
        del sys.modules[name]
    importlib.invalidate_caches()
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
    # Nothing the page ends with comes from the book's package but its loader and checker,
    # and what comes from my_nn comes from this page's folder.
    for name, value in namespace.items():
        if isinstance(value, types.ModuleType):
            where = value.__name__
        else:
            where = getattr(value, "__module__", None) or type(value).__module__
        where = str(where)
        if where.split(".")[0] == "nn_from_scratch" and not where.startswith(KEPT):
            problems.append(f"{name} comes from {where}")
        if where.split(".")[0] == "my_nn":
            source = sys.modules[where].__file__
            if not source.startswith(page["folder"] + "/"):
                problems.append(f"{name} comes from {source}")
    report[page["name"]] = {"passed": passed, "listings": len(page["listings"]),
                           "problems": problems}
print(json.dumps(report))
'''


def test_the_pages_run_on_the_students_own_files(tmp_path):
    texts = student_pages()
    runs = []
    for stem in RUN:
        make_own_folder(tmp_path / stem, stem)
        runs.append({"name": f"docs/{stem}.md", "folder": str(tmp_path / stem),
                     "listings": [(listing.line, listing.code, listing.expected)
                                  for listing, stage in staged_listings(stem, texts[stem])
                                  if stage == stem]})
    (tmp_path / "runs.json").write_text(json.dumps(runs), encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "driver.py", "runs.json"], cwd=tmp_path,
                            capture_output=True, text=True, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = [f"{run}, {problem}" for run, outcome in report.items()
             for problem in outcome["problems"]]
    assert not found, "\n".join(found)
    assert all(outcome["passed"] == outcome["listings"] > 0 for outcome in report.values()), report
    assert len(report) == len(RUN)
