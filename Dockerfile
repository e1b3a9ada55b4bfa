# CTE Portal, production image: gunicorn (sync workers) serving Django, static files by WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml). Settings come from
# environment variables only; nothing secret is baked in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH" \
    CTE_ENV=production \
    CTE_VAR_DIR=/app/var

# WeasyPrint (PDF) needs Pango and HarfBuzz with its subsetting library; psycopg ships libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 cte

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .

# Static files are collected at build time (hashed names, compressed). The settings refuse to
# load without SECRET_KEY in production: this one exists only for this build step.
RUN SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R cte:cte /app/var

USER cte
EXPOSE 8000

# One sync worker per core unless WEB_CONCURRENCY says otherwise (sync workers were the
# steadiest under load). TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
CMD ["sh", "-c", "exec gunicorn cte_portal.wsgi --bind 0.0.0.0:8000 --worker-class sync --workers ${WEB_CONCURRENCY:-$(nproc)} --timeout 60 --graceful-timeout 30"]
