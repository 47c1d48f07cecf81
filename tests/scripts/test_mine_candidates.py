"""The deny/neutral candidate sampler for annotation (scripts/corpus/mine_candidates.py)."""

import importlib.util

from tests.conftest import PROJECT

_SPEC = importlib.util.spec_from_file_location("mine_candidates", PROJECT / "scripts" / "corpus" / "mine_candidates.py")
mine_candidates = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(mine_candidates)

TEXT = (
    "THE HEADLINE\n"
    "The senator denied the report on Tuesday. "
    "Aides said the bill would pass. "
    "The governor declined to comment on it."
)


def _article(root, compartment, name, ann):
    (root / compartment / "text").mkdir(parents=True, exist_ok=True)
    (root / compartment / "attributions").mkdir(parents=True, exist_ok=True)
    (root / compartment / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (root / compartment / "attributions" / f"{name}_0001.ann").write_text(ann, encoding="utf-8")


def _ann(*relations):
    lines = []
    for number, (source, cue, content) in enumerate(relations):
        ids = [f"T{3 * number + k + 1}" for k in range(3)]
        for tid, kind, word in zip(ids, ("Source", "Cue", "Content"), (source, cue, content)):
            start = TEXT.index(word)
            lines.append(f"{tid}\t{kind} {start} {start + len(word)}\t{word}")
        lines.append(f"E{number + 1}\tAttribution:{ids[1]} Source:{ids[0]} Cue:{ids[1]} Content:{ids[2]}")
    return "\n".join(lines) + "\n"


def test_mine_keeps_refuting_cues_and_strong_phrases_from_train_articles_only(tmp_path):
    ann = _ann(("The senator", "denied", "the report"), ("Aides", "said", "the bill would pass"))
    _article(tmp_path, "train", "story_a", ann)  # hashes to the train split
    _article(tmp_path, "dev", "story_e", ann)  # hashes to test: never mined
    rows = mine_candidates.mine(tmp_path, known_texts=set())
    assert [(row["text"], row["cue"], row["holder"], row["topic"]) for row in rows] == [
        ("The senator denied the report on Tuesday.", "denied", "The senator", "story_a"),
        ("The governor declined to comment on it.", "", "", "story_a"),
    ]
    assert all(TEXT[row["doc_start"] :].startswith(row["text"]) for row in rows)
    assert mine_candidates.mine(tmp_path, known_texts={rows[0]["text"]})[0]["text"] == rows[1]["text"]


def test_back_reference_mode_keeps_pronoun_and_role_holders_with_their_offsets(tmp_path):
    from stance.config import HolderConfig

    text_pronoun = "Aides said the bill would pass."
    ann = _ann(("The senator", "denied", "the report"), ("Aides", "said", "the bill would pass"))
    _article(tmp_path, "train", "story_a", ann)
    _article(tmp_path, "dev", "story_e", ann)  # hashes to test: never mined
    holders = HolderConfig(pronouns={"aides": ["person"]}, role_nouns={"senator": ["person"]})
    rows = mine_candidates.mine(tmp_path, known_texts=set(), holders=holders)
    # Refuting cue first; the plain "said" is kept too; no cue-less phrase matches in this mode.
    assert [(row["text"], row["holder"], row["holder_start"], row["refuting_cue"]) for row in rows] == [
        ("The senator denied the report on Tuesday.", "The senator", 0, True),
        (text_pronoun, "Aides", 0, False),
    ]
    assert not mine_candidates.back_reference("Senator Warren", holders)
    assert not mine_candidates.back_reference("he", HolderConfig(pronouns={"she": ["person"]}, role_nouns={}))


def test_every_attribution_mode_samples_any_cue_from_the_requested_split(tmp_path):
    ann = _ann(("The senator", "denied", "the report"), ("Aides", "said", "the bill would pass"))
    _article(tmp_path, "train", "story_a", ann)  # hashes to train
    _article(tmp_path, "dev", "story_e", ann)  # hashes to test
    rows = mine_candidates.mine(tmp_path, known_texts=set(), split="test", every_attribution=True)
    assert sorted((row["text"], row["topic"], row["refuting_cue"]) for row in rows) == [
        ("Aides said the bill would pass.", "story_e", False),
        ("The senator denied the report on Tuesday.", "story_e", True),
    ]
    assert mine_candidates.mine(tmp_path, known_texts=set(), split="dev", every_attribution=True) == []
