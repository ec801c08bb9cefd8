# printkit: `make demo` builds the example kit, `make test` runs every check.
# Both set up what they need first (virtual env, packages, system fonts when root).
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.printkit-installed
OUT ?= examples/out

.PHONY: demo test lint typecheck pytest bench clean

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $(STAMP)

demo: $(STAMP)
	bash examples/demo.sh $(BIN)/printkit $(OUT)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check printkit tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/pip install -q -e ".[bench]"
	for b in benchmarks/*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(OUT) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
