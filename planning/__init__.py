"""Hyperplan's domain: workshops, participants, demands, votes. Never imports Streamlit."""
