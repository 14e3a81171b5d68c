"""Follow-up sessions on the facilitator console: the sessions before and after this one, and the control that
starts the next (planning/followup.py).

The new session's facilitator link is shown once, in this browser session only, like a new workshop's."""

from datetime import datetime

import streamlit as st

import ui
from planning.followup import Chain, SessionLink, get_chain, start_followup
from planning.models import Phase
from planning.selfcheck import selfcheck_results, shift_of
from ui import live, selfcheck

SCOPE = "facilitator_followup"
CARRIES = ("A follow-up is a new session, with its own code, for the room's next meeting. It carries the purpose "
           "and segment, the demands (their votes as history), the chosen initiatives, the plan with each action's "
           "status for the room to review, and the self-check runs to compare against.")
NO_PEOPLE = ("Participants do not carry over: it is a new room, and everyone joins again with the new code. "
             "This workshop stays as it is.")


def _day(at: datetime) -> str:
    return f"{at.day} {at:%b %Y}"


def _named(link: SessionLink) -> str:
    return f"<strong>{ui.esc(link.code)}</strong> ({_day(link.created_at)})"


def chain_html(chain: Chain) -> str:
    """"Follows B (24 Nov 2026) · before it: A (1 Oct 2026)" and "Followed by C": codes and dates (HTML)."""
    lines = []
    if chain.follows:
        before = [_named(x) for x in reversed(chain.earlier[:-1])]
        lines.append(f"Follows {_named(chain.follows)}" + (f" · before it: {', '.join(before)}" if before else ""))
    if chain.followed_by:
        after = [_named(x) for x in chain.later[1:]]
        lines.append(f"Followed by {_named(chain.followed_by)}" + (f" · then: {', '.join(after)}" if after else ""))
    return "".join(f'<div class="hp-sub" data-testid="hp-chain">{line}</div>' for line in lines)


@live.fragment("facilitator_followup", field_name="revision")
def console(code: str, now, key: str) -> None:
    """The chain, what a restore left out of it, the self-check since the last session, and the follow-up control
    once the room reached Plan."""
    w, chain = ui.workshop_at(code, now), ui.attempt(get_chain, code, key)
    if not chain:
        return
    if chain.earlier or chain.later:
        st.html(chain_html(chain))
    if chain.dropped:  # our restore's words; shown literally all the same, like anything read from a file
        st.html(f'<div class="hp-card" data-testid="hp-chain-dropped">{ui.esc(chain.dropped)}</div>')
    shift = shift_of(selfcheck_results(ui.db(), code))
    if shift:
        selfcheck.shift_table(shift)
    ui.note(SCOPE)  # outside the control: a refusal because another tab started one stays in sight
    created = st.session_state.get(f"{SCOPE}_created_{code}")
    if created:
        _started(*created)
    elif chain.followed_by is None and w.phase in (Phase.PLAN, Phase.CLOSED):
        _start(code, key, w.title)


def _start(code: str, key: str, title: str) -> None:
    with st.expander("Start a follow-up session", icon=":material/update:"):
        st.caption(CARRIES)
        st.caption(NO_PEOPLE)
        with st.form(f"{SCOPE}_form", border=False):
            st.text_input("Title of the follow-up", value=title, max_chars=120, key=f"{SCOPE}_title")
            st.form_submit_button("Start the follow-up", type="primary", on_click=_started_now, args=(code, key))


def _started_now(code: str, key: str) -> None:
    created = ui.act(SCOPE, start_followup, code, key, title=st.session_state.get(f"{SCOPE}_title"))
    if created:
        st.session_state[f"{SCOPE}_created_{code}"] = (created.workshop.code, created.facilitator_key)


def _started(new_code: str, new_key: str) -> None:
    """The new session's code and private facilitator link (shown in this browser session only)."""
    link = ui.link("facilitator", code=new_code, key=new_key)
    st.success(f"Follow-up session started: code {new_code}.", icon=":material/update:")
    st.caption(NO_PEOPLE)
    st.warning("Keep its private facilitator link: it is the only way into the follow-up's console, and it is "
               "shown only here.", icon=":material/key:")
    st.code(link, language=None, wrap_lines=True)
    st.link_button("Open the follow-up's console", link, icon=":material/open_in_new:")
