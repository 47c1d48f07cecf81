"""Pick PolNeAR sentences likely to hold a deny or neutral stance, for human-style annotation.

Usage: python scripts/corpus/mine_candidates.py [--polnear DIR] [--out FILE] [--per-batch N]

Why: random PolNeAR articles yield almost no deny or neutral stances (29 in 1,354 rows of
batches h-k), and those two labels are where the classifier fails on real news. This
script samples for annotation, it labels nothing: it keeps sentences whose *gold* PolNeAR
attribution cue (or the words right after it) contains a refutation or non-committal phrase
from ``CUE_PATTERNS``, so annotators see a pool rich in the rare labels and still decide
every label themselves from docs/annotation-guidelines.md (most candidates turn out
critical, support or none).

Only articles whose topic hashes to the *train* split are mined, so dev and test stay
exactly as they were and models trained before and after stay comparable on them.
Sentences already in data/stance/raw are skipped. Output: one JSON object per line with
``text, source, doc_start, topic, cue, holder`` (the gold source span), in batches of
``--per-batch`` lines for the annotators.

``--back-references`` keeps only sentences whose gold source is a pronoun or a role noun
("he denied", "the spokesman declined to comment"), with ``holder_start`` (its offset in
the sentence, for the raw row's ``actor_start``): the pipeline's holder stage marks such
sources as the mention the classifier judges, so the corpus must teach them too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_corpus import read_raw  # noqa: E402

from stance.cli.defaults import config_file
from stance.config import PipelineConfig, load_config  # noqa: E402
from stance.classifier.corpus import split_for_topic  # noqa: E402
from stance.pipeline.holders import back_reference_kinds  # noqa: E402
from stance.attribution.polnear import load_compartment  # noqa: E402
from stance.pipeline.segment import ClaimSegmenter  # noqa: E402

CUE_PATTERNS = re.compile(
    r"\b(den(y|ied|ies|ial)|reject\w*|refut\w*|disput\w*|rebut\w*|dismiss\w*|push\w* back|"
    r"declin\w* to|refus\w* to|would(n't| not) (say|comment|commit|endorse|take)|"
    r"(did|does|has|had|have)(n't| not) (say|comment|commit|endorse|take a position|respond)|"
    r"no comment|noncommittal|non-committal|neutral|undecided|unclear|uncommitted|"
    r"(not|never) (true|accurate|the case)|false|falsely|lie|lies|lying|baseless|"
    r"sidestep\w*|dodg\w*|evad\w*|insist\w*|contend\w*|countered|"
    # Round 2 (batches n, o): more non-committal and refuting phrasings.
    r"hedg\w*|equivocat\w*|on the fence|(hasn't|has not|haven't|have not) decided|weigh\w*|"
    r"urg\w* (both|all) (sides|parties)|call\w* (for|on) (calm|restraint|dialogue)|abstain\w*|"
    r"stay\w* out of|(not|never) (happen|happened|said)|misleading|mischaracteriz\w*|distort\w*|"
    r"hoax|fake|fabricat\w*|untrue|inaccurate|wrong about|no basis|no truth|debunk\w*)\b",
    re.IGNORECASE,
)
SAMPLE_SEED = 0
# Words after the cue, within its sentence, that still count: "declined to comment", "said it was false".
LOOKAHEAD_CHARS = 60
# Phrases strong enough to pick a sentence even where PolNeAR marked no attribution cue on
# them (its univocal annotation leaves nested attributions unmarked).
ANYWHERE_PATTERNS = re.compile(
    r"\b(den(y|ied|ies|ial)|declin\w* to (comment|say|endorse|answer)|refus\w* to (say|comment|endorse)|"
    r"would(n't| not) say|noncommittal|non-committal|undecided|remain\w* neutral|"
    r"(not|never) true|no evidence|baseless|unfounded|rejected (the|a|claims|reports|allegations)|"
    # Round 2 (batches n, o).
    r"on the fence|equivocat\w*|abstain\w*|untrue|fabricat\w*|debunk\w*|no truth|mischaracteriz\w*|"
    r"(didn't|did not|won't|will not) (say|endorse|commit|take sides))\b",
    re.IGNORECASE,
)


def line_pieces(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans cut at line breaks: PolNeAR paragraphs have no full stop before some
    line breaks (headlines, bylines), and an annotator should see one sentence."""
    pieces = []
    for start, end in sentences:
        for line_start, line in _lines(text[start:end]):
            if line.strip():
                offset = start + line_start + len(line) - len(line.lstrip())
                pieces.append((offset, offset + len(line.strip())))
    return pieces


def _lines(text: str) -> list[tuple[int, str]]:
    found, position = [], 0
    for line in text.split("\n"):
        found.append((position, line))
        position += len(line) + 1
    return found


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    for start, end in sentences:
        if start <= offset < end:
            return start, end
    return None


