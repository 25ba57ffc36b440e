"""The student edition (``nox -s student``) holds no solution: not in its pages, its search
index, its PDF or its wheel.

What counts as a solution is read from the sources: the names that the modules of
nn_from_scratch/solutions define, and the prose of every ``success`` fold of the chapters,
less what the student edition holds anyway (the chapters outside the folds, the README, the
rest of the package, such as the check command, which names the functions an answer
defines). The tests are skipped while site-student/ or dist-student/ does not exist;
``nox -s student`` builds both, then runs them with NN_FROM_SCRATCH_EDITION=student, which
makes a missing one fail instead.
"""

import ast
import functools
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from book.measured import render
from book.mkdocs_hooks import drop_solutions

from nn_from_scratch.checks import REQUIRED


ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site-student"
WHEELS = ROOT / "dist-student"
SOLUTIONS = ROOT / "nn_from_scratch" / "solutions"
STUDENT_RUN = os.environ.get("NN_FROM_SCRATCH_EDITION") == "student"

# A success admonition, folded or not, with its indented body (written apart from the hook's).
FOLD = re.compile(
    r"^(?P<indent>[ \t]*)(?:\?\?\?\+?|!!!) success\b.*\n(?:(?:(?P=indent)[ \t]+\S.*|[ \t]*)\n)*",
    re.M,
)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
TAG = re.compile(r"</?[A-Za-z!][^<>]*>")  # an HTML tag, not the text between a "<" and a ">"


def words(text):
    """The text's words, lower case, letters only, one space apart."""
    return " ".join(re.findall(r"[a-z]+", html.unescape(text).lower()))


def sources():
    """The chapters' Markdown and the README (which the wheel's metadata holds)."""
    return [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]


def outside_folds():
    """What the student edition holds by design: the sources less their folds, the package
    less its solutions."""
    package = [path for path in (ROOT / "nn_from_scratch").rglob("*.py")
               if SOLUTIONS not in path.parents]
    return "\n".join([*(FOLD.sub("", page.read_text(encoding="utf-8")) for page in sources()),
                      *(path.read_text(encoding="utf-8") for path in package)])


@functools.cache
def solution_names():
    """The names the solution modules define at the top level, and their import paths."""
    names = {"nn_from_scratch.solutions", "solutions/exercise_", "solutions.exercise_"}
    for module in SOLUTIONS.glob("exercise_*.py"):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    # A name the book also uses outside the solutions (chapter 6's build_network) says nothing.
    elsewhere = outside_folds()
    return sorted(
        name for name in names
        if not name.startswith("_") and not re.search(rf"\b{re.escape(name)}\b", elsewhere)
    )


@functools.cache
def fold_lines():
    """Every prose line of the chapters' success folds that the rest of the book does not hold."""
    elsewhere = words(outside_folds())
    probes = set()
    for page in sources():
        # With the measured values in place of their placeholders, as the site shows them.
        for fold in FOLD.finditer(render(page.read_text(encoding="utf-8"))):
            for line in FENCE.sub("", fold.group()).splitlines()[1:]:
                # A formula's text is MathJax's, not the source's: the words around it are kept.
                line = re.sub(r"\$[^$]*\$?", " ", line)
                probe = words(re.sub(r"\]\([^)]*\)", "]", line))  # a link shows its text only
                if probe.count(" ") >= 5 and probe not in elsewhere:
                    probes.add(probe)
    return sorted(probes)


def leaks(where, text):
    """What of the solutions ``text`` holds, as messages naming ``where``."""
    found = [f"{where}: the name {name}" for name in solution_names()
             if re.search(rf"\b{re.escape(name)}\b", text)]
    plain = words(TAG.sub(" ", text))
    found += [f"{where}: the line '{probe}'" for probe in fold_lines() if probe in plain]
    return found


def test_there_is_something_to_look_for():
    names, probes = solution_names(), fold_lines()
    assert {"NeuronWithoutNumPy", "neuron_with_weights", "largest_derivative_error"} <= set(names)
    assert len(probes) >= 5 * 3  # several lines of each of the five first folds at least


# An exercise's question box with its indented body, up to the next line indented no deeper.
QUESTION = re.compile(
    r'^(?P<indent>[ \t]*)!!! question "Exercise (?P<number>\d+)"[ \t]*\n'
    r"(?P<body>(?:(?:(?P=indent)[ \t]+\S.*|[ \t]*)\n)*)",
    re.M,
)


def stated(number, text):
    """What Exercise ``number``'s question must say for a student to answer it, missing from
    ``text``: each name the checker asks for, with its signature, and the check, from a
    terminal and in a notebook."""
    names = [signature.split("(")[0] for signature in REQUIRED[number]]
    wanted = [f"`{signature}`" for signature in REQUIRED[number]]
    wanted += [f"`nox -s check -- {number} exercise_{number}.py`",
               f"`check_exercise({number}, {', '.join(names)})`"]
    flat = " ".join(text.split())
    return [f"Exercise {number} does not state {item}" for item in wanted if item not in flat]


def test_every_exercise_states_its_contract_outside_its_solution():
    """Each question box, as the student edition keeps it (its Solution folds dropped), names
    what the checker asks for and says how to run the check."""
    boxes, found = {}, []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for box in QUESTION.finditer(drop_solutions(page.read_text(encoding="utf-8"))):
            number = int(box["number"])
            assert number not in boxes, f"Exercise {number} twice: {boxes[number]}, {page.name}"
            boxes[number] = page.name
            found += [f"{page.name}: {problem}" for problem in stated(number, box["body"])]
    assert sorted(boxes) == sorted(REQUIRED)
    assert not found, "\n".join(found)


