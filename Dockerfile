# docgen production image: the Flask app under gunicorn, LibreOffice for PDF,
# Liberation Serif 2 in place of Times New Roman. Checked against the repo by
# tests/test_dockerfile.py (packages, COPY sources, user, health check, app factory).
#
#   docker build -t docgen .
#   docker run --rm -p 8000:8000 docgen
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DOCGEN_TEMPLATE_DIR=/app/templates \
    # /metrics adds up every gunicorn worker (prometheus_client multiprocess mode;
    # gunicorn.conf.py empties the folder at start)
    PROMETHEUS_MULTIPROC_DIR=/tmp/docgen-metrics

# Debian packages: the runtime list of scripts/install-system-deps.sh (one list for
# dev machines, CI and this image): libreoffice-writer-nogui, python3-uno (for
# Debian's /usr/bin/python3, which runs docgen/pdf/_uno_bridge.py), fonts-liberation2.
COPY scripts/install-system-deps.sh /tmp/install-system-deps.sh
RUN bash /tmp/install-system-deps.sh --runtime \
    && rm -rf /var/lib/apt/lists/* /tmp/install-system-deps.sh

WORKDIR /app
COPY pyproject.toml README.md ./
COPY docgen ./docgen
# postgres: psycopg 3, for DOCGEN_DATABASE_URL=postgresql://… (compose.yaml uses it)
RUN pip install ".[pdf,server,postgres]"
COPY templates ./templates
# the example payloads behind GET /api/v1/document-types/<type>/example and "Tải mẫu ví dụ"
COPY schemas ./schemas
# the README's example files; gunicorn.conf.py (read from the WORKDIR): metrics, JSON logs,
# and the worker count each worker sizes its PDF pool by (cores / workers)
COPY examples ./examples
COPY gunicorn.conf.py ./

# A non-root user; it writes only instance/ (register database) and /tmp (PDF pool).
RUN useradd --create-home --user-group --uid 10001 docgen \
    && mkdir -p /app/instance \
    && chown docgen:docgen /app/instance
USER docgen

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# --timeout: above the PDF pool's worst case (two 60 s attempts plus restarts),
# so gunicorn never kills a worker that is still waiting for LibreOffice.
CMD ["gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "--keep-alive", "5", "-b", "0.0.0.0:8000", "--timeout", "150", "docgen.app:create_app()"]
