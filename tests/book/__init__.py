"""The book's tooling, imported as ``book``: it runs the pages and writes the package from them.

tests/ is the import root: pytest puts it on the path (``pythonpath`` in
pyproject.toml), the nox sessions ``tangle`` and ``accept`` through
``PYTHONPATH``, and the MkDocs hook, which MkDocs loads by its path, by itself.
The modules and their jobs are listed in CONTRIBUTING.md.
"""
