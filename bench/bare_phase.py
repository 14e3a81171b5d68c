"""The floor for a phase change in bench/live.py: a bare Streamlit page drawing the elements a phone's Value exchange
page draws (its style, heading and prompt, a clock, the proposal form with six demand cards, the room's initiatives,
three live listeners, the personal link), with none of Hyperplan's code: no database, no caches, no live hub."""

import streamlit as st

_NOTHING = "export default function () {}"
listener = st.components.v2.component("bare_listen", js=_NOTHING)
cards = st.components.v2.component("bare_cards", js=_NOTHING)
clock = st.components.v2.component("bare_clock", html="<div></div>", js=_NOTHING)


def listen(key: str, field: str) -> None:
    listener(key=f"listen_{key}", data={"url": "/api/live/x", "field": field, "drawn": 2, "every": 0, "name": key},
             on_changed_change=lambda: None)


st.html("<style>" + ".hp-card {border-left: 6px solid #0072B2; padding: .6rem .9rem;}\n" * 40 + "</style>")
st.html('<h1 class="hp-title">Live</h1><div class="hp-sub">Value exchange · code ABCD-EFGH</div>'
        '<div class="hp-sub">You take part as Participant 7</div>')
st.html('<div class="hp-prompt">Propose initiatives that give <strong>shippers</strong> new value and return value '
        "to <strong>Northwind</strong>.</div>")
listen("page", "phase")


@st.fragment
def timer() -> None:
    clock(key="clock", data={"left": 570, "size": "phone", "text": "09:30"})
    listen("clock", "timer")


@st.fragment
def proposal() -> None:
    with st.container(border=True):
        st.subheader("Propose an initiative")
        st.text_input("Short title", max_chars=120, key="title")
        st.text_area("What the customer gets (new value, in their terms)", max_chars=500, key="customer")
        st.text_area("What comes back to the company", max_chars=500, key="company")
        st.markdown("**Demands it answers** · 0 picked")
        st.text_input("Find a demand by a word in it", key="search")
        cards(key="pick", data={"cards": [{"id": i, "text": f"Tell me the moment shipment {i} is late", "meta": "",
                                           "buttons": [{"action": "pick", "label": "It answers this"}]}
                                          for i in range(6)]}, on_press_change=lambda: None)
        st.caption("24 more match: type a word to narrow them.")
        st.checkbox("It answers no recorded demand", key="none")
        st.pills("Self-check areas it strengthens", ["Customers", "Offer", "Channels", "Partners", "Money", "Team"],
                 selection_mode="multi", key="areas")
        st.segmented_control("Rough effort (leave empty if not sure)", ["S", "M", "L"], key="effort")
        with st.container(horizontal=True):
            st.button("Propose initiative", type="primary", key="submit")


@st.fragment
def initiatives() -> None:
    st.subheader("Initiatives (1)")
    cards(key="initiatives", data={"cards": [{"id": 1, "title": "Live pallet tracking", "meta": "Participant 1",
                                              "lines": ["Customer gets: I see where my pallets are",
                                                        "Company gets: Fewer calls"]}]},
          on_press_change=lambda: None)
    listen("initiatives", "room")


timer()
proposal()
initiatives()
with st.expander("Your personal link (to come back as yourself from any device)"):
    st.code("http://127.0.0.1:8501/participant?p=aBcDeFgHiJkLmNoPqRsTuVwX", language=None, wrap_lines=True)