def back_reference(source: str, holders) -> bool:
    """Whether a PolNeAR source is a bare pronoun or role noun ("he", "the spokesman"),
    which the pipeline's holder stage marks as the mention the classifier judges."""
    return back_reference_kinds(source, holders)[0] is not None


def mine(
    polnear: Path, known_texts: set[str], holders=None, split: str = "train", every_attribution: bool = False
) -> list[dict]:
    """Candidate sentences from articles whose topic hashes to ``split``.

    By default, sentences with a refuting or non-committal cue or phrase. With ``holders``
    (a HolderConfig): only those whose attribution source is a pronoun or role noun, with
    the source's offset in the sentence. With ``every_attribution``: every sentence that
    holds a gold attribution, in a fixed random order (an unbiased sample, for held-out
    splits that must look like the rest of the news).
    """
    segmenter = ClaimSegmenter()
    candidates, seen = [], set()
    any_cue = holders is not None or every_attribution
    for compartment in ("train", "dev"):
        for doc in load_compartment(polnear, compartment):
            if split_for_topic(doc.name) != split:
                continue
            sentences = line_pieces(doc.text, segmenter.sentences(doc.text, 0, len(doc.text)))
            for relation in doc.relations:
                if not relation.cue:
                    continue
                cue_start, cue_end = relation.cue[0].start, relation.cue[-1].end
                span = sentence_at(sentences, cue_start)
                if span is None:
                    continue
                window = doc.text[cue_start : min(cue_end + LOOKAHEAD_CHARS, span[1])]
                refuting = bool(CUE_PATTERNS.search(window))
                # Back-reference holders are rare enough to take with any cue (refuting ones first).
                if not refuting and not any_cue:
                    continue
                text = doc.text[span[0] : span[1]]
                if text in known_texts or text in seen or len(text.split()) < 6:
                    continue
                holder = " ".join(doc.text[s.start : s.end] for s in relation.source)
                if holders is not None:
                    if len(relation.source) != 1 or not back_reference(holder, holders):
                        continue
                    if not span[0] <= relation.source[0].start < span[1]:
                        continue
                seen.add(text)
                cue = " ".join(doc.text[s.start : s.end] for s in relation.cue)
                candidate = _candidate(doc.name, compartment, span, text, cue, holder)
                if holders is not None:
                    candidate["holder_start"] = relation.source[0].start - span[0]
                if any_cue:
                    candidate["refuting_cue"] = refuting
                candidates.append(candidate)
            if any_cue:
                continue
            for span in sentences:
                text = doc.text[span[0] : span[1]]
                if text in known_texts or text in seen or len(text.split()) < 6:
                    continue
                if ANYWHERE_PATTERNS.search(text):
                    seen.add(text)
                    candidates.append(_candidate(doc.name, compartment, span, text, "", ""))
    if any_cue:
        random.Random(SAMPLE_SEED).shuffle(candidates)
    if holders is not None:
        # Refuting cues first (the rare labels), then the rest in the shuffled order.
        candidates.sort(key=lambda c: not c["refuting_cue"])
    return candidates


def _candidate(name: str, compartment: str, span: tuple[int, int], text: str, cue: str, holder: str) -> dict:
    return {
        "text": text,
        "source": f"polnear:{compartment}/{name}.txt",
        "doc_start": span[0],
        "topic": name,
        "cue": cue,
        "holder": holder,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=PROJECT.parent / "shared" / "data" / "polnear")
    parser.add_argument("--raw", type=Path, default=PROJECT / "data" / "stance" / "raw")
    parser.add_argument("--out", type=Path, required=True, help="folder for candidates_<n>.jsonl")
    parser.add_argument("--per-batch", type=int, default=120)
    parser.add_argument(
        "--back-references",
        action="store_true",
        help="only sentences whose holder is a pronoun or role noun (configs/pipeline.yaml holders), "
        "with holder_start: the pipeline marks such holders, so the classifier must learn them",
    )
    parser.add_argument("--split", choices=("train", "dev", "test"), default="train",
                        help="mine articles whose topic hashes to this split (default: train)")
    parser.add_argument(
        "--every-attribution",
        action="store_true",
        help="an unbiased random sample: every sentence with a gold attribution, in a fixed shuffled order",
    )
    args = parser.parse_args()
    # The corpus builder's reader: a broken raw line stops the run with its file:line.
    known = {row["text"] for row in read_raw(args.raw)}
    holders = load_config(config_file("pipeline.yaml"), PipelineConfig).holders if args.back_references else None
    candidates = mine(args.polnear, known, holders, args.split, args.every_attribution)
    args.out.mkdir(parents=True, exist_ok=True)
    for number, first in enumerate(range(0, len(candidates), args.per_batch)):
        with open(args.out / f"candidates_{number}.jsonl", "w", encoding="utf-8") as handle:
            for row in candidates[first : first + args.per_batch]:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps({"candidates": len(candidates), "batches": -(-len(candidates) // args.per_batch)}))


if __name__ == "__main__":
    main()
