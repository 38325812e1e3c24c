"""Rendering a briefing as the Markdown note an analyst hands on."""

from __future__ import annotations

from ..schemas import Briefing, CitedSentence, Evidence, Meeting, Place

_ORIGIN_NOTICE = {
    "authored": (
        "> **Authored fixture.** This briefing replays an answer written by hand in the model's "
        "wire format (for tests and demos), not the output of a model."
    ),
    "recorded": "> Replayed from a recorded model exchange.",
}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _quote_line(evidence: Evidence) -> str:
    text = " ".join(evidence.quote.split())
    if evidence.verified and evidence.start is not None:
        return f"> {text} <sub>[chars {evidence.start}–{evidence.end}]</sub>"
    return f"> {text} <sub>**not found in the article**</sub>"


def _cited(sentence: CitedSentence, notes: list[Evidence]) -> str:
    """The sentence with its citations ("[1][2]"), numbered in the order they first appear;
    the same passage cited twice keeps its number."""
    marks = []
    for evidence in sentence.evidence:
        if evidence not in notes:
            notes.append(evidence)
        marks.append(f"[{notes.index(evidence) + 1}]")
    flagged = " *(suspect: " + "; ".join(sentence.flags) + ")*" if sentence.flags else ""
    return f"{sentence.text} {''.join(marks)}{flagged}".strip()


def _place(place: Place | None) -> str:
    if place is None:
        return "not stated"
    parts = [p for p in (place.venue, place.city, place.country) if p]
    text = ", ".join(parts) or "not stated"
    return f"{text} (implied, not stated)" if place.inferred else text


def _date(meeting: Meeting) -> str:
    if meeting.date is None:
        return "undated"
    value = meeting.date.value or "?"
    part = _PART_OF_PERIOD.get(meeting.date.mod or "")
    if part:
        value = f"{part} {value}"
    return f"{value} (“{_cell(meeting.date.text)}”)"


_PART_OF_PERIOD = {
    "START": "early",
    "MID": "mid",
    "END": "late",
    "APPROX": "about",
}  # MORE_THAN and LESS_THAN are left to the words quoted beside the value


def render_markdown(briefing: Briefing) -> str:
    """The briefing note: headline, lede, key points, positions by party, meetings by date."""
    b = briefing
    out: list[str] = [f"# {b.summary.headline}", ""]
    notice = _ORIGIN_NOTICE.get(b.provenance.origin)
    if notice:
        out += [notice, ""]
    src = b.source
    published = (
        f"published {src.published.isoformat()} ({src.published_basis})"
        if src.published
        else "publication date unknown"
    )
    if src.published_note:
        published += f" — {src.published_note}"
    origin_bits = [src.title or "untitled", src.publisher or "", published, src.path or ""]
    out += ["*Source:* " + " · ".join(bit for bit in origin_bits if bit), ""]
    notes: list[Evidence] = []
    lede = " ".join(_cited(s, notes) for s in b.summary.lede_sentences) or b.summary.lede
    out += [lede, "", "## Key points", ""]
    out += [f"- {_cited(point, notes)}" for point in b.summary.key_points]
    if notes:
        out += ["", "### Support", ""]
        out += [f"{n}. {_quote_line(e)[2:]}" for n, e in enumerate(notes, start=1)]
    out += ["", "## Positions", ""]
    for party in b.parties:
        out.append(f"### {party.name}")
        out.append("")
        facts = []
        if party.aliases:
            facts.append("*Also called:* " + ", ".join(party.aliases))
        if party.speakers:
            facts.append(
                "*Speaking:* "
                + "; ".join(f"{s.name} ({s.role})" if s.role else s.name for s in party.speakers)
            )
        if facts:
            out += [" · ".join(facts), ""]
        if not party.claims:
            out += ["*The article states no position of its own for this party.*", ""]
        for claim in party.claims:
            who = f", {claim.speaker}" if claim.speaker else ""
            delivery = claim.delivery.replace("_", " ")
            out.append(
                f"- **{claim.act.title()}** — {claim.issue}{who} ({delivery}): {claim.position}"
            )
            out.append("")
            out += ["  " + _quote_line(ev) for ev in claim.evidence]
            out.append("")
    out += ["## Meetings", ""]
    if not b.meetings:
        out += ["*The article reports no meetings.*", ""]
    else:
        out.append("| Date | Meeting | Status | Place | Participants | Forum |")
        out.append("|---|---|---|---|---|---|")
        for m in b.meetings:
            people = "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in m.participants)
            name = m.name + (f" ({m.duration})" if m.duration else "")
            out.append(
                f"| {_date(m)} | {_cell(name)} ({_cell(m.kind)}) | {m.status.replace('_', ' ')} | "
                f"{_cell(_place(m.place))} | {_cell(people) or '—'} | {_cell(m.forum or '—')} |"
            )
        out.append("")
        for m in b.meetings:
            out.append(f"**{m.name}** — {m.date.derivation if m.date else 'no date given'}")
            out.append("")
            if m.date is not None:
                out += [f"⚠ {flag}" for flag in m.date.flags] + ([""] if m.date.flags else [])
            out += [_quote_line(ev) for ev in m.evidence]
            out.append("")
    p = b.provenance
    v = p.validation
    out += [
        "## Provenance",
        "",
        f"- Model: {p.model} requested"
        + (f", answered by {', '.join(p.answered_by)}" if p.answered_by else "")
        + f" ({p.mode} mode); answer origin: **{p.origin}**",
        f"- Prompt template {p.template_hash}, schema {p.schema_version}, "
        f"summarizer {p.summarizer_version}",
        f"- Attempts: {p.attempts}; tokens: {p.usage.prompt_tokens} prompt + "
        f"{p.usage.completion_tokens} completion = {p.usage.total_tokens}",
        f"- Grounding: {v.checked} quotes, names, places and dates checked against the source; "
        f"first answer {v.failed} unsupported, {v.fixed_by_reask} fixed by re-ask "
        f"({v.reask_tokens} tokens), {v.dropped} dropped",
        "",
    ]
    for issue in v.issues:
        out.append(f"  - dropped {issue.item}: {issue.problem}")
    return "\n".join(out).rstrip() + "\n"
