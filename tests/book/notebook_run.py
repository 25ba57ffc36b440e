"""Run the chapters' notebooks top to bottom, each in a fresh kernel, outside the repository.

``python tests/book/notebook_run.py DIR [--jobs N]`` (``nox -s notebooks`` runs it in an
environment that holds the installed package, and nbclient, nbformat and ipykernel only).

Each notebook of DIR runs in a kernel of its own, in an empty temporary folder, with the
Python that runs this script: ``import nn_from_scratch`` finds the installed package, never
the repository's source. A notebook fails when a cell raises, writes to stderr (a warning a
reader would see), prints something else than the output the notebook shows (the page's
checked Output block; ``...`` stands for any text, as in the tests), or draws another number
of figures than the notebook shows. Every failure names the notebook and the cell.

This file is a script, not a module of ``book``: it needs no tooling, and the kernel does
not get the tooling on its path.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import doctest
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


SOURCE = Path(__file__).resolve().parents[2] / "nn_from_scratch"  # the repository's package
TIMEOUT = 1800  # seconds a cell may take (the longest takes about a minute)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="the notebooks to run (*.ipynb)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="notebooks run at once (default: one per core)")
    arguments = parser.parse_args(argv)
    # The last chapters take longest: started first, they do not end the run alone.
    notebooks = sorted(arguments.directory.glob("*.ipynb"), reverse=True)
    if not notebooks:
        print(f"no notebook in {arguments.directory}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="book-notebooks-") as scratch:
        environment = kernel_environment(Path(scratch))
        check_package(Path(scratch), environment)
        started = time.perf_counter()
        with concurrent.futures.ProcessPoolExecutor(arguments.jobs) as pool:
            futures = [pool.submit(run, path, Path(scratch), environment) for path in notebooks]
            results = []
            for future in concurrent.futures.as_completed(futures):
                name, seconds, problems = future.result()
                print(f"{name}: {seconds:.1f} s, {'ok' if not problems else 'FAILED'}", flush=True)
                results.append((name, problems))
        elapsed = time.perf_counter() - started
    failed = [(name, problems) for name, problems in sorted(results) if problems]
    for name, problems in failed:
        for problem in problems:
            print(f"{name}, {problem}")
    print(f"{len(notebooks) - len(failed)} passed, {len(failed)} failed "
          f"({len(notebooks)} notebooks in {elapsed:.0f} s, {arguments.jobs} at a time)")
    return 1 if failed else 0


def kernel_environment(scratch: Path) -> dict:
    """The environment of the kernels: a kernel spec that runs this Python, no user profile,
    nothing of the repository on the path, matplotlib's default (inline) backend, and one BLAS
    thread per kernel (the kernels run side by side, one per core)."""
    spec = scratch / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=ERROR"],
        "display_name": "Python 3",
        "language": "python",
    }))
    environment = {
        name: value for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "MPLBACKEND", "PYTHONSTARTUP")
    }
    environment.update({
        "JUPYTER_PATH": str(scratch / "jupyter"),
        "IPYTHONDIR": str(scratch / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    })
    return environment


def check_package(scratch: Path, environment: dict) -> None:
    """Fail unless the kernels' Python imports the installed package, not the repository."""
    found = subprocess.run(
        [sys.executable, "-c", "import nn_from_scratch; print(nn_from_scratch.__file__)"],
        cwd=scratch, env=environment, capture_output=True, text=True,
    )
    if found.returncode != 0:
        raise SystemExit(f"the package is not installed for {sys.executable}:\n{found.stderr}")
    if Path(found.stdout.strip()).resolve().is_relative_to(SOURCE):
        raise SystemExit(
            f"nn_from_scratch comes from the repository's source ({found.stdout.strip()}), "
            "expected an installed copy: install it with `pip install .`, not `pip install -e .`"
        )


def run(path: Path, scratch: Path, environment: dict) -> tuple[str, float, list[str]]:
    """Run one notebook in a fresh kernel; return its name, its time and what went wrong."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    os.environ.clear()
    os.environ.update(environment)  # the kernel inherits it (this is a worker process)
    notebook = nbformat.read(path, as_version=4)
    shown = [cell.get("outputs", []) for cell in notebook.cells]
    workdir = Path(tempfile.mkdtemp(prefix=path.stem + "-", dir=scratch))
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    problems = []
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            where = f"cell {index + 1} ({first_line(cell.source)})"  # as Jupyter counts
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as error:
                last = re.sub(r"\x1b\[[0-9;]*m", "", str(error).strip().splitlines()[-1])
                problems.append(f"{where}: {last}")  # the exception, without its colours
                break
            problems += [f"{where}: {problem}" for problem in compare(shown[index], cell.outputs)]
    return path.name, time.perf_counter() - started, problems


def compare(shown: list, outputs: list) -> list[str]:
    """What the run's outputs do differently from the ones the notebook shows."""
    problems = []
    expected = "".join(o["text"] for o in shown if o["output_type"] == "stream")
    printed = "".join(o["text"] for o in outputs
                      if o["output_type"] == "stream" and o["name"] == "stdout")
    checker = doctest.OutputChecker()
    if not checker.check_output(expected, printed, doctest.ELLIPSIS):
        example = doctest.Example("", expected)
        problems.append("printed something else than the notebook shows:\n"
                        + checker.output_difference(example, printed, doctest.ELLIPSIS))
    errors = "".join(o["text"] for o in outputs
                     if o["output_type"] == "stream" and o["name"] == "stderr")
    if errors:
        problems.append(f"wrote to stderr:\n{errors}")
    figures = [o for o in outputs if o["output_type"] == "display_data"]
    expected_figures = [o for o in shown if o["output_type"] == "display_data"]
    if len(figures) != len(expected_figures):
        problems.append(f"drew {len(figures)} figure(s), the notebook shows "
                        f"{len(expected_figures)}")
    return problems


def first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0][:60] if lines else "").strip()


if __name__ == "__main__":
    sys.exit(main())