def test_the_student_site_states_every_exercises_contract():
    need(SITE)
    found, seen = [], set()
    for page in sorted(SITE.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for title in re.finditer(r'class="admonition-title">Exercise (\d+)</p>', text):
            number = int(title[1])
            seen.add(number)
            after = text[title.end():]
            end = re.search(r'class="admonition-title"|<details', after)
            box = html.unescape(re.sub(r"<code>(.*?)</code>", r"`\1`",
                                       after[: end.start() if end else None]))
            found += [f"{page.relative_to(SITE)}: {problem}" for problem in
                      stated(number, TAG.sub(" ", box))]
    assert seen == set(REQUIRED)
    assert not found, "\n".join(found)


def need(path):
    if not path.exists():
        if STUDENT_RUN:
            pytest.fail(f"{path.name}/ was not built")
        pytest.skip(f"no {path.name}/: build the student edition with `nox -s student`")


def test_pages_and_search_index_hold_no_solution():
    need(SITE)
    pages = sorted(SITE.rglob("*.html"))
    assert len(pages) > 10
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if re.search(r'class="[^"]*\bsuccess\b', text):
            found.append(f"{page.relative_to(SITE)}: a success admonition")
        found += leaks(page.relative_to(SITE), text)
    index = json.loads((SITE / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = " ".join(f"{doc['title']} {doc['text']}" for doc in index["docs"])
    assert "sigmoid" in entries  # the index is the book's
    found += leaks("search/search_index.json", entries)
    assert not found, "\n".join(found)


def test_notebooks_hold_no_solution():
    """The notebooks the student site offers for download (its pages are checked above)."""
    need(SITE)
    notebooks = sorted(SITE.rglob("*.ipynb"))
    assert len(notebooks) > 10
    found = []
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        shown = "\n".join(
            "".join(cell["source"])
            + "".join("".join(output.get("text", [])) for output in cell.get("outputs", []))
            for cell in cells
        )
        if "<summary>Solution" in shown:
            found.append(f"{path.relative_to(SITE)}: a Solution fold")
        found += leaks(path.relative_to(SITE), shown)
        # Its cell after the title installs the student wheel, which the site must carry.
        wheel = cells[1]["metadata"]["book"]["requirement"].rpartition("/downloads/")[2]
        if not (SITE / "downloads" / wheel).is_file():
            found.append(f"{path.relative_to(SITE)}: installs downloads/{wheel}, not in the site")
    assert not found, "\n".join(found)


def test_pdf_holds_no_solution():
    """The student PDF that the site offers (downloads/), as pypdf reads its text
    (tests/test_pdf.py shows that the same reading finds the solutions in the full PDF)."""
    need(SITE)
    pdf = SITE / "downloads" / "nn-from-scratch-student.pdf"
    if not pdf.is_file():
        if STUDENT_RUN:
            pytest.fail(f"{pdf.relative_to(ROOT)} is missing: the site's build did not find a "
                        "student PDF made from the sources as they are")
        pytest.skip(f"no {pdf.relative_to(ROOT)}: `nox -s student` makes it")
    if STUDENT_RUN:
        from pypdf import PdfReader
    else:  # nox -s tests after nox -s student: its environment has no pypdf
        pypdf = pytest.importorskip("pypdf", reason="pypdf is installed by nox -s student")
        PdfReader = pypdf.PdfReader

    # Ligatures (the "fl" of "flowers") as their letters.
    pages = PdfReader(pdf).pages
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in pages))
    assert "sigmoid" in text  # the text is the book's
    found = [f"{pdf.name}: a Solution fold"] if re.search(r"^\s*Solution\s*$", text, re.M) else []
    found += leaks(pdf.name, text)
    assert not found, "\n".join(found)


def student_wheel():
    need(WHEELS)
    wheels = list(WHEELS.glob("nn_from_scratch_book-*.whl"))
    if len(wheels) != 1:
        found = sorted(path.name for path in WHEELS.iterdir())
        pytest.fail(f"expected one wheel nn_from_scratch_book-*.whl in {WHEELS.name}/, got "
                    f"{found}: build the student edition again with `nox -s student`")
    return wheels[0]


def test_wheel_holds_no_solution():
    with zipfile.ZipFile(student_wheel()) as wheel:
        files = wheel.namelist()
        assert "nn_from_scratch/neuron.py" in files
        found = [f"{name}: a solution file" for name in files if "solutions" in name]
        for name in files:
            if not name.endswith((".gz", ".png")):
                found += leaks(name, wheel.read(name).decode("utf-8"))
    assert not found, "\n".join(found)


def test_wheel_works_without_solutions(tmp_path):
    with zipfile.ZipFile(student_wheel()) as wheel:
        wheel.extractall(tmp_path / "wheel")
    script = """import importlib, importlib.util, pathlib, sys
sys.path.insert(0, sys.argv[1])
# Not the package of the repository, which an editable install finds first.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
import nn_from_scratch
assert pathlib.Path(nn_from_scratch.__file__).is_relative_to(sys.argv[1]), nn_from_scratch.__file__
assert importlib.util.find_spec("nn_from_scratch.solutions") is None
if importlib.util.find_spec("nn_from_scratch.checks") is not None:
    importlib.import_module("nn_from_scratch.checks")
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "wheel")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
