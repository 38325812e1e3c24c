"""Tense: whether the sentence a date stands in speaks of the past or the future.

A bare weekday or month ("Friday", "in March") points back or forward by the sentence's
tense: "the ministers met on Friday" is the last Friday, "will meet on Friday" the next one.
``tense_direction`` reads that from the words around the expression, with rules for the
shapes news sentences take: reported speech, passives, plans and postponements, possessive
dates ("Friday's vote"), headlines, clause breaks, nouns that look like verbs.
"""

from __future__ import annotations

import bisect
import functools
import re

from .words import MONTH_PATTERN, NUMBER_PATTERN, WEEKDAY_PATTERN

__all__ = ["find_expression", "tense_direction"]

_FUTURE_RE = re.compile(
    r"\b(will|would|shall|'ll|won't|might|forecast|"
    r"could(?!\s+(?:not|never|have|be|hear|see|feel|smell|tell|only|also|still|already)\b)|"
    r"going to|scheduled|planned|plans? to|"
    r"planning|supposed to|expects?|expected|intends?|hopes? to|aims? to|(?:is|are|be) due|"
    r"due (?:on|by|in)|set (?:to|for)|agreed to|decided to|promised to|vowed to|proposed|"
    # a postponement looks ahead to its new date ("adjourned the case until Wednesday"),
    # not to the day it was decided ("was postponed on December 30")
    r"rescheduled|(?:postponed|delayed|deferred|put off|pushed back|adjourned)"
    r"(?:\s+(?!on\b)\w+){0,3}\s+(?:until|till|to)|adjourned(?:\s+\w+){0,3}\s+for|"
    r"moves? (?:from|to)|pending|"
    r"(?:is|are|was|were|been|be) moved (?:back |forward )?(?:from|to|until)|"
    r"meets?|opens?|begins?|starts?|resumes?|convenes?|gathers?|travels? to|visits?|"
    r"takes? place|goes? ahead|next|upcoming|coming|is to|are to|later this|to be \w+|"
    r"arrives?|leaves? for|heads? to|fl(?:y|ies) to|celebrates?|reopens?|"
    rf"expires?|kicks? off|testif(?:y|ies)|takes? effect|faces|"
    r"holds? (?:a|an|its|their|talks|elections?|polls?)\b|on (?:course|track) to|likely to|"
    r"reports? (?:its |their )?(?:\w+ )?(?:earnings|results)|(?:cancell?ed|booked) for|"
    r"speaks?|announces|releases|publishes|(?:is|are) (?:possible|likely)|"
    rf"votes(?=\s+{WEEKDAY_PATTERN})|goes? to|"
    r"appl(?:y|ies) from|slated|(?:forecast|predicted) to|"
    r"payable|effective)\b",
    re.I,
)
_PAST_RE = re.compile(
    r"\b(?<!-)(was|were|had|did|said|told|held|met|took|came|went|made|gave|got|saw|sold|paid|"
    r"rose|fell|began|won|lost|left|bought|brought|thought|caught|sought|fought|taught|became|"
    r"ran|kept|felt|knew|grew|spoke|wrote|broke|chose|drove|led|sent|spent|built|found|"
    r"heard|meant|stood|understood|beat|struck|fled|threw|sank|stole|swore|drew|flew|shook|"
    r"fallen|risen|grown|begun|shrunk|sunk|agreed|freed|guaranteed|"
    r"ago|last|"
    # an -ed word, but not a name-like adjective ("United", "limited") nor a participle in
    # a fixed phrase ("coupled with the wind change", "compared with", "based on")
    r"(?!united\b|limited\b|un\w+ed\b|(?:coupled|combined|compared|based|linked|related|"
    r"tied|associated)\s+(?:with|to|on)\b)\w{2,}[^e\W]ed)\b",
    re.I,
)
# Words of _FUTURE_RE that are also nouns: after a determiner they are the noun ("the start
# of March", "his visit on Tuesday", "a meet"), which says nothing of tense.
_NOUN_AFTER_RE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|our|your|my|this|that|these|those|\w+'s|of|whose|any|"
    rf"each|every|no|more|{NUMBER_PATTERN})\s+"
    r"(?:(?:first|last|next|second|final|latest|new|recent|official|state|surprise|short|brief|"
    r"long|historic|annual|weekly|[\w]+-day)\s+)?$",
    re.I,
)
_NOUNISH = frozenset(
    [
        "meet",
        "meets",
        "open",
        "opens",
        "start",
        "starts",
        "resume",
        "resumes",
        "visit",
        "visits",
        "gathers",
        "travels",
        "faces",
        "expires",
        "coming",
        "proposed",
        "delayed",
        "postponed",
        "scheduled",
        "planned",
        "expected",
        "hold",
        "holds",
        "vote",
        "votes",
        "move",
        "moves",
        "releases",
        "speaks",
        "forecast",
    ]
)


