"""The floor for bench/live.py: a bare Streamlit page with one 1-second timed fragment that draws nothing, the
cheapest way Streamlit itself offers to follow a change within a second."""

import streamlit as st


@st.fragment(run_every=1)
def follow() -> None:
    pass


follow()
