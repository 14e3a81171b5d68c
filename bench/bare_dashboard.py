"""The baseline: a bare Streamlit page drawing the same, precomputed dashboard (no database, no navigation)."""

import os
import pickle
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ui import dashboard  # noqa: E402

st.set_page_config(layout="wide")
dash, matrix, bars = pickle.loads(Path(os.environ["HYPERPLAN_BENCH_FIGURES"]).read_bytes())
dashboard.show(dash, matrix, bars, key="bare")
