"""Collect the book's pages (docs/*.md) as tests; see tests/book/pages.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tests"))

from book.pages import book  # noqa: E402

pytest_collect_file = book.pytest()
