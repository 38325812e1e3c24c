"""Self-contained HTML for briefings and notes: one file, no request to anywhere.

The page carries its own style (system fonts, print rules), a Content-Security-Policy that
forbids loading anything, and no script. It is built from escaped text only. Every quote
shows its source and character offsets, and carries them as ``data-source``, ``data-start``
and ``data-end``; every meeting carries ``data-meeting`` (a browser test counts them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from ..notes.model import Note, NoteMeeting
from ..schemas import Briefing, CitedSentence, Evidence, Meeting, Place
from .markdown import party_facts

_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #ccc; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0 auto; padding: 1rem; max-width: 60rem; }
main, article, section, p, li, td, th, blockquote { overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.25; } h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
.source, .muted { color: var(--muted); font-size: .9rem; }
.notice { border-left: 4px solid var(--warn); padding: .5rem .75rem; background: #fff6e8; }
.flag { color: var(--warn); }
blockquote.quote { margin: .4rem 0 .4rem 1rem; padding-left: .75rem;
                   border-left: 3px solid var(--rule); }
.where { color: var(--muted); font-size: .8rem; white-space: nowrap; }
.unverified { color: #a00; font-weight: 600; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--rule); padding: .3rem .4rem; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  .notice { background: none; }
  h2, h3 { break-after: avoid; } blockquote, tr { break-inside: avoid; }
}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
_NOTICE = {
    "authored": "Authored fixture: this replays an answer written by hand in the model's wire "
    "format (for tests and demos), not the output of a model.",
    "recorded": "Replayed from a recorded model exchange.",
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="generator" content="summarizer">',
            f"<title>{_e(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _quote(evidence: Evidence, source: str, label: str | None = None) -> str:
    where = label or source
    if evidence.verified and evidence.start is not None:
        spot = f"{where}, chars {evidence.start}–{evidence.end}"
        attrs = (
            f'data-source="{_e(source)}" data-start="{evidence.start}" data-end="{evidence.end}"'
        )
        mark = f'<span class="where">[{_e(spot)}]</span>'
    else:
        attrs = f'data-source="{_e(source)}" data-start="" data-end=""'
        mark = f'<span class="unverified">[{_e(where)}: not found in the article]</span>'
    return f'<blockquote class="quote" {attrs}>{_e(" ".join(evidence.quote.split()))} {mark}</blockquote>'


def _place(place: Place | None) -> str:
    if place is None:
        return "not stated"
    text = ", ".join(p for p in (place.venue, place.city, place.country) if p) or "not stated"
    return f"{text} (implied, not stated)" if place.inferred else text


def _people(meeting: Meeting | NoteMeeting) -> str:
    return "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in meeting.participants)


# --- a briefing ------------------------------------------------------------------------------


def _cited(sentence: CitedSentence, notes: list[Evidence]) -> str:
    marks = []
    for evidence in sentence.evidence:
        if evidence not in notes:
            notes.append(evidence)
        n = notes.index(evidence) + 1
        marks.append(f'<a href="#{{prefix}}-n{n}">[{n}]</a>')
    flags = (
        f' <span class="flag">(suspect: {_e("; ".join(sentence.flags))})</span>'
        if sentence.flags
        else ""
    )
    return f"{_e(sentence.text)} {''.join(marks)}{flags}"


def _briefing(b: Briefing, index: int) -> list[str]:
    prefix = f"b{index}"
    source = b.source.path or "article"
    src = b.source
    out = [
        f'<article aria-labelledby="{prefix}-title">',
        f'<h1 id="{prefix}-title">{_e(b.summary.headline)}</h1>',
    ]
    notice = _NOTICE.get(b.provenance.origin)
    if notice:
        out.append(f'<p class="notice" role="note">{_e(notice)}</p>')
    when = (
        f"published {src.published} ({src.published_basis})"
        if src.published
        else "publication date unknown"
    )
    if src.published_note:
        when += f" — {src.published_note}"
    bits = [
        src.title or "untitled",
        src.publisher or "",
        when,
        src.path or "",
        f"sha256 {src.sha256[:12]}…",
    ]
    if src.extracted_from == "html":
        bits.append("text extracted from a saved web page")
    out.append(f'<p class="source">Source: {_e(" · ".join(x for x in bits if x))}</p>')
    notes: list[Evidence] = []
    lede = " ".join(_cited(s, notes) for s in b.summary.lede_sentences) or _e(b.summary.lede)
    out.append(f"<p>{lede.replace('{prefix}', prefix)}</p>")
    out.append("<h2>Key points</h2><ul>")
    out += [
        f"<li>{_cited(p, notes).replace('{prefix}', prefix)}</li>" for p in b.summary.key_points
    ]
    out.append("</ul>")
    if notes:
        out.append("<h3>Support</h3><ol>")
        out += [f'<li id="{prefix}-n{n}">{_quote(e, source)}</li>' for n, e in enumerate(notes, 1)]
        out.append("</ol>")
    out.append("<h2>Positions</h2>")
    for party in b.parties:
        out.append(f"<section><h3>{_e(party.name)}</h3>")
        facts = party_facts(party.aliases, party.speakers)
        if facts:
            out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
        if not party.claims:
            out.append("<p><em>The article states no position of its own for this party.</em></p>")
        out.append("<ul>")
        for claim in party.claims:
            who = f", {claim.speaker}" if claim.speaker else ""
            head = f"<strong>{_e(claim.act.title())}</strong> — {_e(claim.issue + who)} ({_e(claim.delivery.replace('_', ' '))}): {_e(claim.position)}"
            out.append(f"<li>{head}{''.join(_quote(e, source) for e in claim.evidence)}</li>")
        out.append("</ul></section>")
    out.append("<h2>Meetings</h2>")
    if not b.meetings:
        out.append("<p><em>The article reports no meetings.</em></p>")
    else:
        out += _meetings_table(b.meetings)
        for m in b.meetings:
            out.append(f'<section data-meeting="{_e(m.id)}"><h3>{_e(m.name)}</h3>')
            derivation = m.date.derivation if m.date else "no date given"
            out.append(f'<p class="muted">{_e(derivation)}</p>')
            if m.date is not None:
                out += [f'<p class="flag">⚠ {_e(flag)}</p>' for flag in m.date.flags]
            out += [_quote(e, source) for e in m.evidence]
            out.append("</section>")
    p, v = b.provenance, b.provenance.validation
    out += [
        "<h2>Provenance</h2><ul>",
        f"<li>Model {_e(p.model)} ({_e(p.mode)} mode); answer origin: <strong>{_e(p.origin)}</strong></li>",
        f"<li>Prompt template {_e(p.template_hash)}, schema {_e(p.schema_version)}, summarizer {_e(p.summarizer_version)}</li>",
        f"<li>Attempts {p.attempts}; tokens {p.usage.total_tokens}</li>",
        f"<li>Grounding: {v.checked} checked; {v.failed} unsupported at first, {v.fixed_by_reask} fixed by re-ask, {v.dropped} dropped</li>",
        "</ul>",
        "</article>",
    ]
    return out


def _meetings_table(meetings: Sequence[Meeting]) -> list[str]:
    out = [
        "<table><caption>Meetings, with dates computed from the text</caption>",
        '<thead><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Status</th>'
        '<th scope="col">Place</th><th scope="col">Participants</th></tr></thead><tbody>',
    ]
    for m in meetings:
        date = f"{m.date.value or '?'} (“{m.date.text}”)" if m.date else "undated"
        out.append(
            f'<tr><td>{_e(date)}</td><th scope="row">{_e(m.name)}</th>'
            f"<td>{_e(m.status.replace('_', ' '))}</td><td>{_e(_place(m.place))}</td>"
            f"<td>{_e(_people(m) or '—')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def briefings_html(briefings: Sequence[Briefing]) -> str:
    """One page holding each briefing as an ``<article>``."""
    title = briefings[0].summary.headline if len(briefings) == 1 else f"{len(briefings)} briefings"
    body: list[str] = []
    for n, briefing in enumerate(briefings, start=1):
        body += _briefing(briefing, n)
    return _page(title, body)


# --- a note ----------------------------------------------------------------------------------


def _note_date(value: str | None, precision: str, text: str | None) -> str:
    shown = value or "undated"
    if value and precision not in ("day", "unknown"):
        shown += f" ({precision})"
    return f"{shown} (“{text}”)" if text else shown


def note_html(note: Note) -> str:
    """The note as one page: sources, the timeline with every report, positions by party."""
    labels = {s.id: s.id for s in note.sources}
    out = [f"<h1>{_e(note.title)}</h1>"]
    as_of = note.as_of.isoformat() if note.as_of else "unknown"
    out.append(
        f'<p class="source">As of {_e(as_of)}, from {len(note.sources)} article(s); merged by code, nothing added.</p>'
    )
    authored = [s.id for s in note.sources if s.origin == "authored"]
    if authored:
        out.append(
            f'<p class="notice" role="note">Authored fixtures: the briefings of {_e(", ".join(authored))} '
            "replay answers written by hand in the model's wire format (for tests and demos), not the output of a model.</p>"
        )
    out.append('<h2 id="sources">Sources</h2><ul>')
    for s in note.sources:
        when = f"{s.published} ({s.published_basis})" if s.published else "date unknown"
        bits = " · ".join(
            x for x in (s.title or "untitled", s.publisher or "", when, s.path or "") if x
        )
        out.append(
            f'<li id="{_e(s.id)}"><strong>{_e(s.id)}</strong> {_e(bits)}<br>{_e(s.headline)}. {_e(s.lede)}</li>'
        )
    out.append("</ul>")
    out.append('<h2 id="timeline">Timeline</h2>')
    if not note.timeline:
        out.append("<p><em>No source reports a meeting.</em></p>")
    else:
        out += [
            "<table><caption>Meetings in date order (vague dates last)</caption>",
            '<thead><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Status</th>'
            '<th scope="col">Place</th><th scope="col">Sources</th></tr></thead><tbody>',
        ]
        for m in note.timeline:
            warn = ' <span class="flag" title="sources disagree">⚠</span>' if m.flags else ""
            out.append(
                f"<tr><td>{_e(_note_date(m.date_value, m.precision, None))}</td>"
                f'<th scope="row"><a href="#{_e(m.id)}">{_e(m.name)}</a>{warn}</th>'
                f"<td>{_e(m.status.replace('_', ' '))}</td><td>{_e(_place(m.place))}</td>"
                f"<td>{_e(', '.join(m.sources))}</td></tr>"
            )
        out.append("</tbody></table>")
        for m in note.timeline:
            out.append(
                f'<section id="{_e(m.id)}" data-meeting="{_e(m.uid)}"><h3>{_e(m.id)}. {_e(m.name)}</h3>'
            )
            facts = [
                f"Date: {_note_date(m.date_value, m.precision, m.date_text)}",
                f"Status: {m.status.replace('_', ' ')}",
                f"Place: {_place(m.place)}",
            ]
            if m.participants:
                facts.append(f"Participants: {_people(m)}")
            if m.forum:
                facts.append(f"Forum: {m.forum}")
            out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
            out += [f'<p class="flag">⚠ {_e(flag)}</p>' for flag in m.flags]
            out.append("<ul>")
            for r in m.reports:
                when = r.published.isoformat() if r.published else "undated"
                head = (
                    f"<strong>{_e(r.source)}</strong> ({_e(when)}): {_e(r.name)} — "
                    f"{_e(r.status.replace('_', ' '))}, {_e(_note_date(r.date_value, r.precision, r.date_text))}, "
                    f"{_e(_place(r.place))}"
                )
                out.append(
                    f"<li>{head}{''.join(_quote(e, r.source, labels.get(r.source)) for e in r.evidence)}</li>"
                )
            out.append("</ul></section>")
    out.append('<h2 id="parties">Positions by party</h2>')
    for party in note.parties:
        out.append(f"<section><h3>{_e(party.name)}</h3>")
        facts = [
            f"Sources: {', '.join(party.sources)}",
            *party_facts(party.aliases, party.speakers),
        ]
        out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
        if not party.positions:
            out.append("<p><em>No source states a position of its own for this party.</em></p>")
        out.append("<ul>")
        for pos in party.positions:
            when = pos.published.isoformat() if pos.published else "undated"
            who = f", {pos.speaker}" if pos.speaker else ""
            head = f"{_e(when)} · {_e(pos.source)} — <strong>{_e(pos.act.title())}</strong> — {_e(pos.issue + who)}: {_e(pos.position)}"
            out.append(f"<li>{head}{''.join(_quote(e, pos.source) for e in pos.evidence)}</li>")
        out.append("</ul></section>")
    prov = note.provenance
    origins = ", ".join(f"{n} {o}" for o, n in sorted(prov.origins.items()))
    out += [
        "<h2>Provenance</h2><ul>",
        f"<li>{prov.articles} briefing(s) ({_e(origins)}); {prov.usage.total_tokens} tokens</li>",
        f"<li>summarizer {_e(prov.summarizer_version)}, note schema {_e(note.schema_version)}; merge rules: {_e(prov.merge_rules)}</li>",
        "</ul>",
    ]
    return _page(note.title, out)
