"""Training data for the attribution tagger, and a two-article training run end to end."""

import dataclasses

import pytest

from stance.attribution.model import AttributionTagger, encode_article
from stance.attribution.polnear import AttributionDoc
from stance.attribution.tags import TAG_ID, TAGS
from stance.attribution.trainer import train_tagger, training_windows
from stance.config import TaggerTrainConfig, load_config
from stance.data import Attribution, Span
from stance.lora.base import load_tokenizer
from tests.conftest import PROJECT

TEXT = "Officials said unbelievably large crowds gathered."
DOC = AttributionDoc("t", TEXT, (Attribution((Span(0, 9),), (Span(10, 14),), (Span(15, 50),)),))


def test_training_windows_wrap_pieces_with_ignored_special_tokens():
    tokenizer = load_tokenizer()
    ((ids, labels),) = training_windows([DOC], tokenizer, window=64, stride=62)
    assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
    assert labels[0] == labels[-1] == -100 and len(ids) == len(labels)
    assert TAG_ID["B-cue"] in labels


@pytest.mark.slow
def test_a_tiny_training_run_saves_a_tagger_that_loads(tmp_path, polnear_dir):
    config = load_config(PROJECT / "configs" / "tagger_train.yaml", TaggerTrainConfig)
    config = dataclasses.replace(config, polnear_dir=str(polnear_dir), epochs=1, train_limit=2, dev_limit=1)
    meta = train_tagger(config, tmp_path / "tagger")
    assert (meta["train_articles"], meta["dev_articles"], meta["best_epoch"]) == (2, 1, 1)
    tagger = AttributionTagger.load(tmp_path / "tagger")
    assert tagger.model_id.startswith("attribution-tagger@")
    (tags,) = tagger.word_tags([TEXT])
    assert len(tags) == len(encode_article(tagger.tokenizer, TEXT).word_spans)
    assert all(tag in TAGS for tag in tags)
