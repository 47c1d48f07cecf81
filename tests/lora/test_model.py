"""Weight-hash model ids and length-sorted batching (stance/lora/model.py)."""

import hashlib
import re

import pytest

from stance.errors import ModelNotLoadedError
from stance.lora.model import length_sorted_batches, save_adapter, weight_id


@pytest.fixture
def weights(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"first")
    (tmp_path / "b.bin").write_bytes(b"second")
    return [tmp_path / "a.bin", tmp_path / "b.bin"]


def test_weight_id_is_the_name_and_ten_hex_digits_of_the_listed_files_and_extra(weights):
    model_id = weight_id("tagger", weights)
    assert re.fullmatch(r"tagger@[0-9a-f]{10}", model_id)
    assert model_id == "tagger@" + hashlib.sha256(b"firstsecond").hexdigest()[:10]
    assert weight_id("tagger", weights, extra=b"1.5") == "tagger@" + hashlib.sha256(b"firstsecond1.5").hexdigest()[:10]
    assert weight_id("other", weights).split("@")[1] == model_id.split("@")[1]


def test_weight_id_changes_with_a_listed_file_and_ignores_the_rest(weights, tmp_path):
    before = weight_id("m", weights)
    (tmp_path / "README.md").write_text("a stray file beside the weights")
    assert weight_id("m", weights) == before
    weights[1].write_bytes(b"secone")
    changed = weight_id("m", weights)
    assert changed != before
    weights[1].write_bytes(b"second")
    assert weight_id("m", weights) == before


@pytest.mark.parametrize(
    "lengths, batch_size, batches",
    [
        ([5, 1, 3, 1, 4], 2, [[1, 3], [2, 4], [0]]),
        ([5, 1, 3, 1, 4], 5, [[1, 3, 2, 4, 0]]),
        ([2, 2, 2], 1, [[0], [1], [2]]),
        ([], 4, []),
    ],
)
def test_length_sorted_batches_go_shortest_first_and_cover_every_index_once(lengths, batch_size, batches):
    found = list(length_sorted_batches(lengths, batch_size))
    assert found == batches
    assert sorted(i for batch in found for i in batch) == list(range(len(lengths)))


def test_only_an_unmerged_adapter_can_be_saved(tmp_path):
    with pytest.raises(ModelNotLoadedError, match="only a model with an unmerged LoRA adapter can be saved"):
        save_adapter(object(), tmp_path / "adapter")
    assert not (tmp_path / "adapter").exists()
