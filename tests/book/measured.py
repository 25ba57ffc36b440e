"""Put the measured figures into the pages: ``{{ bench.KEY }}`` becomes a time from
benchmarks/results.json.

This module's one job: no chapter copies a measurement by hand. A page writes a
placeholder where it quotes a figure, and the MkDocs hook (mkdocs_hooks.py)
replaces it, on the page's Markdown before it is parsed, with the value that
``benchmarks/run.py`` measured. So a placeholder works in prose and in a fence
title (``title="Output (takes about {{ bench.iris | s }})"``) alike, and a new
reference run updates every chapter. tests/test_benchmarks.py checks that every
placeholder of docs/*.md resolves, so that a typo fails the tests, not only the
site build.

The forms, with KEY an entry's ``key`` in results.json:

``{{ bench.KEY }}``
    the entry's quoted time as the table shows it (three significant figures,
    in a unit that suits it, by run.py's ``format_time``): ``13.1 s``, ``1.84 µs``.
``{{ bench.KEY | µs }}``, and ``| h``, ``| min``, ``| s``, ``| ms``, ``| ns``
    the time in that unit, rounded to two significant figures, for prose that
    says "about": ``13 s``, ``1.8 µs``, ``37 min``.
``{{ bench.KEY / N | µs }}``
    the time divided by a count written in the placeholder (``/ N`` may repeat;
    ``600_000`` may be written with underscores): the time per step of a run.
``{{ bench.KEY.FIELD }}``, ``{{ bench.KEY.FIELD | µs }}``
    another field of the entry, a time too, rendered like the entry's time.
``{{ bench.KEY.FIELD:SPEC }}``
    a field that is a plain number (a ratio, samples per second, an accuracy),
    formatted with a Python format spec: ``{{ bench.digits.speedup:.1f }}``.

An unknown key, field or unit, or a placeholder that none of these forms
matches, raises ``MeasurementError``, naming the line.

>>> results = {"results": [
...     {"key": "iris", "time": 13.08},
...     {"key": "california", "time": 81.12},
...     {"key": "neuron_forward_2", "time": 1.84e-06},
...     {"key": "digits", "time": 0.735, "speedup": 31.74, "samples_per_second": 52431.2,
...      "recipe_time": 2205.0},
... ]}
>>> render("Output (takes about {{ bench.iris | s }})", results)
'Output (takes about 13 s)'
>>> render("{{ bench.iris }}, {{ bench.neuron_forward_2 }}, "
...        "about {{ bench.neuron_forward_2 | µs }}", results)
'13.1 s, 1.84 µs, about 1.8 µs'
>>> render("{{ bench.california / 600_000 | µs }} per step, "
...        "{{ bench.california / 600_000 / 9 | µs }} per neuron", results)
'140 µs per step, 15 µs per neuron'
>>> render("{{ bench.digits.speedup:.0f }} times faster, "
...        "{{ bench.digits.samples_per_second:,.0f }} samples a second", results)
'32 times faster, 52,431 samples a second'
>>> render("{{ bench.digits.recipe_time | min }} for 3000 epochs", results)
'37 min for 3000 epochs'
>>> render("one line\\n{{ bench.irsi }}", results)
Traceback (most recent call last):
...
book.measured.MeasurementError: line 2: {{ bench.irsi }}: benchmarks/results.json has no entry
    'irsi' (it has: california, digits, iris, neuron_forward_2)
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from dataclasses import dataclass
from functools import cache

from .fences import ROOT


RESULTS = ROOT / "benchmarks" / "results.json"
UNITS = {"h": 3600.0, "min": 60.0, "s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}

# Anything that opens like a placeholder, up to its closing braces; it must then match _FORM.
_CANDIDATE = re.compile(r"\{\{\s*bench\b(?:(?!\{\{|\}\}).)*\}\}", re.S)
_FORM = re.compile(
    r"""\{\{\s*bench\.(?P<key>\w+)(?:\.(?P<field>\w+))?
    (?P<divisors>(?:\s*/\s*[0-9][0-9_]*)*)
    \s*(?::(?P<spec>[^{}|]*?)|\|\s*(?P<unit>\w+))?
    \s*\}\}""",
    re.X,
)


class MeasurementError(ValueError):
    """A placeholder that results.json cannot fill in."""


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written in the page
    start: int  # offset in the page
    line: int
    key: str
    field: str | None
    divisors: tuple[int, ...]
    spec: str | None
    unit: str | None


def placeholders(text: str) -> list[Placeholder]:
    """The placeholders of a page, in order; one that matches no form raises MeasurementError."""
    found = []
    for candidate in _CANDIDATE.finditer(text):
        line = text.count("\n", 0, candidate.start()) + 1
        form = _FORM.fullmatch(candidate.group())
        if form is None:
            raise MeasurementError(
                f"line {line}: {candidate.group()} is not a measurement placeholder "
                "({{ bench.KEY }}, {{ bench.KEY | µs }}, {{ bench.KEY / N | s }} "
                "or {{ bench.KEY.FIELD:.1f }})"
            )
        divisors = tuple(int(n) for n in re.findall(r"[0-9][0-9_]*", form["divisors"]))
        spec = form["spec"].strip() if form["spec"] is not None else None
        found.append(
            Placeholder(candidate.group(), candidate.start(), line, form["key"], form["field"],
                        divisors, spec, form["unit"])
        )
    return found


def render(text: str, results: dict | None = None) -> str:
    """The page with every placeholder replaced by its figure (results: the contents of
    results.json)."""
    if results is None:
        results = load()
    entries = {entry["key"]: entry for entry in results["results"]}
    pieces, position = [], 0
    for placeholder in placeholders(text):
        pieces += [text[position : placeholder.start], figure(placeholder, entries)]
        position = placeholder.start + len(placeholder.text)
    return "".join(pieces) + text[position:]


def figure(placeholder: Placeholder, entries: dict) -> str:
    """The text a placeholder stands for."""

    def fail(why):
        return MeasurementError(f"line {placeholder.line}: {placeholder.text}: {why}")

    entry = entries.get(placeholder.key)
    if entry is None:
        raise fail(
            f"benchmarks/results.json has no entry {placeholder.key!r} "
            f"(it has: {', '.join(sorted(entries))})"
        )
    name = placeholder.field or "time"
    if name not in entry:
        raise fail(
            f"the entry {placeholder.key!r} of benchmarks/results.json has no field {name!r} "
            f"(it has: {', '.join(entry)})"
        )
    value = entry[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(f"the field {name!r} of {placeholder.key!r} is {value!r}, not a number")
    for divisor in placeholder.divisors:
        if divisor == 0:
            raise fail("division by zero")
        value /= divisor
    if placeholder.spec is not None:
        try:
            return format(value, placeholder.spec)
        except ValueError as error:
            raise fail(f"bad format {placeholder.spec!r}: {error}") from None
    if placeholder.unit is not None:
        if placeholder.unit not in UNITS:
            raise fail(f"unknown unit {placeholder.unit!r} (use one of {', '.join(UNITS)})")
        return f"{two_figures(value / UNITS[placeholder.unit])} {placeholder.unit}"
    return format_time(value)


def two_figures(x: float) -> str:
    """x rounded to two significant figures, written without an exponent.

    >>> (two_figures(135.2), two_figures(1.84), two_figures(0.0399), two_figures(19.96),
    ...  two_figures(0))
    ('140', '1.8', '0.040', '20', '0')
    """
    if x == 0:
        return "0"
    rounded = round(x, 1 - math.floor(math.log10(abs(x))))
    decimals = max(0, 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:.{decimals}f}"


def load() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


@cache
def _script():
    """benchmarks/run.py as a module (importing it measures nothing)."""
    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def format_time(seconds: float) -> str:
    """As the table of benchmarks/results.md writes a time."""
    return _script().format_time(seconds)
