"""Hyperplan: entry and navigation. Every screen is reached by its link, so the menu stays hidden."""

import pandas  # noqa: F401  (before any page: concurrent first imports of pandas raced; see server.py)
import plotly.graph_objects  # noqa: F401
import streamlit as st

st.set_page_config(page_title="Hyperplan", page_icon=":material/groups:", layout="wide")

# The screens, built once per browser session: st.Page resolves its file on disk, and on a phase change 200 phones
# each building six of them spent about 1 ms apiece there (bench/live.py). A session runs one script at a time.
if "hp_pages" not in st.session_state:
    st.session_state["hp_pages"] = [
        st.Page("views/home.py", title="Hyperplan", icon=":material/home:", default=True),
        st.Page("views/join.py", title="Join a workshop", icon=":material/login:", url_path="join"),
        st.Page("views/participant.py", title="Participant", icon=":material/person:", url_path="participant"),
        st.Page("views/facilitator.py", title="Facilitator console", icon=":material/tune:", url_path="facilitator"),
        st.Page("views/big_screen.py", title="Big screen", icon=":material/tv:", url_path="big_screen"),
        st.Page("views/dashboard.py", title="Dashboard", icon=":material/monitoring:", url_path="dashboard"),
    ]
page = st.navigation(st.session_state["hp_pages"], position="hidden")
page.run()
