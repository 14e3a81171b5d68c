"""Dashboard: value to customers against value returned to the company, for everyone in the room."""

import streamlit as st

import ui
from planning.workshops import get_revision
from ui import dashboard, plan, selfcheck

code = st.query_params.get("code", "")
w = ui.attempt(ui.shared_workshop, code)
if not w:
    ui.home_link()
    st.stop()
ui.style()
ui.heading(w.title, f"Dashboard · code {w.code}", f"{w.company} · customer: {w.segment}")


@st.fragment(run_every=5)
def live() -> None:
    """Redrawn from the shared per-revision cache: one cheap query a tick when nothing changed."""
    revision = get_revision(ui.db(), code)  # one read for the three, each cached per revision for every viewer
    dashboard.show(*dashboard.figures(code, revision), key="dashboard")
    selfcheck.results(code, key="dashboard", revision=revision)
    plan.view(code, key="dashboard", quiet=True, revision=revision)


live()
