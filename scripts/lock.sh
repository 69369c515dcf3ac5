#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, with every file's hash:
#   requirements/runtime.lock  the bot's own dependencies (the container installs these)
#   requirements/dev.lock      those plus the dev extra (CI and developers install these)
# Run after changing a dependency in pyproject.toml (`pip-tools` is in the dev extra):
#   .venv/bin/pip install -e '.[dev]' && bash scripts/lock.sh
# Add --upgrade to move every pin to the newest release the constraints allow. The dev
# lock is resolved first and the runtime lock is constrained by it, so the two always
# pin the same versions (tests/test_dependencies.py checks that).
set -euo pipefail
cd "$(dirname "$0")/.."
compile=(
    "${PIP_COMPILE:-.venv/bin/pip-compile}" --quiet --generate-hashes --allow-unsafe
    --strip-extras --no-emit-index-url --no-emit-find-links "$@"
)
"${compile[@]}" --extra dev --output-file requirements/dev.lock pyproject.toml
"${compile[@]}" --constraint requirements/dev.lock --output-file requirements/runtime.lock \
    pyproject.toml
