"""Counts in the command line's summaries, with their nouns in the right number. Pure.

The words are English message ids, through gettext's ngettext, so the plural form is the
catalogue's when the command line is translated and English's rule otherwise.
"""

from __future__ import annotations

import gettext


def counted(n: int, singular: str, plural: str = "") -> str:
    """"1 error", "2 errors", "1 process", "3 processes" (give the plural when it is not +s)."""
    return f"{n:,} {gettext.ngettext(singular, plural or singular + 's', n)}"
