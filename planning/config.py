"""Settings read from the environment when called, never at import."""

import os

DEFAULT_DATABASE_URL = "sqlite:///data/hyperplan.db"


def database_url() -> str:
    """The database to use: `DATABASE_URL`, else the SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def organiser_passcode() -> str | None:
    """The passcode needed to create workshops, if the organiser set one."""
    return os.environ.get("HYPERPLAN_ORGANISER_PASSCODE") or None


def public_url() -> str | None:
    """The address participants use to reach the app, if it differs from what the browser sees."""
    value = os.environ.get("HYPERPLAN_PUBLIC_URL")
    return value.rstrip("/") if value else None


def trusted_proxy_header() -> str | None:
    """The header in which a trusted reverse proxy in front of the app names the client (X-Forwarded-For,
    X-Real-IP), if the organiser set one: without it, everyone behind a same-host proxy is one address."""
    return (os.environ.get("HYPERPLAN_TRUSTED_PROXY_HEADER") or "").strip() or None


def busy_timeout_ms() -> int:
    """How long a write waits for another writer before the page says the database is busy (and retries):
    HYPERPLAN_BUSY_TIMEOUT_MS, else 10 s."""
    value = os.environ.get("HYPERPLAN_BUSY_TIMEOUT_MS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 10_000
