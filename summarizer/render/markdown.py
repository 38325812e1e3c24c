"""Rendering a briefing as the Markdown note an analyst hands on."""

from __future__ import annotations

from collections.abc import Sequence

from ..notes.model import Note, NoteMeeting
from ..schemas import Briefing, CitedSentence, Evidence, Meeting, Place, Speaker

_ORIGIN_NOTICE = {
    "authored": (
        "> **Authored fixture.** This briefing replays an answer written by hand in the model's "
        "wire format (for tests and demos), not the output of a model."
    ),
    "recorded": "> Replayed from a recorded model exchange.",
}


def party_facts(
    aliases: Sequence[str], speakers: Sequence[Speaker], *, mark: str = ""
) -> list[str]:
    """A party's other names and who speaks for it, as short labelled facts."""
    facts = []
    if aliases:
        facts.append(f"{mark}Also called:{mark} " + ", ".join(aliases))
    if speakers:
        people = "; ".join(f"{s.name} ({s.role})" if s.role else s.name for s in speakers)
        facts.append(f"{mark}Speaking:{mark} {people}")
    return facts


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


def place_label(place: Place | None) -> str:
    """A place in words, marked when the text only implies it (plain text, for any format)."""
    if place is None:
        return "not stated"
    parts = [p for p in (place.venue, place.city, place.country) if p]
    text = ", ".join(parts) or "not stated"
    return f"{text} (implied, not stated)" if place.inferred else text


def date_label(meeting: Meeting) -> str:
    """The computed date, the part of the period meant, and the words it was read from."""
    if meeting.date is None:
        return "undated"
    value = meeting.date.value or "?"
    part = _PART_OF_PERIOD.get(meeting.date.mod or "")
    if part:
        value = f"{part} {value}"
    return f"{value} (“{meeting.date.text}”)"


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
    extracted = "text extracted from a saved web page" if src.extracted_from == "html" else ""
    origin_bits = [
        src.title or "untitled",
        src.publisher or "",
        published,
        src.path or "",
        extracted,
    ]
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
        facts = party_facts(party.aliases, party.speakers, mark="*")
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
            cells = [
                date_label(m),
                f"{name} ({m.kind})",
                m.status.replace("_", " "),
                place_label(m.place),
                people or "—",
                m.forum or "—",
            ]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
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


# --- notes across articles -------------------------------------------------------------------


def _sourced_quote(source: str, evidence: Evidence) -> str:
    text = " ".join(evidence.quote.split())
    if evidence.verified and evidence.start is not None:
        return f"> {text} <sub>[{source}, chars {evidence.start}–{evidence.end}]</sub>"
    return f"> {text} <sub>[{source}] **not found in the article**</sub>"


def note_date_label(value: str | None, precision: str, text: str | None) -> str:
    """A note meeting's or report's date: the value, its precision when not a day, the words."""
    shown = value or "undated"
    if precision not in ("day", "unknown") and value:
        shown += f" ({precision})"
    return f"{shown} (“{text}”)" if text else shown


def _authored_notice(note: Note) -> list[str]:
    authored = [s.id for s in note.sources if s.origin == "authored"]
    if not authored:
        return []
    return [
        f"> **Authored fixtures.** The briefings of {', '.join(authored)} replay answers written "
        "by hand in the model's wire format (for tests and demos), not the output of a model.",
        "",
    ]


def note_markdown(note: Note) -> str:
    """The note: sources, one timeline of meetings with every report, positions by party."""
    out = [f"# {note.title}", ""]
    as_of = note.as_of.isoformat() if note.as_of else "unknown"
    out += [
        f"*As of {as_of}, from {len(note.sources)} article(s); merged by code, nothing added.*",
        "",
    ]
    out += _authored_notice(note)
    out += ["## Sources", ""]
    for src in note.sources:
        when = f"{src.published} ({src.published_basis})" if src.published else "date unknown"
        bits = [src.title or "untitled", src.publisher or "", when, src.path or ""]
        out += [
            f"- **{src.id}** " + " · ".join(b for b in bits if b),
            f"  {src.headline}. {src.lede}",
        ]
    out += ["", "## Timeline", ""]
    if not note.timeline:
        out += ["*No source reports a meeting.*", ""]
    else:
        out += ["| # | Date | Meeting | Status | Place | Sources |", "|---|---|---|---|---|---|"]
        for m in note.timeline:
            warn = " ⚠" if m.flags else ""
            out.append(
                f"| {m.id} | {note_date_label(m.date_value, m.precision, None)} | "
                f"{_cell(m.name)}{warn} "
                f"| {m.status.replace('_', ' ')} | {_cell(place_label(m.place))} | "
                f"{', '.join(m.sources)} |"
            )
        out.append("")
        for m in note.timeline:
            out += _note_meeting(m)
    out += ["## Positions by party", ""]
    for party in note.parties:
        out += [f"### {party.name}", ""]
        facts = [f"*Sources:* {', '.join(party.sources)}"]
        facts += party_facts(party.aliases, party.speakers, mark="*")
        out += [" · ".join(facts), ""]
        if not party.positions:
            out += ["*No source states a position of its own for this party.*", ""]
        for pos in party.positions:
            when = pos.published.isoformat() if pos.published else "undated"
            who = f", {pos.speaker}" if pos.speaker else ""
            out += [
                f"- {when} · {pos.source} — **{pos.act.title()}** — {pos.issue}{who}: "
                f"{pos.position}",
                "",
            ]
            out += ["  " + _sourced_quote(pos.source, ev) for ev in pos.evidence]
            out.append("")
    prov = note.provenance
    origins = ", ".join(f"{n} {origin}" for origin, n in sorted(prov.origins.items()))
    out += [
        "## Provenance",
        "",
        f"- {prov.articles} briefing(s) ({origins}); {prov.usage.total_tokens} tokens; "
        f"summarizer {prov.summarizer_version}, briefing schema {prov.briefing_schema_version}, "
        f"note schema {note.schema_version}",
        f"- Merge rules: {prov.merge_rules}",
        "",
    ]
    return "\n".join(out)


def _note_meeting(m: NoteMeeting) -> list[str]:
    out = [f"### {m.id}. {m.name}", ""]
    facts = [
        f"*Date:* {note_date_label(m.date_value, m.precision, m.date_text)}",
        f"*Status:* {m.status.replace('_', ' ')}",
        f"*Place:* {place_label(m.place)}",
    ]
    if m.participants:
        facts.append("*Participants:* " + "; ".join(p.name for p in m.participants))
    if m.forum:
        facts.append(f"*Forum:* {m.forum}")
    out += [" · ".join(facts), ""]
    out += [f"⚠ {flag}" for flag in m.flags] + ([""] if m.flags else [])
    for report in m.reports:
        when = report.published.isoformat() if report.published else "undated"
        out.append(
            f"- **{report.source}** ({when}): {report.name} — {report.status.replace('_', ' ')}, "
            f"{note_date_label(report.date_value, report.precision, report.date_text)}, "
            f"{place_label(report.place)}"
        )
        out.append("")
        out += ["  " + _sourced_quote(report.source, ev) for ev in report.evidence]
        out.append("")
    return out
