"""Later runs work offline: ``nox -R -s tests`` and ``nox -R -s serve`` with no network at all.

Run by .ci/run in a network namespace of its own, after the first runs have made the
environments: ``unshare --net sh -c 'ip link set lo up && python tests/book/offline.py'``.
``-R`` reuses the environments and skips their installs; without it, each run's install step
asks the package index (uv for the packages' metadata, pip for setuptools to build the
book's package), as README.md and chapter 2 say. pip's configuration files and its
find-links are set aside, so that no local wheel folder stands in for the index.

The tests run is a part of the suite (a page, the data loading and the check of an answer),
enough to show that nothing between the command and the tests needs the network. The serve
run must answer on http://127.0.0.1:8000 with the home page within ten minutes; then it is
stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
NOX = ROOT / ".venv" / "bin" / "nox"
ENV = {key: value for key, value in os.environ.items() if key != "PIP_FIND_LINKS"}
ENV["PIP_CONFIG_FILE"] = os.devnull
TESTS = ["docs/03a-single-neuron.md", "tests/test_datasets.py", "tests/test_checks.py"]
ADDRESS = "http://127.0.0.1:8000/"


def no_network() -> bool:
    try:
        urllib.request.urlopen("https://pypi.org/simple/", timeout=5)
    except (urllib.error.URLError, OSError):
        return True
    return False


def serve(limit: float = 600.0) -> str:
    """Start ``nox -R -s serve``, wait for the home page, stop the server; return the page."""
    server = subprocess.Popen([str(NOX), "-R", "-s", "serve"], cwd=ROOT, env=ENV,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit("offline.py: nox -R -s serve stopped "
                                 f"(exit code {server.returncode})")
            try:
                with urllib.request.urlopen(ADDRESS, timeout=5) as response:
                    return response.read().decode("utf-8")
            except (urllib.error.URLError, OSError):
                time.sleep(2)
        raise SystemExit(f"offline.py: nothing served on {ADDRESS} after {limit:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def main() -> int:
    if not no_network():
        print("offline.py: the network is reachable: run me in a namespace without one",
              file=sys.stderr)
        return 2
    tests = [str(NOX), "-R", "-s", "tests", "--", "-q", *TESTS]
    code = subprocess.run(tests, cwd=ROOT, env=ENV).returncode
    if code:
        print(f"offline.py: {' '.join(tests[1:])} failed offline (exit code {code})",
              file=sys.stderr)
        return 1
    page = serve()
    if "<title>" not in page or "Neural networks from scratch" not in page:
        print("offline.py: the served page is not the book's home page", file=sys.stderr)
        return 1
    print("offline: nox -R -s tests and nox -R -s serve ran with no network")
    return 0


if __name__ == "__main__":
    sys.exit(main())
