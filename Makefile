# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index index-fixtures demo serve test eval calibrate calibrate-e5 fusion-grid second-look reranker bench bench-engines load clean

install: $(STAMP)

# torch first, pinned: that takes the CPU wheel; an unpinned torch pulls a CUDA build of several GB.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev,multilingual]'
	touch $(STAMP)

index: install
	$(PY) ingest.py corpus/

demo: index
	$(PY) search_app.py

serve: install
	$(PY) search_app.py

test: install
	$(PY) -m pytest

# corpus/ plus the fictional Testland and Exampleland factsheets: the archive of the structured questions.
FIXTURE_INDEX := build/index-fixtures
index-fixtures: install
	$(VENV)/bin/lanzasearch ingest corpus/ tests/fixtures/factsheet-testland.md tests/fixtures/factsheet-exampleland.md \
		--index $(FIXTURE_INDEX) --no-progress

# The README's retrieval tables: baselines and the archive, both models, dev / held-out / French queries;
# then the structured questions on the fixtures' archive.
eval: install index-fixtures
	$(PY) benchmarks/eval.py
	$(VENV)/bin/lanzasearch eval tests/fixtures/structured-queries.jsonl --index $(FIXTURE_INDEX)

# The weak-match threshold of the archive's model (lanzasearch/weakmatch.py), chosen again.
calibrate: index
	$(VENV)/bin/lanzasearch calibrate tests/fixtures/dev-queries.jsonl tests/fixtures/offtopic-queries.jsonl \
		--check-on tests/fixtures/heldout-queries.jsonl --check-off tests/fixtures/offtopic-heldout.jsonl

# The same for multilingual-e5-small, on its own archive of corpus/, with the French questions among those
# it is chosen from (e5 is there for them).
E5_INDEX := build/index-e5
calibrate-e5: install
	$(VENV)/bin/lanzasearch ingest corpus/ --index $(E5_INDEX) --model multilingual-e5-small --no-progress
	$(VENV)/bin/lanzasearch calibrate tests/fixtures/dev-queries.jsonl tests/fixtures/offtopic-queries.jsonl \
		--pick-on tests/fixtures/french-queries.jsonl --index $(E5_INDEX) \
		--check-on tests/fixtures/heldout-queries.jsonl --check-off tests/fixtures/offtopic-heldout.jsonl

# The fusion's constants across a grid (the plateau the README shows).
fusion-grid: install
	$(PY) benchmarks/fusion_grid.py

# Second looks at the top candidates (lexical feedback, the other model's dense view): measured, not shipped.
second-look: install
	$(PY) benchmarks/second_look.py

# A cross-encoder trained on the archive's own pairs, as a second look: measured, not shipped (about 15 min).
reranker: install
	$(PY) benchmarks/reranker.py

bench: install
	$(PY) benchmarks/run.py

bench-engines: install
	$(PIP) install --quiet -e '.[engines]'
	$(PY) benchmarks/engines.py

load: install
	$(PY) benchmarks/load.py

clean:
	rm -rf index/*.sqlite3* index/*.faiss index/manifest.json index/uploads
