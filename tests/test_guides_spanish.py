"""The Spanish guides: one for every English guide, with the same front matter keys and links, and
plain enough to read: Flesch–Szigriszt (INFLESZ) at "bastante fácil" (65) or better.

Szigriszt-Pazos (1993): 206.835 − 62.3 × syllables/words − words/sentences. Syllables are counted
by Spanish's rules for vowel groups: a, e, o are strong vowels, two strong vowels are two syllables
(hiato), a weak vowel (i, u, unstressed) beside another vowel shares its syllable (diptongo), and
an accented í or ú is a syllable of its own. Run `pytest -s` to see each guide's figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parent.parent / "content"
ENGLISH = sorted(p.name for p in CONTENT.glob("*.md"))
FAIRLY_EASY = 65  # INFLESZ: 55-65 "normal", 65-80 "bastante fácil", 80+ "muy fácil"

STRONG, WEAK_ACCENTED = set("aeoáéó"), set("íúü")
WORD = re.compile(r"[a-záéíóúüñ]+", re.I)
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n\s*\n|\n\s*[-*]\s|\n\s*\d+\.\s|\n#+\s")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def syllables(word: str) -> int:
    word = word.lower().replace("qu", "q").replace("gue", "ge").replace("gui", "gi").replace("guí", "gí")
    count, previous = 0, ""
    for ch in word:
        if ch in "aeiouáéíóúü":
            if not previous or previous in STRONG and ch in STRONG or ch in WEAK_ACCENTED or previous in WEAK_ACCENTED:
                count += 1
            previous = ch
        else:
            previous = ""
    return max(count, 1)


def body(text: str) -> str:
    """The guide's prose: no front matter, link targets, tables or code."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = LINK.sub(r"\1", text)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("|", "```", "<"))]
    return "\n".join(lines)


def szigriszt(text: str) -> float:
    prose = body(text)
    words = WORD.findall(prose)
    sentences = max(len([s for s in SENTENCE_END.split(prose) if WORD.search(s)]), 1)
    return 206.835 - 62.3 * sum(map(syllables, words)) / len(words) - len(words) / sentences


def test_syllables_follow_spanish_rules():
    assert [syllables(w) for w in ("licitación", "proveedor", "día", "cuidado", "que", "guía", "adjudicación")] == \
        [4, 4, 2, 3, 1, 2, 5]


@pytest.mark.parametrize("name", ENGLISH)
def test_every_guide_has_a_spanish_version_as_easy_to_read(name):
    spanish = CONTENT / "es" / name
    assert spanish.is_file(), f"content/es/{name} is missing"
    text, original = spanish.read_text("utf-8"), (CONTENT / name).read_text("utf-8")
    keys = lambda t: re.findall(r"^(\w+):", t.split("---")[1], re.M)  # noqa: E731
    assert keys(text) == keys(original), "the same front matter"
    targets = lambda t: sorted(re.findall(r"\]\(([^)]*)\)", t))  # noqa: E731
    assert targets(text) == targets(original), "the same links"
    score = szigriszt(text)
    print(f"{name}: Flesch–Szigriszt {score:.1f}")
    assert score >= FAIRLY_EASY, f"content/es/{name} scores {score:.1f}: use shorter sentences and words"
