"""Collect the book's pages (docs/*.md) as tests; see tests/book/pages.py.

``book`` is the package tests/book/, importable because pyproject.toml's pytest
settings put tests/ on the path (``pythonpath``).
"""

from book.pages import book


pytest_collect_file = book.pytest()