def _changed_plan(text: str, match: re.Match[str]) -> bool:
    """ "Originally scheduled to", "first supposed to": a plan since changed."""
    before = text[max(0, match.start() - 14) : match.start()]
    if re.search(r"\b(?:originally|initially)\s+$", before):
        return True
    plan = r"(?:scheduled|supposed|planned|set|due|slated|agreed|decided|expected)\b"
    return bool(re.search(r"\bfirst\s+$", before) and re.match(plan, match.group(0), re.I))


def _future_marks(text: str) -> list[re.Match[str]]:
    """The future markers of ``text``, less the nouns and adjectives among them."""
    return [
        m
        for m in _FUTURE_RE.finditer(text)
        if not _proper_noun(text, m)
        # "originally scheduled to end Tuesday", "first supposed to resume": a plan since
        # changed says nothing of tense; nor does "than expected"
        and not _changed_plan(text, m)
        and not re.search(
            r"\b(?:originally|initially|than|as)\s+$"
            r"|\b(?:originally|initially|first)\s+(?:scheduled|supposed|planned|set|due|slated)\b"
            r"[^,.;]{0,25}$",
            text[max(0, m.start() - 60) : m.start()],
        )
        # "the first Virginia governor to be convicted": a superlative's infinitive
        and not (
            m.group(0).lower().startswith("to be")
            and re.search(
                r"\b(?:first|last|only|\w+est)\b(?:\s+[\w-]+){0,4}\s+$",
                text[max(0, m.start() - 48) : m.start()],
                re.I,
            )
        )
        and (
            m.group(0).split()[0].lower() not in _NOUNISH
            or not _NOUN_AFTER_RE.search(text, max(0, m.start() - 24), m.start())
        )
    ]


# Right before the date, these look ahead whatever the verb's tense: "traders were looking
# ahead to Friday's data", "Push On Toward Tuesday's Vote", "warned to leave ahead of severe
# fire conditions on Monday" (but not "ahead of schedule").
_AHEAD_RE = re.compile(
    r"\b(?:ahead (?:of|to)|towards?)\s*$"
    r"|\bahead of\b(?!\s+(?:schedule|time|expectations|forecasts?)\b)[^,.;]{0,60}\b(?:on|for)\s*$",
    re.I,
)
# A purpose right before a possessive date looks ahead: "the delegation to attend
# Wednesday's ministerial meeting".
_TO_ATTEND_RE = re.compile(
    r"\bto (?:attend|prepare for|watch|join|host|chair|contest|take part in|participate in|"
    r"play in|compete in)\s+(?:the\s+)?$",
    re.I,
)
_INTENT_RE = re.compile(
    r"\b(?:agree[sd]?|decided?|decides|promise[sd]?|vow(?:s|ed)?|pledge[sd]?|plan(?:s|ned|ning)?|"
    r"intend(?:s|ed)?|aim(?:s|ed)?|prepar(?:e|es|ed|ing)|schedul(?:e|es|ed|ing)|resolved?)"
    r"\b[^.;,]{0,30}?(?P<to>\bto (?!be\b)[a-z]+)|\bto prepare\b|\baim(?:s|ed)? at\b",
    re.I,
)
_CALLED_OFF_RE = re.compile(
    r"[^\s,]+(?:\s+[^\s,]+){0,5}?\s+(?:(?:has|have)\s+been|is|are)\s+"
    r"(?:called off|cancell?ed|postponed|scrapped|put off|rescheduled)\b",
    re.I,
)
# After the date, a plan in the past tense is the past it looks like: "On Friday, the
# government planned to pay", "In talks on Monday, South Korea promised to present".
_PAST_INTENT_RE = re.compile(
    r"(?:planned|agreed|decided|promised|vowed|proposed|intended|expected|scheduled)\b", re.I
)


