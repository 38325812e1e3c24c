"""Briefing notes across articles.

- ``model``: the note's schema (versioned apart from the briefing's).
- ``merge``: briefings to a note: meetings merged by identity, parties by name and alias,
  disagreements flagged.
- ``run``: articles to a note, briefed (or replayed) exactly as ``summarize`` does.

Nothing is imported here, so that each module sits in its own layer (``pyproject.toml``).
"""
