# printkit: `make demo` builds the example kit, `make test` runs every check.
# Both set up what they need first (virtual env, packages, system fonts when root).
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.printkit-installed
OUT ?= examples/out

.PHONY: demo test lint typecheck pytest bench clean lock test-latest

$(STAMP): pyproject.toml requirements.lock scripts/setup.sh scripts/python.sh
	bash scripts/setup.sh $(VENV)
	touch $(STAMP)

demo: $(STAMP)
	bash examples/demo.sh $(BIN)/printkit $(OUT)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check printkit tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# One test file per worker process, on every core (module fixtures such as servers and
# clusters stay shared within their file).
pytest: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b; done

# Refresh requirements.lock on purpose (newest versions the ranges in pyproject.toml allow),
# then reinstall: `make lock && make test`. One package only: make lock LOCK_ARGS="-P babel".
lock: $(STAMP)
	bash scripts/lock.sh $(VENV) $(LOCK_ARGS)

# The whole suite against the newest versions pyproject.toml allows, in a throw-away venv,
# ignoring the lock: what the next `make lock` would bring.
LATEST ?= .venv-latest
test-latest:
	rm -rf $(LATEST) && $$(bash scripts/python.sh) -m venv $(LATEST)
	$(LATEST)/bin/pip install -q --upgrade -e ".[$$($(LATEST)/bin/python -c 'import tomllib; print(",".join(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]))')]"
	$(LATEST)/bin/pip freeze --exclude-editable > $(LATEST)/versions.txt
	$(LATEST)/bin/ruff check printkit tests benchmarks && $(LATEST)/bin/mypy && $(LATEST)/bin/python -m pytest

clean:
	rm -rf $(OUT) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