def _past_plan(context: str, start: int) -> bool:
    """A plan word in the past tense at ``start``, and not a present passive ("On Saturday
    the prime minister is scheduled to ...")."""
    return bool(
        _PAST_INTENT_RE.match(context, start)
        and not re.search(r"\b(?:is|are|am)\s+$", context[max(0, start - 8) : start], re.I)
    )


# Where one clause ends and another begins.
_CLAUSE_BREAK_RE = re.compile(
    # (", and July" continues a list of dates, not a clause)
    rf";|\s[\u2013\u2014-]{{1,2}}\s|,\s+(?:and|but|while|whereas|although|though)\b"
    rf"(?!\s+(?:{MONTH_PATTERN}|{WEEKDAY_PATTERN}|\d)(?!\w))"
    r"|\s(?:after|because|although)\s(?=\w+(?:\s+\w+)?\s+(?:\w+ed|beat|won|lost|had|was|were)\b)",
    re.I,
)
# A closing attribution: ", electoral officials warned." / ", the ministry said on Monday."
_ATTRIBUTION_RE = re.compile(
    r",[^,]{0,60}\b(?:said|says|warned|told|added|reported|announced|stated|noted)\b[^,]*$",
    re.I,
)
# "as early as Tuesday", "no later than March": a time not yet come.
_SOONEST_RE = re.compile(r"\b(as (?:early|soon) as|no later than|not before)\b", re.I)
_PASSIVE_RE = re.compile(r"\b(is|are|am|be|being)\s+$", re.I)
_PLAIN_FUTURE_RE = re.compile(
    r"\b(will|shall|'ll|going to|ahead of|upcoming|scheduled|set for|due(?! to\b)|"
    r"(?:run|build|lead)-up to|in advance of|ahead to)\b",
    re.I,
)
_MODAL_RE = re.compile(r"\b(could|would|may|might|will|can|shall|'ll|should)\b", re.I)


