# Fresh machine to working tool in one command: `make demo` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test test-fast eval train corpus bench clean tagger-eval train-tagger segment-eval train-segmenter agreement learning-curve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is pinned to the CPU wheel (an unpinned torch pulls a multi-GB CUDA build).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/stance demo

test: install
	$(BIN)/python -m pytest -q

# Everything but the tests marked slow (model quality, training runs, CLI end to end): ≤ 60 s.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

eval: install
	$(BIN)/stance eval --split test

train: install
	$(BIN)/python scripts/finetune.py --config configs/train.yaml

tagger-eval: install
	$(BIN)/stance tagger-eval --split dev --format md

train-tagger: install
	$(BIN)/python scripts/train_tagger.py --config configs/tagger_train.yaml

# Old names of the two targets above.
segment-eval: tagger-eval
train-segmenter: train-tagger

# Dev macro-F1 against the share of train topics (one member per point, about 34 min).
learning-curve: install
	$(BIN)/python scripts/learning_curve.py --fractions 0.125,0.25,0.5,1.0 --seeds 13,14

agreement: install
	$(BIN)/python scripts/corpus/agreement.py

corpus: install
	$(BIN)/python scripts/corpus/build_corpus.py

bench: install
	$(BIN)/python scripts/bench/bench_pipeline.py
	$(BIN)/python scripts/bench/bench_claims.py
	$(BIN)/python scripts/bench/bench_speed.py --json reports/bench-speed.json
	$(BIN)/python scripts/bench/bench_scaling.py --json reports/bench-scaling.json
	$(BIN)/python scripts/bench/bench_ray.py --json reports/bench-ray.json

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
