"""Build the authored fixtures from the hand-written answers in fixtures/authored/.

An authored fixture is an answer a person wrote, wrapped in the exact wire format a model
returns in tools mode. This script sends the real request the pipeline would send (rendered
templates, instructor's tool schema) through the real fixture recorder, answering it with the
hand-written answer instead of a network call, and marks the file ``origin: authored``. Run
it after changing a prompt or the draft schema, since both change the request key. The
cassettes of the project's suite (suites/seeds) are refreshed from them; its baselines are not.

    python scripts/author_fixtures.py           # rebuild every authored fixture
    python scripts/author_fixtures.py --check   # only check the answers' quotes and schema
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx

from summarizer.articles import read_article
from summarizer.config import DEFAULT_MODEL, Settings
from summarizer.errors import FixtureMiss
from summarizer.grounding.match import locate_quote
from summarizer.model.client import BriefingClient
from summarizer.model.fixtures import FixtureStore
from summarizer.pipeline import Summarizer, make_describer, prepare, request_draft
from summarizer.prompts import load_prompts
from summarizer.regress.suite import load_suite
from summarizer.schemas import SCHEMA_VERSION, BriefingDraft

ROOT = Path(__file__).resolve().parent.parent
# Each fixture folder keeps the sources of its authored answers in authored/*.answer.json.
FIXTURE_DIRS = [ROOT / "fixtures", *sorted((ROOT / "tests" / "fixtures").glob("*/"))]
# Suites whose cassettes are the project's authored fixtures: refreshed with them.
SUITES = [ROOT / "suites" / "seeds"]


# The response's "model" field names who answered: here nobody did.
AUTHORED_MODEL = "authored-by-hand"


def wire_response(answer: dict[str, Any], request_key_hint: str) -> dict[str, Any]:
    """A chat.completion in tools mode, as an OpenAI-compatible server returns it."""
    return {
        "id": f"chatcmpl-authored-{request_key_hint}",
        "object": "chat.completion",
        "created": 0,
        "model": AUTHORED_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "refusal": None,
                    "tool_calls": [
                        {
                            "id": "call_authored_1",
                            "type": "function",
                            "function": {
                                "name": "BriefingDraft",
                                "arguments": json.dumps(answer, ensure_ascii=False),
                            },
                        }
                    ],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        # Nobody spent tokens on a hand-written answer; zero is the honest count.
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "system_fingerprint": None,
    }


def answers_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One answer, or a sequence for an exchange with re-asks (first answer first)."""
    return list(spec["answers"]) if "answers" in spec else [spec["answer"]]


def check_answer(spec: dict[str, Any], path: Path) -> list[str]:
    """Schema problems always; quote problems only for single answers (a re-ask sequence's
    early answers are wrong on purpose)."""
    problems: list[str] = []
    article = read_article(str(ROOT / spec["article"]))
    drafts = [BriefingDraft.model_validate(answer) for answer in answers_of(spec)]
    if "answers" in spec:
        return problems
    draft = drafts[0]
    quotes = [(f"parties.{p.name}", q) for p in draft.parties for c in p.claims for q in c.quotes]
    quotes += [(f"meetings.{m.id}", q) for m in draft.meetings for q in m.quotes]
    for where, quote in quotes:
        if locate_quote(quote, article.text) is None:
            problems.append(f"{path.name}: {where}: quote not in article: {quote!r}")
    return problems


def author(spec: dict[str, Any], path: Path, fixtures: Path) -> list[Path]:
    prompts = load_prompts()
    article = read_article(str(ROOT / spec["article"]))
    prepared = prepare(article, prompts)
    answer_hint = hashlib.sha256(path.name.encode()).hexdigest()[:10]
    bodies = [
        wire_response(answer, f"{answer_hint}-{n}")
        for n, answer in enumerate(answers_of(spec), start=1)
    ]
    served: list[int] = []

    def answer_with_authored(request: httpx.Request) -> httpx.Response:
        served.append(1)
        return httpx.Response(200, json=bodies[len(served) - 1], request=request)

    settings = Settings(
        model=DEFAULT_MODEL,
        fixture_mode="record",
        fixtures_dir=fixtures,
        api_key="unused",
        max_reasks=len(bodies) - 1 if "answers" in spec else 2,
    )
    meta = {
        "origin": "authored",
        "created": spec["written"],
        "template_hash": prompts.hash,
        "schema_version": SCHEMA_VERSION,
        "author": spec["author"],
        "note": spec["note"],
        "article": spec["article"],
        "answer_source": str(path.relative_to(ROOT)),
    }
    with BriefingClient(
        settings,
        describe=make_describer(prompts, settings.mode),
        extra_meta=meta,
        network=httpx.MockTransport(answer_with_authored),
    ) as client:
        answer = request_draft(client, prepared).answer
    if len(served) != len(bodies):
        raise SystemExit(f"{path.name}: {len(bodies)} answers written, {len(served)} requested")
    store = FixtureStore(fixtures)
    keys = set(answer.trace.keys)
    for exchange in store:
        if exchange.meta.get("answer_source") == meta["answer_source"] and exchange.key not in keys:
            exchange.path.unlink()  # an older request for the same answer
    return [store.path_for(key) for key in answer.trace.keys]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check answers only")
    args = parser.parse_args()
    problems: list[str] = []
    for fixtures in FIXTURE_DIRS:
        for path in sorted((fixtures / "authored").glob("*.answer.json")):
            spec = json.loads(path.read_text(encoding="utf-8"))
            problems += check_answer(spec, path)
            if not args.check and not problems:
                written = author(spec, path, fixtures)
                print(f"{path.relative_to(ROOT)} -> {', '.join(p.name for p in written)}")
    if not args.check and not problems:
        for suite in SUITES:
            names = refresh_suite_cassettes(suite)
            print(f"{suite.relative_to(ROOT)}/cassettes <- {', '.join(names)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def refresh_suite_cassettes(suite: Path) -> list[str]:
    """Give a suite made from the authored fixtures the fixtures its cases now request (each
    article answered from the first fixture folder that answers it). The baselines stay:
    `summarizer regress run` then shows whether the briefings changed."""
    loaded = load_suite(suite)
    found: dict[str, Path] = {}
    for case in loaded.cases:
        for name in case.all_articles:
            article = read_article(str(loaded.root / name))
            for folder in FIXTURE_DIRS:
                settings = Settings(model=DEFAULT_MODEL, fixture_mode="replay", fixtures_dir=folder)
                try:
                    with Summarizer(settings) as summarizer:
                        briefing = summarizer.summarize(article, published=case.published)
                except FixtureMiss:
                    continue
                found.update({key: folder for key in briefing.provenance.fixtures})
                break
            else:
                raise SystemExit(f"{suite}: no fixture folder answers {name}")
    for old in loaded.cassettes.glob("*.json"):
        old.unlink()
    for key, folder in found.items():
        shutil.copyfile(folder / f"{key}.json", loaded.cassettes / f"{key}.json")
    return sorted(found)


if __name__ == "__main__":
    sys.exit(main())
