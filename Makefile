# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index demo serve test eval fusion-grid second-look bench load clean

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

# The README's retrieval tables: baselines and the archive, both models, dev / held-out / French queries.
eval: install
	$(PY) benchmarks/eval.py

# The fusion's constants across a grid (the plateau the README shows).
fusion-grid: install
	$(PY) benchmarks/fusion_grid.py

# Second looks at the top candidates (lexical feedback, the other model's dense view): measured, not shipped.
second-look: install
	$(PY) benchmarks/second_look.py

bench: install
	$(PY) benchmarks/run.py

load: install
	$(PY) benchmarks/load.py

clean:
	rm -rf index/*.sqlite3* index/*.faiss index/manifest.json index/uploads
