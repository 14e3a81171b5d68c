"""Join: a code and a display name, then the participant page with a personal rejoin link."""

import streamlit as st

import ui
from planning import config
from planning.participants import join_workshop

ui.home_link()
st.title("Join a workshop")
with st.form("join_form"):
    code = st.text_input("Workshop code", value=st.query_params.get("code", ""), max_chars=16)
    name = st.text_input("Your name, as the room will see it", max_chars=40)
    submitted = st.form_submit_button("Join", type="primary")
if submitted:
    proxy_header = config.trusted_proxy_header()
    joined = ui.attempt(join_workshop, code, name, session=ui.session_id(), address=st.context.ip_address,
                        forwarded=st.context.headers.get(proxy_header) if proxy_header else None)
    if joined:
        st.session_state["participant_token"] = joined.token
        st.switch_page("views/participant.py", query_params={"p": joined.token})
