# Clausier — two commands do everything: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Debian packages the tests use: Chromium (browser tests), LibreOffice (PDF) and python3-uno (the
# resident LibreOffice's bridge, app/pdf/uno_bridge.py), Tesseract (OCR of scans).
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui python3-uno tesseract-ocr tesseract-ocr-fra fonts-dejavu-core

.PHONY: install run test test-fast system-deps migrate seed clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/clausier db upgrade

run: install
	$(BIN)/clausier seed-demo --if-empty
	@echo "Clausier : http://$(HOST):$(PORT)"
	$(BIN)/clausier run --host $(HOST) --port $(PORT)

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing="$$missing python3-uno"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	[ -d /usr/share/tesseract-ocr ] && ls /usr/share/tesseract-ocr/*/tessdata/fra.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-ocr-fra"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi; \
		if [ "$$SUDO" = none ]; then \
			echo "Paquets manquants ($$missing) : installez-les (apt-get install $(SYSTEM_PACKAGES)) ; les tests qui en dépendent seront ignorés."; \
		else \
			echo "Installation de :$$missing"; \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
		fi; \
	fi

test: install system-deps
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser and not slow" -x -q

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
