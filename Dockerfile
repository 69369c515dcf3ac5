# syntax=docker/dockerfile:1
# The bot's container image: `docker build -t trivia-bot .`, or `docker compose up` with
# compose.yaml (the bot and PostgreSQL). Written to the usual standard but not built on
# this project's own machines, which have no container runtime: tests/test_container.py
# checks what can be checked without one.

# The Python of the lock files (requirements/*.lock are resolved for 3.11).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Stage 1: the locked dependencies, each file checked against its hash, in a virtual
# environment that the final stage copies whole (no pip, compilers or caches there).
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/runtime.lock /tmp/runtime.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/runtime.lock

# Stage 2: the bot, run from its source folder (bot/ finds knowledge/ beside it) by an
# unprivileged user.
FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY bot ./bot
COPY knowledge ./knowledge
# The default DATABASE_URL keeps a SQLite file in ./data: writable by the bot, and a
# volume so that it outlives the container (compose.yaml uses PostgreSQL instead).
RUN mkdir data && chown bot:bot data
VOLUME ["/app/data"]
USER bot

# /healthz and /metrics, served when METRICS_PORT is set (compose.yaml sets 9100 and
# METRICS_HOST=0.0.0.0 so that the port can be published).
EXPOSE 9100
# Passes while METRICS_PORT is unset (no endpoint to ask); with it set, healthy once
# /healthz answers 200, that is once the bot is connected to Discord and ready.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]

CMD ["python", "-m", "bot", "run"]
