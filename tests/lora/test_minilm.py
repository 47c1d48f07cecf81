"""The plain-torch inference path (stance.lora.minilm) against transformers + peft: same pieces,
same outputs for the shipped models, and a one-line error naming the file for broken artifacts."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from stance.attribution.model import DEFAULT_TAGGER_DIR
from stance.attribution.tags import TAGS
from stance.classifier.model import MENTION_END, MENTION_START, MentionExample, StanceClassifier, build_network
from stance.errors import ModelNotLoadedError
from stance.lora.base import load_encoder, load_token_classifier, load_tokenizer, load_transformers_tokenizer
from stance.lora.minilm import load_base_encoder, load_token_tagger, merged_state
from stance.lora.model import merge_adapter
from tests.conftest import PROJECT

STUDENT_DIR = PROJECT / "stance" / "models" / "stance-classifier-student"
TEXTS = [
    "Beijing denied the report, a spokesman said on Monday.",
    "“We reject these allegations,” said Wang Wenbin — Café owners’ union, naïve, 3.5% (U.S.)",
    f"The {MENTION_START} United States {MENTION_END} accused China of arming Russia.",
    "   ",
    "Unbelievably long-winded counter-arguments weren't persuasive\nto the E.U.'s negotiators…",
]


def test_pieces_and_offsets_are_transformers_own():
    ours, theirs = load_tokenizer((MENTION_START, MENTION_END)), load_transformers_tokenizer((MENTION_START, MENTION_END))
    for text in TEXTS:
        expected = theirs(text, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = ours.pieces(text)
        assert ids == expected["input_ids"]
        assert [tuple(o) for o in offsets] == [tuple(o) for o in expected["offset_mapping"]]


def test_batches_are_truncated_and_padded_as_transformers_does():
    ours, theirs = load_tokenizer((MENTION_START, MENTION_END)), load_transformers_tokenizer((MENTION_START, MENTION_END))
    input_ids, attention = ours.batch(TEXTS, max_length=12)
    expected = theirs(TEXTS, padding=True, truncation=True, max_length=12, return_tensors="pt")
    assert input_ids.tolist() == expected["input_ids"].tolist()
    assert attention.tolist() == expected["attention_mask"].tolist()


def test_the_base_encoder_matches_transformers():
    import torch

    tokenizer = load_tokenizer()
    input_ids, attention = tokenizer.batch(TEXTS, max_length=64)
    with torch.inference_mode():
        ours = load_base_encoder()(input_ids=input_ids, attention_mask=attention).last_hidden_state
        theirs = load_encoder().eval()(input_ids=input_ids, attention_mask=attention).last_hidden_state
    mask = attention.bool()
    assert torch.allclose(ours[mask], theirs[mask], atol=1e-4)


def test_the_tagger_merged_by_hand_gives_peft_s_logits():
    import torch

    tokenizer = load_tokenizer()
    input_ids, attention = tokenizer.batch(TEXTS, max_length=64)
    reference = merge_adapter(load_token_classifier(TAGS), DEFAULT_TAGGER_DIR).eval()
    with torch.inference_mode():
        ours = load_token_tagger(DEFAULT_TAGGER_DIR, len(TAGS))(input_ids=input_ids, attention_mask=attention).logits
        theirs = reference(input_ids=input_ids, attention_mask=attention).logits
    mask = attention.bool()
    assert torch.allclose(ours[mask], theirs[mask], atol=1e-4)


def test_the_student_gives_the_same_probabilities_as_the_transformers_network():
    import torch
    from safetensors.torch import load_file

    classifier = StanceClassifier.load(STUDENT_DIR)
    examples = [MentionExample("Beijing denied the report.", 0, 7), MentionExample("The US accused China of arming Russia.", 4, 6)]
    tokenizer = load_transformers_tokenizer((MENTION_START, MENTION_END))
    network = build_network(merge_adapter(load_encoder(), STUDENT_DIR), tokenizer.convert_tokens_to_ids(MENTION_START))
    network.load_state_dict(load_file(STUDENT_DIR / "head.safetensors"), strict=False)
    encoded = tokenizer([e.marked() for e in examples], padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.inference_mode():
        logits = network.eval()(input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"]).logits
    expected = torch.softmax(logits / classifier.temperature, dim=-1).numpy()
    np.testing.assert_allclose(classifier.predict_proba(examples), expected, atol=1e-5)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: (d / "adapter_model.safetensors").write_bytes((d / "adapter_model.safetensors").read_bytes()[:5000]), "unreadable"),
        (lambda d: (d / "adapter_model.safetensors").unlink(), "missing"),
        (lambda d: (d / "adapter_model.safetensors").write_bytes(b"not a safetensors file"), "unreadable"),
        (lambda d: (d / "adapter_config.json").write_text("{", encoding="utf-8"), "unreadable adapter config"),
    ],
    ids=["truncated", "missing", "garbage", "bad-config"],
)
def test_a_broken_adapter_is_one_line_naming_the_file(tmp_path, damage, message):
    model_dir = tmp_path / "student"
    shutil.copytree(STUDENT_DIR, model_dir)
    damage(model_dir)
    with pytest.raises(ModelNotLoadedError) as error:
        StanceClassifier.load(model_dir)
    assert str(model_dir) in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_an_adapter_for_another_shape_is_refused(tmp_path):
    import torch
    from safetensors.torch import save_file

    model_dir = tmp_path / "tagger"
    shutil.copytree(DEFAULT_TAGGER_DIR, model_dir)
    save_file({"base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight": torch.zeros(16, 100),
               "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight": torch.zeros(384, 16)},
              model_dir / "adapter_model.safetensors")
    with pytest.raises(ModelNotLoadedError, match="does not fit the base model at encoder.layer.0.attention.self.query"):
        merged_state(model_dir)


def test_scoring_never_imports_transformers_or_peft():
    """The load-time gain (README "Speed") holds only while scoring stays off transformers."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from stance.cli.defaults import pipeline_config, registry_for\n"
        "from stance.data import Article\n"
        "from stance.pipeline import Pipeline\n"
        "config = pipeline_config('configs/pipeline_fast.yaml')\n"
        "pipeline = Pipeline.from_config(config, registry=registry_for(config))\n"
        "article = pipeline(Article(id='a', text='Beijing denied the report, a spokesman said.'))\n"
        "assert article.claims, 'nothing scored'\n"
        "print(sorted(m for m in ('transformers', 'peft') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
