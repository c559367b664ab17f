# periphery: the two fresh-machine commands (make demo, make test) and the benchmarks.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP_RUN  := $(VENV)/.installed-run
STAMP_DEV  := $(VENV)/.installed-dev
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: demo test bench install clean browser

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "periphery needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

$(STAMP_BENCH): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev,bench]"
	touch $@ $(STAMP_DEV) $(STAMP_RUN)

install: $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(VENV)/bin/periphery demo --out runs/demo

test: $(STAMP_DEV) browser
	$(PY) -m pytest

# The dashboard's browser tests drive Debian's chromium; install it when missing and root.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| echo "note: apt-get could not install chromium; the browser tests will skip"; \
	else echo "note: /usr/bin/chromium is missing and installing it needs root and apt-get;" \
		"the browser tests will skip"; fi

bench: $(STAMP_BENCH)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/sweep_efficiency.py
	$(PY) benchmarks/world_scale.py

clean:
	rm -rf $(VENV) runs .pytest_cache
