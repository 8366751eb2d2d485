# The project's own image for the scale-out stack (compose.yaml). Build it
# where a registry is reachable: `docker build -t trunkshow .`
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TRUNKSHOW_VAR_DIR=/var/lib/trunkshow \
    MEDIA_ROOT=/var/lib/trunkshow/media \
    PRIVATE_ROOT=/var/lib/trunkshow/private \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY trunkshow ./trunkshow
COPY manage.py ./
# Every dependency has a wheel (PyAV, psycopg, numpy ship their C libraries): no compiler.
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /var/lib/trunkshow trunkshow \
    && mkdir -p /var/lib/trunkshow \
    && chown trunkshow /var/lib/trunkshow

# Static files and compiled catalogs are part of the image. SECRET_KEY here only
# keeps settings from writing a key into the image; the real one comes from
# the environment (compose.yaml asks for it).
RUN SECRET_KEY=collectstatic-only DJANGO_SETTINGS_MODULE=trunkshow.settings \
        python -m django collectstatic --noinput --verbosity 0 \
    && pybabel compile -d trunkshow/locale -D django \
    && chown -R trunkshow /var/lib/trunkshow

USER trunkshow
EXPOSE 8000
# `serve` starts Granian, the database-queue worker and, with REDIS_URL, the RQ workers.
CMD ["python", "manage.py", "serve"]
