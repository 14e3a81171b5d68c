"""Home: create a workshop, join one, or open the demo."""

import streamlit as st

import ui
from planning import config
from planning.demo import DEMO_CODE, DEMO_KEY
from planning.errors import PlanningError
from planning.export import import_backup
from planning.workshops import create_workshop

st.title("Hyperplan")
st.write("Plan from the customer's side of the table: a live Hyper-planning workshop for the whole room.")

join, create, demo = st.columns(3, gap="large")  # join first: on a phone the columns stack

with create:
    st.subheader("Create a workshop")
    with st.form("home_create"):
        title = st.text_input("Workshop title", max_chars=120, placeholder="Freight 2027 planning day")
        company = st.text_input("Company", max_chars=120, placeholder="Northwind Logistics")
        segment = st.text_area(
            "Customer segment the room will role-play", max_chars=300,
            placeholder="a mid-size manufacturer shipping 40 pallets a week",
        )
        needs_passcode = config.organiser_passcode() is not None
        passcode = st.text_input("Organiser passcode", type="password") if needs_passcode else None
        submitted = st.form_submit_button("Create workshop", type="primary")
    if submitted:
        created = ui.attempt(
            create_workshop, title=title, company=company, segment=segment,
            passcode=passcode, organiser_passcode=config.organiser_passcode(),
        )
        if created:
            st.session_state["facilitator_new"] = True
            st.switch_page(
                "views/facilitator.py", query_params={"code": created.workshop.code, "key": created.facilitator_key}
            )

    with st.expander("Restore a backup as a new workshop"):
        upload = st.file_uploader("Hyperplan backup (.json)", type=["json"], key="home_restore_file")
        restore_passcode = (st.text_input("Organiser passcode", type="password", key="home_restore_passcode")
                            if needs_passcode else None)
        if st.button("Restore", key="home_restore", disabled=upload is None):
            try:
                with st.spinner("Restoring: a large workshop takes a minute."):
                    restored = import_backup(ui.db(), upload.getvalue(), passcode=restore_passcode,
                                             organiser_passcode=config.organiser_passcode())
            except PlanningError as refusal:  # shown literally: st.error would parse it as Markdown
                restored = None
                st.error("Nothing was restored.", icon=":material/block:")
                ui.literal(str(refusal))
            if restored:
                st.session_state["facilitator_new"] = True
                st.switch_page("views/facilitator.py",
                               query_params={"code": restored.workshop.code, "key": restored.facilitator_key})

with join:
    st.subheader("Join a workshop")
    st.write("Got a code from the big screen? Join with your name; no account needed.")
    st.page_link("views/join.py", label="Join with a code", icon=":material/login:")

with demo:
    st.subheader("Open the demo workshop")
    st.caption("A pre-filled example (code DEMO) that anyone may open and change.")
    st.page_link("views/big_screen.py", label="Demo big screen", icon=":material/tv:", query_params={"code": DEMO_CODE})
    st.page_link(
        "views/facilitator.py", label="Demo facilitator console", icon=":material/tune:",
        query_params={"code": DEMO_CODE, "key": DEMO_KEY},
    )
    st.page_link("views/join.py", label="Join the demo", icon=":material/login:", query_params={"code": DEMO_CODE})
