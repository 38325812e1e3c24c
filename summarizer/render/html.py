"""Self-contained HTML for briefings and notes: one file, no request to anywhere.

The page carries its own style (system fonts, print rules), a Content-Security-Policy that
forbids loading anything, and no script. It is built from escaped text only. Every quote
shows its source and character offsets, and carries them as ``data-source``, ``data-start``
and ``data-end``; every meeting carries ``data-meeting``, and a note's disagreements
``data-disagreement`` (a browser test counts them). What a briefing shows follows the Markdown
note (:mod:`summarizer.render.markdown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from ..notes.model import Note, NoteMeeting
from ..schemas import Briefing, CitedSentence, Evidence, Meeting, Source
from .markdown import date_label, note_date_label, party_facts, place_label

_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #ccc; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0 auto; padding: 1rem; max-width: 60rem; }
main, article, section, p, li, td, th, caption, blockquote, h1, h2, h3 {
  overflow-wrap: anywhere; }
a { color: #0645ad; }
h1 { font-size: 1.6rem; line-height: 1.25; } h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
article + article { border-top: 2px solid var(--rule); margin-top: 3rem; }
.source, .muted { color: var(--muted); font-size: .9rem; }
.notice { border-left: 4px solid var(--warn); padding: .5rem .75rem; background: #fff6e8; }
.flag { color: var(--warn); }
ul.flags { list-style: none; padding-left: 0; }
th .flag { display: block; font-weight: normal; font-size: .8rem; }
blockquote.quote { margin: .4rem 0 .4rem 1rem; padding-left: .75rem;
                   border-left: 3px solid var(--rule); }
.where { color: var(--muted); font-size: .8rem; }
.unverified { color: #a00; font-weight: 600; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--rule); padding: .3rem .4rem; text-align: left;
         vertical-align: top; }
thead th { background: #f3f3f3; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .notice { background: none; }
  table { font-size: 9pt; }
  h1, h2, h3 { break-after: avoid; } blockquote, tr { break-inside: avoid; }
  article + article { break-before: page; border-top: none; margin-top: 0; }
}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_NOTICE = {
    "authored": "Authored fixture: this briefing replays an answer written by hand in the model's "
    "wire format (for tests and demos), not the output of a model.",
    "recorded": "Replayed from a recorded model exchange.",
}
_OFFSETS_DEFAULT = Source.model_fields["offsets_in"].default


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _words(text: str) -> str:
    """A value written for code (``under_way``, ``direct_quote``) as words."""
    return text.replace("_", " ")


def _page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="referrer" content="no-referrer">',
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


def _quote(evidence: Evidence, source: str) -> str:
    """A quote as a blockquote that says where it is: the source and the character offsets
    into its text, or that it was not found there."""
    if evidence.verified and evidence.start is not None:
        spot = f"{source}, chars {evidence.start}–{evidence.end}"
        attrs = (
            f'data-source="{_e(source)}" data-start="{evidence.start}" data-end="{evidence.end}"'
        )
        mark = f'<span class="where">[{_e(spot)}]</span>'
    else:
        attrs = f'data-source="{_e(source)}" data-start="" data-end=""'
        mark = f'<span class="unverified">[{_e(source)}: not found in the article]</span>'
    return f'<blockquote class="quote" {attrs}>{_e(" ".join(evidence.quote.split()))} {mark}</blockquote>'


def _people(meeting: Meeting | NoteMeeting) -> str:
    return "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in meeting.participants)


def _colgroup(*percents: int) -> str:
    """Column widths for a fixed-layout table, so long names wrap within their own column."""
    cols = "".join(f'<col style="width: {p}%">' for p in percents)
    return f"<colgroup>{cols}</colgroup>"


def _flags(flags: Sequence[str]) -> list[str]:
    if not flags:
        return []
    items = "".join(f'<li class="flag">⚠ {_e(flag)}</li>' for flag in flags)
    return [f'<ul class="flags" aria-label="Flags">{items}</ul>']


# --- a briefing ------------------------------------------------------------------------------


def _cited(sentence: CitedSentence, notes: list[Evidence], prefix: str) -> str:
    """The sentence with links to its supporting quotes, numbered in the order they first
    appear (the same passage cited twice keeps its number)."""
    marks = []
    for evidence in sentence.evidence:
        if evidence not in notes:
            notes.append(evidence)
        n = notes.index(evidence) + 1
        marks.append(f'<a href="#{prefix}-n{n}">[{n}]</a>')
    flags = (
        f' <span class="flag">(suspect: {_e("; ".join(sentence.flags))})</span>'
        if sentence.flags
        else ""
    )
    return f"{_e(sentence.text)} {''.join(marks)}{flags}"


def _source_line(src: Source) -> str:
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
        f"{src.characters} characters",
    ]
    if src.extracted_from == "html":
        bits.append("text extracted from a saved web page")
    if src.offsets_in != _OFFSETS_DEFAULT:
        bits.append(f"offsets count in {src.offsets_in}")
    return f'<p class="source">Source: {_e(" · ".join(x for x in bits if x))}</p>'


def _summary(b: Briefing, prefix: str, source: str) -> list[str]:
    notes: list[Evidence] = []
    lede = " ".join(_cited(s, notes, prefix) for s in b.summary.lede_sentences)
    out = [f"<p>{lede or _e(b.summary.lede)}</p>", "<h2>Key points</h2><ul>"]
    out += [f"<li>{_cited(p, notes, prefix)}</li>" for p in b.summary.key_points]
    out.append("</ul>")
    if notes:
        out.append("<h3>Support</h3><ol>")
        out += [f'<li id="{prefix}-n{n}">{_quote(e, source)}</li>' for n, e in enumerate(notes, 1)]
        out.append("</ol>")
    return out


def _positions(b: Briefing, source: str) -> list[str]:
    out = ["<h2>Positions</h2>"]
    for party in b.parties:
        out.append(f"<section><h3>{_e(party.name)}</h3>")
        facts = party_facts(party.aliases, party.speakers)
        if facts:
            out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
        if not party.claims:
            out.append("<p><em>The article states no position of its own for this party.</em></p>")
            out.append("</section>")
            continue
        out.append("<ul>")
        for claim in party.claims:
            who = f", {claim.speaker}" if claim.speaker else ""
            head = f"<strong>{_e(claim.act.title())}</strong> — {_e(claim.issue + who)} ({_e(_words(claim.delivery))}): {_e(claim.position)}"
            out.append(f"<li>{head}{''.join(_quote(e, source) for e in claim.evidence)}</li>")
        out.append("</ul></section>")
    return out


def _meetings_table(meetings: Sequence[Meeting]) -> list[str]:
    out = [
        "<table><caption>Meetings, with dates computed from the text</caption>",
        _colgroup(15, 19, 13, 15, 22, 16),
        '<thead><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Status</th>'
        '<th scope="col">Place</th><th scope="col">Participants</th><th scope="col">Forum</th></tr></thead><tbody>',
    ]
    for m in meetings:
        name = m.name + (f" ({m.duration})" if m.duration else "")
        out.append(
            f'<tr><td>{_e(date_label(m))}</td><th scope="row">{_e(name)} <span class="muted">({_e(m.kind)})</span></th>'
            f"<td>{_e(_words(m.status))}</td><td>{_e(place_label(m.place))}</td>"
            f"<td>{_e(_people(m) or '—')}</td><td>{_e(m.forum or '—')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _meetings(b: Briefing, source: str) -> list[str]:
    out = ["<h2>Meetings</h2>"]
    if not b.meetings:
        return [*out, "<p><em>The article reports no meetings.</em></p>"]
    out += _meetings_table(b.meetings)
    for m in b.meetings:
        out.append(f'<section data-meeting="{_e(m.id)}"><h3>{_e(m.name)}</h3>')
        derivation = m.date.derivation if m.date else "no date given"
        out.append(f'<p class="muted">Date: {_e(derivation)}</p>')
        out += _flags(m.date.flags if m.date else [])
        out += [_quote(e, source) for e in m.evidence]
        out.append("</section>")
    return out


def _provenance(b: Briefing) -> list[str]:
    p, v, u = b.provenance, b.provenance.validation, b.provenance.usage
    answered = f", answered by {', '.join(p.answered_by)}" if p.answered_by else ""
    out = [
        "<h2>Provenance</h2><ul>",
        f"<li>Model {_e(p.model)} requested{_e(answered)} ({_e(p.mode)} mode); answer origin: <strong>{_e(p.origin)}</strong></li>",
        f"<li>Prompt template {_e(p.template_hash)}, schema {_e(p.schema_version)}, summarizer {_e(p.summarizer_version)}</li>",
        f"<li>Attempts {p.attempts}; tokens {u.prompt_tokens} prompt + {u.completion_tokens} completion = {u.total_tokens}</li>",
        f"<li>Grounding: {v.checked} quotes, names, places and dates checked against the source; "
        f"first answer {v.failed} unsupported, {v.fixed_by_reask} fixed by re-ask ({v.reask_tokens} tokens), {v.dropped} dropped</li>",
        "</ul>",
    ]
    if v.issues:
        out.append("<h3>Dropped</h3><ul>")
        out += [f"<li>{_e(i.item)}: {_e(i.problem)}</li>" for i in v.issues]
        out.append("</ul>")
    return out


def _briefing(b: Briefing, index: int) -> list[str]:
    prefix = f"b{index}"
    source = b.source.path or "article"
    out = [
        f'<article aria-labelledby="{prefix}-title">',
        f'<h1 id="{prefix}-title">{_e(b.summary.headline)}</h1>',
    ]
    notice = _NOTICE.get(b.provenance.origin)
    if notice:
        out.append(f'<p class="notice" role="note">{_e(notice)}</p>')
    out.append(_source_line(b.source))
    out += _summary(b, prefix, source)
    out += _positions(b, source)
    out += _meetings(b, source)
    out += _provenance(b)
    out.append("</article>")
    return out


def briefings_html(briefings: Sequence[Briefing]) -> str:
    """One page holding each briefing as an ``<article>``."""
    title = briefings[0].summary.headline if len(briefings) == 1 else f"{len(briefings)} briefings"
    body: list[str] = []
    for n, briefing in enumerate(briefings, start=1):
        body += _briefing(briefing, n)
    return _page(title, body)


# --- a note ----------------------------------------------------------------------------------


def _sources(note: Note) -> list[str]:
    out = ['<h2 id="sources">Sources</h2><ul>']
    for s in note.sources:
        when = f"{s.published} ({s.published_basis})" if s.published else "date unknown"
        bits = [s.title or "untitled", s.publisher or "", when, s.path or ""]
        bits += [f"sha256 {s.sha256[:12]}…", f"answer {s.origin}"]
        out.append(
            f'<li id="{_e(s.id)}"><strong>{_e(s.id)}</strong> {_e(" · ".join(x for x in bits if x))}'
            f"<br>{_e(s.headline)}. {_e(s.lede)}</li>"
        )
    out.append("</ul>")
    return out


def _marks(m: NoteMeeting) -> str:
    """Short flags for the timeline: each field the sources disagree on, a status that moved,
    else that the meeting has other flags (a place only some sources name)."""
    marks = [
        f'<span class="flag" data-disagreement="{_e(d.field)}">⚠ sources disagree on the {_e(d.field)}</span>'
        for d in m.disagreements
    ]
    if len(m.status_history) > 1:
        marks.append('<span class="flag">⚠ status changed</span>')
    if m.flags and not marks:
        marks.append('<span class="flag">⚠ see the flags below</span>')
    return "".join(marks)


def _timeline_table(note: Note) -> list[str]:
    out = [
        "<table><caption>Meetings in date order (undated and vague dates last)</caption>",
        _colgroup(17, 31, 14, 22, 16),
        '<thead><tr><th scope="col">Date</th><th scope="col">Meeting</th><th scope="col">Status</th>'
        '<th scope="col">Place</th><th scope="col">Sources</th></tr></thead><tbody>',
    ]
    for m in note.timeline:
        out.append(
            f"<tr><td>{_e(note_date_label(m.date_value, m.precision, None))}</td>"
            f'<th scope="row"><a href="#{_e(m.id)}">{_e(m.id)}. {_e(m.name)}</a>{_marks(m)}</th>'
            f"<td>{_e(_words(m.status))}</td><td>{_e(place_label(m.place))}</td>"
            f"<td>{_e(', '.join(m.sources))}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _history(m: NoteMeeting) -> list[str]:
    if len(m.status_history) < 2:
        return []
    steps = " → ".join(
        f"{_words(h.status)} ({h.source}, {h.published.isoformat() if h.published else 'undated'})"
        for h in m.status_history
    )
    return [f'<p class="muted">Status history: {_e(steps)}</p>']


def _note_meeting(m: NoteMeeting) -> list[str]:
    out = [f'<section id="{_e(m.id)}" data-meeting="{_e(m.uid)}"><h3>{_e(m.id)}. {_e(m.name)}</h3>']
    facts = [
        f"Date: {note_date_label(m.date_value, m.precision, m.date_text)}",
        f"Status: {_words(m.status)}",
        f"Place: {place_label(m.place)}",
        f"Kind: {m.kind}",
    ]
    if m.participants:
        facts.append(f"Participants: {_people(m)}")
    if m.forum:
        facts.append(f"Forum: {m.forum}")
    out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
    out += _flags(m.flags)
    out += _history(m)
    out.append("<ul>")
    for r in m.reports:
        when = r.published.isoformat() if r.published else "undated"
        head = (
            f"<strong>{_e(r.source)}</strong> ({_e(when)}): {_e(r.name)} — "
            f"{_e(_words(r.status))}, {_e(note_date_label(r.date_value, r.precision, r.date_text))}, "
            f"{_e(place_label(r.place))}"
        )
        out.append(f"<li>{head}{''.join(_quote(e, r.source) for e in r.evidence)}</li>")
    out.append("</ul></section>")
    return out


def _note_parties(note: Note) -> list[str]:
    out = ['<h2 id="parties">Positions by party</h2>']
    for party in note.parties:
        out.append(f"<section><h3>{_e(party.name)}</h3>")
        facts = [
            f"Sources: {', '.join(party.sources)}",
            *party_facts(party.aliases, party.speakers),
        ]
        out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
        if not party.positions:
            out.append("<p><em>No source states a position of its own for this party.</em></p>")
            out.append("</section>")
            continue
        out.append("<ul>")
        for pos in party.positions:
            when = pos.published.isoformat() if pos.published else "undated"
            who = f", {pos.speaker}" if pos.speaker else ""
            head = f"{_e(when)} · {_e(pos.source)} — <strong>{_e(pos.act.title())}</strong> — {_e(pos.issue + who)} ({_e(_words(pos.delivery))}): {_e(pos.position)}"
            out.append(f"<li>{head}{''.join(_quote(e, pos.source) for e in pos.evidence)}</li>")
        out.append("</ul></section>")
    return out


def note_html(note: Note) -> str:
    """The note as one page: sources, the timeline with every report, positions by party."""
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
    out += _sources(note)
    out.append('<h2 id="timeline">Timeline</h2>')
    if not note.timeline:
        out.append("<p><em>No source reports a meeting.</em></p>")
    else:
        out += _timeline_table(note)
        for m in note.timeline:
            out += _note_meeting(m)
    out += _note_parties(note)
    prov = note.provenance
    origins = ", ".join(f"{n} {o}" for o, n in sorted(prov.origins.items()))
    out += [
        "<h2>Provenance</h2><ul>",
        f"<li>{prov.articles} briefing(s) ({_e(origins)}); {prov.usage.total_tokens} tokens</li>",
        f"<li>summarizer {_e(prov.summarizer_version)}, briefing schema {_e(prov.briefing_schema_version)}, "
        f"note schema {_e(note.schema_version)}; merge rules: {_e(prov.merge_rules)}</li>",
        "</ul>",
    ]
    return _page(note.title, out)
