# syntax=docker/dockerfile:1
# The conference server as an image. Build and run with docker compose (docker-compose.yml),
# or: docker build -t conference . ; see docs/operations.md.

# ---- browser bundles (esbuild) -------------------------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY static/js static/js
RUN npm run build

# ---- Python environment and the source tree --------------------------------------------------
FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# README.md* : optional, so the build works before it exists.
COPY pyproject.toml requirements.lock README.md* ./
# Exactly the locked versions, checked by their hashes (requirements.lock, pip-compile of
# pyproject.toml with the postgres extra; docs/operations.md says how to renew it)
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY conference conference
# Editable on purpose: the code finds templates/ and static/ beside the package (the repo
# layout, here /app), so the package must stay at /app/conference, not in site-packages.
# --no-deps: everything it needs is installed from the lock above
RUN pip install --no-deps -e '.[postgres]'
RUN if ls conference/web/locale/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
        pybabel -q compile -d conference/web/locale -D messages; \
    fi
COPY templates templates
COPY config config
COPY static static
COPY --from=assets /src/static/dist static/dist

# ---- runtime --------------------------------------------------------------------------------
FROM python:3.13-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    CONFERENCE_MODE=production
# WeasyPrint (the event report as PDF) needs Pango and HarfBuzz, and a font with German letters
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin conference
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
RUN mkdir -p /app/var && chown conference:conference /app/var
USER conference
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["conference", "serve", "--host", "0.0.0.0", "--port", "8000"]
