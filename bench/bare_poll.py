"""The floor for bench/polling.py: a bare Streamlit page with two timed fragments that do nothing,
the same two the participant page has in Inner customer (the room list and the phase watcher)."""

import streamlit as st


@st.fragment(run_every=5)
def room() -> None:
    st.caption("room")


@st.fragment(run_every=5)
def phase() -> None:
    st.caption("phase")


room()
phase()
