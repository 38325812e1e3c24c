"""The model: one home for everything between a request and the model's answer.

    openai SDK (retries off) → httpx client → RetryTransport → FixtureTransport → network

- ``client``: the openai + instructor client (sync and async), the run's token budget, and the
  translation of SDK, transport and validation errors into summarizer's errors.
- ``retry``: the one retry policy for transport faults.
- ``fixtures``: record and replay of exchanges at the HTTP transport.

This package knows nothing of briefings or grounding: the caller passes the response model
and a hook called before each attempt.
"""
