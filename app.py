"""Hyperplan: entry and navigation. Every screen is reached by its link, so the menu stays hidden."""

import copy

import pandas  # noqa: F401  (before any page: concurrent first imports of pandas raced; see server.py)
import plotly.graph_objects  # noqa: F401
import streamlit as st

st.set_page_config(page_title="Hyperplan", page_icon=":material/groups:", layout="wide")


@st.cache_resource
def pages() -> tuple:
    """The screens, built once per server process: st.Page resolves its file on disk, and on a phase change 200
    phones each building six of them spent a tenth of their run there (bench/live.py)."""
    return (
        st.Page("views/home.py", title="Hyperplan", icon=":material/home:", default=True),
        st.Page("views/join.py", title="Join a workshop", icon=":material/login:", url_path="join"),
        st.Page("views/participant.py", title="Participant", icon=":material/person:", url_path="participant"),
        st.Page("views/facilitator.py", title="Facilitator console", icon=":material/tune:", url_path="facilitator"),
        st.Page("views/big_screen.py", title="Big screen", icon=":material/tv:", url_path="big_screen"),
        st.Page("views/dashboard.py", title="Dashboard", icon=":material/monitoring:", url_path="dashboard"),
    )


# A copy for each run: st.navigation marks the page it picked as callable, and its run clears the mark again.
page = st.navigation([copy.copy(p) for p in pages()], position="hidden")
page.run()
