"""The README is for students and instructors, at most 150 lines; how the book is built is in
CONTRIBUTING.md, which the README links."""

import re

from book.fences import ROOT


def headings(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    return text, re.findall(r"^#{2,3} (.+)$", text, re.M)


def test_the_readme_is_short_and_says_what_a_student_and_an_instructor_need():
    text, found = headings("README.md")
    assert len(text.splitlines()) <= 150
    for heading in ["Quick start", "Checking an answer, and the package in your own scripts",
                    "The book as a PDF", "For instructors", "Two editions",
                    "Publish your own copy", "Contributing", "Licence"]:
        assert heading in found, heading
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in text


def test_contributing_holds_how_the_book_is_built():
    _, found = headings("CONTRIBUTING.md")
    assert found == ["What is where", "How the book works", "The versions the book is built with",
                     "Benchmarks"]
