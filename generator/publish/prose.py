"""The data's free text as HTML a first-time bidder can use: escaped, its web addresses made links
(http and https only; everything else stays text), and each abbreviation the site knows explained
where a page first uses it ("SLBE (Small Local Business Enterprise)"), and marked with <abbr>
everywhere.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from generator.values import web_address_spans


class Explainer:
    """Explains the site's terms (site.words.Term) in text; `seen` is the set of abbreviations a
    page has explained so far (one set per page, so each is written out once)."""

    def __init__(self, terms, gettext=lambda s: s):
        self.long = {t.short: gettext(t.long) if t.ours else t.long for t in terms}
        names = sorted(self.long, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])") if names else None

    def __call__(self, value, seen: set[str]) -> Markup:
        value = "" if value is None else str(value)
        out, at = [], 0
        for start, url in web_address_spans(value):
            out.append(self.words(value[at:start], value, seen))
            out.append(Markup('<a href="%s">%s</a>') % (url, url))
            at = start + len(url)
        out.append(self.words(value[at:], value, seen))
        return Markup("").join(out)

    def words(self, part: str, whole: str, seen: set[str]) -> Markup:
        if not self.pattern or not part:
            return escape(part)
        out, at = [], 0
        for match in self.pattern.finditer(part):
            short = match.group(1)
            long = self.long[short]
            out.append(escape(part[at:match.start()]))
            out.append(Markup('<abbr title="%s">%s</abbr>') % (long, short))
            # The first time a page uses it, it says it in full, unless the text already does.
            if short not in seen and long.casefold() not in whole.casefold():
                out.append(Markup(" (%s)") % long)
            seen.add(short)
            at = match.end()
        out.append(escape(part[at:]))
        return Markup("").join(out)