def _starts_within(starts: list[int], low: int, high: int) -> bool:
    """Whether a sorted list of positions has one in [low, high]."""
    at = bisect.bisect_left(starts, low)
    return at < len(starts) and starts[at] <= high


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of the sorted, non-overlapping ``spans``."""
    at = bisect.bisect_right(spans, (position, 1 << 62)) - 1
    return at >= 0 and spans[at][0] <= position < spans[at][1]


def find_expression(context: str, expression: str) -> int:
    """Where ``expression`` stands in ``context`` as a whole word or phrase ("5" not inside
    "2025", "May" not inside "Mayor"), case aside; -1 when it is not there."""
    if not expression:
        return -1
    found = re.search(rf"(?<!\w){re.escape(expression)}(?!\w)", context, re.I)
    if found is None:  # a span cut inside a word, as some annotations are
        return context.lower().find(expression.lower())
    return found.start()


def _proper_noun(text: str, match: re.Match[str]) -> bool:
    """A capitalised word inside a sentence is a name, not a verb: "the Met Office"; but
    not in a headline, where every word is capitalised ("Exams Set to Start Monday")."""
    return (
        match.group(0)[:1].isupper()
        and re.search(r"[\w,;:]\s+$", text[max(0, match.start() - 8) : match.start()]) is not None
        and not _title_case(text)
    )


@functools.lru_cache(maxsize=16)
def _title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z]{4,}", text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def tense_direction(context: str | None, expression: str | None = None) -> int:
    """+1 when the sentence speaks of the future, -1 of the past, 0 when it does not say;
    ±2 when the words right before the expression say so (a stronger cue).

    The four words before the expression decide first ("will be held in March", "a spokesman
    said Thursday"); failing that, the nearest tense marker before it in the sentence, then
    the nearest after it ("warnings from Moscow on Thursday that strikes could ...": past).
    """
    if not context:
        return 0
    # One space for any run of whitespace or typographic apostrophe, in both, so that the
    # expression is found however the sentence was wrapped.
    context = " ".join(context.replace("\u2019", "'").split())
    expression = " ".join(expression.replace("\u2019", "'").split()) if expression else None
    at = find_expression(context, expression) if expression else -1
    if at < 0:
        return 1 if _future_marks(context) else (-1 if _PAST_RE.search(context) else 0)
    near = " ".join(context[:at].split()[-4:])
    head = context[:at].rstrip()
    start = len(head) - len(near) if head.endswith(near) else len(head)
    futures = _future_marks(context)
    if any(start <= m.start() < at for m in futures) or _AHEAD_RE.search(
        context, max(0, at - 80), at
    ):
        return 2
    after_text = context[at + len(expression or "") :]
    if re.match(r"\s+(?:delivery|contracts?|futures|settlement)\b", after_text, re.I) or re.search(
        r"\b(?:delivery|settlement) in\s*$|\b(?:starting|beginning|effective)\s*$",
        near,
        re.I,
    ):
        # "crude for February delivery", "for delivery in April": a contract month still to
        # come; "starting Monday": not yet
        return 2
    if re.match(
        r"\s+(?:(?:retail|auto|home|trade|factory|consumer|jobs?) )?(?:sales|data|figures|"
        r"numbers|payrolls|inflation|exports|imports|output|jobs report|employment report)\b",
        after_text,
        re.I,
    ):
        return -2  # "December retail sales": the month the data describe, already over
    soonest = _SOONEST_RE.search(near)
    if soonest:
        # "could come as early as Tuesday" looks ahead, even after "officials said"; "warned
        # as early as November" and "knew of it as early as Friday" look back: the verb
        # nearest the phrase decides, and a modal after a past verb wins.
        leading = context[: context.lower().rfind(soonest.group(0).lower(), 0, at)]
        pasts = [
            m
            for m in _PAST_RE.finditer(leading)
            if not _PASSIVE_RE.search(leading, max(0, m.start() - 12), m.start())
        ]
        if not pasts or _MODAL_RE.search(leading, pasts[-1].end()):
            return 2
    # Near the expression, a word in -ed counts only right before it ("held on", "announced
    # Monday"); "preferred shares on Oct. 31" is an adjective, not a past tense. A participle
    # after "is" is a present passive ("the case is heard in May"), not a past tense.
    # (the auxiliary of a passive may stand just outside the four words: "be argued until")
    # a past form inside a future phrase is part of it: "was moved from Friday to"
    future_spans = [(m.start(), m.end()) for m in _FUTURE_RE.finditer(context)]
    near_past = [
        m
        for m in _PAST_RE.finditer(head, start)
        if not _PASSIVE_RE.search(head[max(0, m.start() - 12) : m.start()])
        and not _proper_noun(head, m)
        and not _inside(future_spans, m.start())
    ]
    last_ed = re.search(r"\b(\w+ed)(?:\s+(?:on|in|at|during))?\s*$", near, re.I)
    if last_ed and (
        _PASSIVE_RE.search(head[: start + last_ed.start()])
        or not _PAST_RE.fullmatch(last_ed.group(1))  # "Manchester United on Friday"
        or _proper_noun(head, _PAST_RE.match(head, start + last_ed.start()) or last_ed)
    ):
        last_ed = None
    if last_ed or any(not m.group(0).lower().endswith("ed") for m in near_past):
        return -2
    if re.search(r"\bearlier\s+(?:in|on|this|that)?\s*$", near, re.I):
        return -2  # "liftoff earlier in December"
    if near_past:
        return -1  # an -ed word a little way off: past, but not a strong cue
    if re.search(r"\bby\s*$", near, re.I):
        return 1  # a deadline: "by August"
    if re.search(r"\b(?:until|till|through)\s*$", near, re.I) and not _PAST_RE.search(
        _ATTRIBUTION_RE.sub("", context)
    ):
        # "loans through January"; "not known until Tuesday, officials warned": the
        # attribution's tense is the reporter's, not the deadline's
        return 2
    if re.search(r"\bsince\b", near, re.I):
        return -2  # "since the Oct. 23 slaying", "since Dec. 31 it has gained 19.9%"
    written = expression or ""
    if re.match(r"(?:'s)?\s+deadline\b", context[at + len(written) :], re.I) and not (
        _PAST_RE.search(_ATTRIBUTION_RE.sub("", context))
    ):
        return 1  # "Friday's deadline looms", "a Friday deadline": still to come
    if written.endswith("'s") or re.match(r"'s\b", context[at + len(written) :]):
        # "get around Wednesday's ruling": a possessive date names an event already known,
        # and a conditional further off ("would") does not move it; a plain future does
        # ("will travel to Brussels ahead of Thursday's summit").
        # (a future far back in a long sentence governs something else: "will hold talks
        # next week to discuss the agreements from April's summit")
        if _PLAIN_FUTURE_RE.search(context, max(0, at - 70), at) or _TO_ATTEND_RE.search(
            context[:at]
        ):
            return 1
        if _CALLED_OFF_RE.match(context, at):
            return 1  # "Wednesday's match with Spurs has been called off": it was to come
        if re.match(
            r"(?:'s)?\s+(?:\w+\s+)?(?:schedule|agenda|programme|program|itinerary)\b",
            context[at + len(written) :],
            re.I,
        ):
            return 1  # "Wednesday's schedule calls for a formal arrival ceremony"
        return -1
    marks = [(m.start(), 1) for m in futures]

    marks += [
        (m.start(), -1)
        for m in _PAST_RE.finditer(context)
        if not _inside(future_spans, m.start())
        and not _proper_noun(context, m)
        # "would be paid", "the case is heard": a passive, not a past tense
        and not _PASSIVE_RE.search(context, max(0, m.start() - 12), m.start())
    ]
    # A present tense between an earlier past verb and the date cuts the past off: "had not
    # signed ... when the case is heard in May".
    # An infinitive after a verb of intent or preparation looks ahead: "agreed Friday
    # afternoon to continue their meetings on Saturday", "were preparing to sit ... this
    # Thursday", "met on Tuesday to prepare for the meetings on Thursday".
    marks += [
        (m.start("to") if m["to"] else m.start(), 1)
        for m in _INTENT_RE.finditer(context)
        if not _changed_plan(context, m)
    ]
    # "after canceling 17 flights on Friday": what came before
    marks += [(m.start(), -1) for m in re.finditer(r"\b[Aa]fter\s+[a-z]{3,}ing\b", context)]
    # A present progressive is an arrangement when its time is a weekday after it:
    # "thousands are arriving in Phoenix for the Super Bowl on Sunday" (but "On Monday, the
    # envoys are holding talks" sets a scene).
    weekday = expression is not None and re.search(rf"\b{WEEKDAY_PATTERN}", expression, re.I)
    # ("is set to", "are due": the future word after it makes the mark, not the "is")
    future_starts = sorted(m.start() for m in futures)
    marks += [
        (m.start(), 1 if weekday and m.group(1) and m.start() < at else 0)
        for m in re.finditer(
            r"\b(?:is|are)\b(?!\s+\w+ed\b)(\s+(?:\w+ly\s+)?(?:arriving|leaving|travell?ing|"
            r"flying|heading|meeting|holding|hosting|playing|visiting|returning|launching|opening|"
            r"starting|releasing|coming|going|taking on|facing)\b)?",
            context,
        )
        if not _starts_within(future_starts, m.end() + 1, m.end() + 12)
    ]
    # The clause that holds the date decides when it has a tense of its own: in "Friday
    # last week was the hottest day, and this Friday is set to be a scorcher too", the
    # second clause's "is set to" wins over the first's "was".
    end = at + len(expression or "")
    starts = [m.end() for m in _CLAUSE_BREAK_RE.finditer(context) if m.end() <= at]
    stop = _CLAUSE_BREAK_RE.search(context, end)
    clause = [
        mark
        for mark in marks
        if (starts[-1] if starts else 0) <= mark[0] < (stop.start() if stop else len(context))
    ]
    if clause and len(clause) < len(marks):
        marks = clause
    before = [mark for mark in marks if mark[0] < at]
    # "planned" looks ahead only to a date after it ("planned to leave on Thursday"); after
    # the date it is the past tense it looks like ("On Friday, the government planned to").
    after = [
        (start, -1 if _past_plan(context, start) else sign)
        for start, sign in marks
        if start >= at + len(expression or "")
    ]
    if before:
        return max(before)[1]
    if after:
        return min(after)[1]
    return 0
