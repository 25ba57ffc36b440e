"""Stop with a message when the Python running this is older than the book needs.

The quick start runs it first: on an older Python, the next steps would stop with a
pip error (ResolutionImpossible) that does not say what is wrong. Written to run
on any Python, 2.7 included.
"""

import sys


NEEDED = (3, 11)

if tuple(sys.version_info[:2]) < NEEDED:
    sys.exit(
        "The book needs Python " + ".".join(str(part) for part in NEEDED) + " or newer, and "
        "this is Python " + sys.version.split()[0] + " (" + sys.executable + "). README.md, "
        "'Quick start', says how to get one; then run the command again with it, for example "
        "python3.12 in place of python3."
    )
