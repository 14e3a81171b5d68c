"""AppTest fixtures: every test gets a fresh SQLite file and empty Streamlit caches."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planning.db import Database

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def db(sqlite_url, monkeypatch):
    """The database the app under test uses (the app creates the demo workshop in it too)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("HYPERPLAN_ORGANISER_PASSCODE", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    database = Database(sqlite_url)
    yield database
    database.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_view(db):
    """open_view("participant", p=token) runs app.py, then switches to that view with those query params."""

    def run(view: str, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if view != "home":
            at.switch_page(f"views/{view}.py").run()
        assert not at.exception, at.exception
        return at

    return run


def html_of(at: AppTest) -> str:
    """Everything the page drew with st.html (our cards, headings and prompts), joined."""
    return "\n".join(el.proto.body for el in at.get("html"))


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    """All text elements, markdown, captions and alerts on the page."""
    parts = [t.value for t in at.text] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.success, *at.info, *at.warning)]
    return "\n".join(parts)
