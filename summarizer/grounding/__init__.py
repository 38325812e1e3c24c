"""Grounding: what the model says, checked against the article it read.

- ``match``: text to offsets (quotes, names, the closest passage); knows nothing of briefings.
- ``sentences``: the one sentence splitter (the sentence that holds an expression).
- ``check``: a draft's quotes, names, places and dates checked, the re-ask text, the session
  that carries one article's checks across attempts, and pruning what still fails.

Nothing is imported here, so that ``dates`` can use ``match`` and ``sentences`` while ``check``
uses ``dates`` (the layers contract in ``pyproject.toml`` orders them).
"""
