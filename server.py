"""Hyperplan's server: Streamlit running app.py, plus /api/live, the stream that tells open pages their workshop
changed (ui/live.py). `streamlit run server.py` serves both; with `streamlit run app.py` alone, pages would
catch up only through their slow watchdog."""

import gc

import pandas  # noqa: F401  (imported before any session: concurrent first imports raced, see STREAMLIT-NOTES)
import plotly.graph_objects  # noqa: F401
import streamlit as st
from starlette.routing import Route

# Python's full collection walks every object of every open page's session: with 200 pages, about 0.3 s with
# the GIL held, and at the default thresholds it ran after nearly every change in the room (4-8 times in 5
# changes: a fifth of the server's CPU, bench/live.py). It now runs a tenth as often; young objects are collected
# as before; what the imports built is never garbage, so it is left out of every collection.
gc.freeze()
gc.set_threshold(700, 10, 100)

LIVE_ROUTE = "/api/live/{tab}"  # ui.live.ROUTE; tests/test_architecture.py checks they agree


async def live_stream(request):
    from ui import live  # imported lazily, under Streamlit's runtime, like every screen module

    return await live.stream(request)


def contain_error(error: Exception) -> bool:
    import ui

    return ui.contain_error(error)


app = st.App("app.py", routes=[Route(LIVE_ROUTE, live_stream)], on_script_error=contain_error)
