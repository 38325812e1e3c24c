"""Regression testing: suites of cases replayed through the current code and compared with
their baselines.

- ``compare``: two briefings compared field by field, lists matched by identity.
- ``expect``: a case's optional gold (meetings, parties, quotes, numbers) and the scores of a
  briefing against it.
- ``inventory``: what a fixture folder holds: stale, unused, authored or recorded, secrets.
- ``report``: JUnit XML and JSON reports of a suite run.
- ``suite``: the suite folder and its manifest; recording cases and running them.

Nothing is imported here, so that each module sits in its own layer (``pyproject.toml``).
"""
