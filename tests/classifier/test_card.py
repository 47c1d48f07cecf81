"""The classifier's model card, rendered from saved metadata and eval reports (no model loading)."""

import json

from stance.classifier.model import DEFAULT_MODEL_DIR
from stance.classifier.card import render_card


def _saved(name):
    return json.loads((DEFAULT_MODEL_DIR / name).read_text(encoding="utf-8"))


def test_card_of_the_committed_ensemble_names_every_member_and_its_run_config():
    meta = _saved("stance_model.json")
    card = render_card(meta, {split: _saved(f"eval_{split}.json") for split in ("dev", "test")})
    members = meta["members"]
    assert f"a seed ensemble of {len(members)} members" in card
    for member in members:
        assert f"seed {member['seed']}: best epoch {member['best_epoch']} of {meta['config']['epochs']}" in card
        for row in member["history"]:
            assert f"| {member['seed']} | {row['epoch']} | {row['train_loss']:.4f} | {row['dev_f1_macro']:.4f} |" in card
    assert f"ensemble_size: {len(members)}" in card
    assert f"git checkout {meta['git_sha']} -- data/stance/train.jsonl" in card


def test_card_of_a_model_saved_before_ensembles_reads_its_top_level_selection():
    meta = _saved("stance_model.json")
    legacy = {k: v for k, v in meta.items() if k != "members"}
    legacy.update(
        best_epoch=8, dev_f1_macro=0.8126, weight_averaging=None,
        history=[{"epoch": 8, "train_loss": 0.4535, "dev_f1_macro": 0.8126}],
        config=dict(meta["config"], epochs=8, ensemble_size=1, seed=13),
    )
    card = render_card(legacy, {split: _saved(f"eval_{split}.json") for split in ("dev", "test")})
    assert "**Selection:** seed 13: best epoch 8 of 8 on dev macro-F1;" in card
    assert "| 13 | 8 | 0.4535 | 0.8126 |" in card
    assert "seed ensemble" not in card
