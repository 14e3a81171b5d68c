"""The baseline: a bare Streamlit page drawing the same, precomputed dashboard (no database, no navigation)."""

import os
import pickle
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ui import dashboard  # noqa: E402


@st.cache_resource
def precomputed(path: str):
    """Read once and held in memory, as the app holds a revision's figures for every viewer."""
    return pickle.loads(Path(path).read_bytes())


st.set_page_config(layout="wide")
dashboard.show(*precomputed(os.environ["HYPERPLAN_BENCH_FIGURES"]), key="bare")
