"""Meeting dates: each meeting's date expression resolved in the article's own sentence.

Anaphoric dates ("two days later") follow the meeting they count from; a scheduled meeting
dated before publication, or a held one after it, is flagged.
"""

from __future__ import annotations

import datetime as dt

from ..grounding.match import NormalizedText
from ..grounding.sentences import sentence_with
from ..schemas import BriefingDraft
from .resolve import resolve
from .words import TemporalValue


def resolve_meeting_dates(
    draft: BriefingDraft, published: dt.date | None, source: str | NormalizedText | None = None
) -> dict[str, TemporalValue | None]:
    """Compute each meeting's date; anaphoric dates follow the meeting they count from.

    The tense that points a bare weekday or month back or forward is read from the article's
    sentence that holds the date (the one inside the meeting's quotes when the expression
    occurs more than once), or from the quotes when the article is not given.
    """
    by_id = {meeting.id: meeting for meeting in draft.meetings}
    norm = None
    if source is not None:
        norm = source if isinstance(source, NormalizedText) else NormalizedText(source)
    resolved: dict[str, TemporalValue | None] = {}
    visiting: set[str] = set()

    def value_of(meeting_id: str) -> TemporalValue | None:
        if meeting_id in resolved:
            return resolved[meeting_id]
        meeting = by_id[meeting_id]
        if meeting.date_text is None or meeting_id in visiting:
            return None
        visiting.add(meeting_id)
        reference: dt.date | None = None
        anchor = meeting.date_relative_to
        if anchor and anchor in by_id and anchor != meeting_id:
            anchor_value = value_of(anchor)
            if anchor_value is not None:
                try:
                    reference = dt.date.fromisoformat(anchor_value.value)
                except ValueError:
                    reference = None
        context = " ".join(meeting.quotes)
        if norm is not None:
            context = sentence_with(norm, meeting.date_text, meeting.quotes) or context
        result = resolve(
            meeting.date_text, published=published, reference=reference, context=context
        )
        visiting.discard(meeting_id)
        resolved[meeting_id] = result
        return result

    for meeting_id in by_id:
        value_of(meeting_id)
    return resolved


def status_flags(
    status: str, computed: TemporalValue | None, published: dt.date | None
) -> list[str]:
    """A scheduled meeting dated before publication, or a held one after it, is suspect."""
    if computed is None or published is None or computed.precision != "day":
        return []
    try:
        day = dt.date.fromisoformat(computed.value)
    except ValueError:
        return []
    if status in ("scheduled", "proposed") and day < published:
        return [f"status {status}, but {day} is before the publication date {published}"]
    if status == "held" and day > published:
        return [f"status held, but {day} is after the publication date {published}"]
    return []
