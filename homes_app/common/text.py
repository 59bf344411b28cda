"""Characters no one types into a name, a note or a case reference: control characters (NUL,
escape, a bare carriage return), and invisible ones that change how text around them reads or
sorts (bidirectional overrides and isolates, zero-width and other format characters, unpaired
surrogates, Unicode line and paragraph separators). Refused at the form, so they never reach a
page, an export, a calendar feed or a log."""
from __future__ import annotations

import unicodedata

# Cc: C0 and C1 controls (NUL, ESC, CR...); Cf: format characters (U+200B-U+200F, U+202A-U+202E,
# U+2066-U+2069, U+FEFF...); Cs: surrogates; Zl, Zp: U+2028 and U+2029, line breaks in disguise.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# A note of several lines keeps its line breaks (a browser sends them as CR LF) and tabs.
MULTILINE_ALLOWED = frozenset({"\n", "\t"})


def unsafe_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of `text` that must not be kept, each once, in the order found; none in
    ordinary text. In a multi-line field a line break (LF, or CR LF) and a tab are ordinary."""
    found: list[str] = []
    for index, char in enumerate(text):
        if multiline and (char in MULTILINE_ALLOWED
                          or (char == "\r" and text[index + 1:index + 2] == "\n")):
            continue
        if unicodedata.category(char) in UNSAFE_CATEGORIES and char not in found:
            found.append(char)
    return found
