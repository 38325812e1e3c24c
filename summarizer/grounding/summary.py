"""The summary's own words held to the article: its numbers, names and negations.

A summary sentence is the model's free text, so the words a model most often gets wrong are
checked by code: every number (digits, number words, percentages, money, counts) and every
proper name must occur in the article, and should occur in the passages the sentence cites; a
negation that none of the cited passages carries is suspect. Matching is on values for numbers
("two" is 2, "13,400" is 13400) and on whole words for names, forgiving only the case of the
first letter and the endings of adjectives made from names ("Russian" for "Russia").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .match import NormalizedText, contains_name

_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "dozen": 12,
    "half": 0.5,
    "twice": 2,
    "double": 2,
    "triple": 3,
}
# "one" is left out: far more often a pronoun ("one of the talks") than a count.
# Digits with their unit suffix ("$16.6bn", "1990s", "99th", "120m"); a number after ":" is
# a clock's minutes ("10:00"). Plural magnitudes ("thousands of") are vague, not counts.
_NUMBER_RE = re.compile(
    r"(?<![\w.,:])(?P<digits>\d+(?:[.,]\d+)*)(?P<suffix>bn|mn|m|k|s|st|nd|rd|th)?(?![\w])"
    r"|\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b",
    re.I,
)
_SUFFIX_MAGNITUDE = {"bn": "billion", "mn": "million", "m": "million", "k": "thousand"}
_NEGATION_RE = re.compile(
    r"\b(not|no|never|nor|neither|none|nobody|nothing|without|cannot|den(?:y|ies|ied|ying)|"
    r"refus\w*|reject\w*|fail\w*)\b|n't\b",
    re.I,
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
# Capitalised words that are not names: sentence openers, titles, days and months are left to
# the date checks, pronouns.
_NOT_NAME_WORDS = """
    a an the he she it its they them their we our you i his her this that these those there
    here on in at after before as while but and or for with from by to of despite however
    also both all meanwhile according some most many several such what when where who which
    why how if then than since until during under over into between against mr mrs ms dr
    sir secretary general minister president prime deputy foreign affairs monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december senator governor chief executive leader
    majority minority chairman chairwoman spokesman spokeswoman spokesperson ceo
    representative ambassador envoy official officials analysts sen rep gov gen
    co inc ltd corp jan feb mar apr jun jul aug sep sept oct nov dec pm thousands millions
    billions hundreds dozens tens
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# A name's adjective shares its first letters: "Russian"/"Russia", "Chinese"/"China" (and
# "Australia" passes for "Austria": the check guards against invention, not spelling).
_STEM = 4


def _values_of(match: re.Match[str]) -> list[str]:
    """The values one number stands for: "13,400" is 13400; "$16.6bn" is 16.6 and a billion."""
    word = match.group("word")
    if word is not None:
        return [_canonical(_NUMBER_WORDS[word.lower()])]
    values = []
    digits = match.group("digits")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    try:
        values.append(_canonical(float(digits.replace(",", "."))))
    except ValueError:
        values.append(digits)
    magnitude = _SUFFIX_MAGNITUDE.get((match.group("suffix") or "").lower())
    if magnitude:
        values.append(_canonical(_NUMBER_WORDS[magnitude]))
    return values


def number_values(text: str) -> set[str]:
    """The numbers in ``text`` by value, as strings ("13,400" and "13400" are "13400")."""
    return {value for match in _NUMBER_RE.finditer(text) for value in _values_of(match)}


def _canonical(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def names_in(sentence: str) -> list[str]:
    """The capitalised words of ``sentence`` that stand for names, each once, in order:
    hyphenated names split ("US-Russian"), possessives cut ("Ukraine's")."""
    names: list[str] = []
    for match in _WORD_RE.finditer(sentence):
        for part in match.group(0).split("-"):
            word = re.sub(r"['’]s?$", "", part)
            # Single letters are initials or abbreviations ("U.S.", "J. Doe"), not names.
            if len(word) < 2 or not word[0].isupper():
                continue
            if word.lower() in _NOT_NAMES or word in names:
                continue
            names.append(word)
    return names


def _opens_clause(sentence: str, word: str) -> bool:
    at = re.search(rf"(?<![\w-]){re.escape(word)}", sentence)
    if at is None:
        return False
    before = sentence[: at.start()].rstrip()
    return not before or before[-1] in '.!?"“('


def _title_case(text: str) -> bool:
    """A headline in Title Case capitalises common words too ("NATO Says It Will Not ...")."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text)]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _named(word: str, source: NormalizedText) -> bool:
    if contains_name(word, source):
        return True
    if len(word) <= _STEM or word.isupper():
        return False
    stem = word[:_STEM]
    return re.search(rf"(?<!\w){re.escape(stem)}\w*", source.text) is not None


@dataclass(frozen=True)
class SentenceProblems:
    """What is wrong with one summary sentence, by how serious it is."""

    missing_numbers: list[str]  # in the sentence, not in the article: it fails
    missing_names: list[str]
    uncited: list[str]  # in the article but in none of the cited passages: suspect
    negation: bool  # a negation no cited passage carries: suspect

    @property
    def fails(self) -> bool:
        return bool(self.missing_numbers or self.missing_names)

    @property
    def suspect(self) -> bool:
        return bool(self.uncited or self.negation)


def sentence_problems(
    sentence: str, source: NormalizedText, cited: Iterable[str] = ()
) -> SentenceProblems:
    """Check one summary sentence against the article and the passages it cites."""
    cited_text = NormalizedText(" \n ".join(cited))
    article_numbers = number_values(source.text)
    cited_numbers = number_values(cited_text.text)
    missing_numbers: list[str] = []
    uncited: list[str] = []
    openers: list[str] = []
    for match in _NUMBER_RE.finditer(sentence):
        values = _values_of(match)
        if any(value not in article_numbers for value in values):
            missing_numbers.append(match.group(0))
        elif any(value not in cited_numbers for value in values):
            uncited.append(match.group(0))
    missing_names: list[str] = []
    title_case = _title_case(sentence)
    for name in names_in(sentence):
        lower = rf"(?<!\w){re.escape(name.lower())}(?!\w)"
        opener = _opens_clause(sentence, name)
        if (opener or title_case) and re.search(lower, source.text, re.I):
            continue  # a common word written capitalised ("Such", "Talks", "Says")
        if opener and name.endswith("ly"):
            continue  # "Separately, ...", "Additionally, ..."
        if not _named(name, source):
            # In Title Case every word is capitalised: an unknown one there is suspect only.
            (openers if title_case else missing_names).append(name)
        elif not _named(name, cited_text):
            uncited.append(name)
    negation = bool(_NEGATION_RE.search(sentence)) and not _NEGATION_RE.search(cited_text.text)
    return SentenceProblems(
        missing_numbers=list(dict.fromkeys(missing_numbers)),
        missing_names=missing_names,
        uncited=list(dict.fromkeys([*uncited, *openers])),
        negation=negation,
    )


def publisher_named(publisher: str, source: NormalizedText) -> bool:
    """The publisher is named in the article (a footnote mark after it allowed: "DW1")."""
    if contains_name(publisher, source):
        return True
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, publisher.split())) + r"\d{0,3}(?!\w)"
    return bool(publisher.split()) and re.search(pattern, source.text) is not None
