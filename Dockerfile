# coursehub's application image: the same image runs the web workers (gunicorn), the one
# scheduler process and the one-off migration; compose.yaml shows the whole set.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    FLASK_APP=coursehub

RUN useradd --create-home --uid 10001 coursehub
WORKDIR /srv/coursehub

# The app finds templates/, static/ and translations/ beside its package (coursehub/__init__.py,
# PROJECT_ROOT) and migrations/ in the working folder, so the project is installed in place.
COPY pyproject.toml README.md babel.cfg ./
COPY coursehub ./coursehub
COPY templates ./templates
COPY static ./static
COPY translations ./translations
COPY migrations ./migrations
RUN pip install -e . \
    && pybabel compile -d translations \
    && mkdir -p /srv/uploads instance \
    && chown coursehub:coursehub /srv/uploads instance

USER coursehub
EXPOSE 8000
# Workers: about two per core of the host; what each does once up is in coursehub/serving.py.
# The scheduler and the migration override the command.
CMD ["gunicorn", "-c", "python:coursehub.serving", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-", "coursehub:create_app()"]
