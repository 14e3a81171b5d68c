"""Where Streamlit meets `planning`: the shared database, refusals shown once, literal user text."""

import html
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.errors import StreamlitAPIException

from planning import config
from planning.db import Database
from planning.demands import DemandView
from planning.demo import ensure_demo_workshop
from planning.errors import PlanningError
from planning.export import FORMATS, export_workshop, file_name
from planning.models import AREA_LABELS, PHASE_PROMPTS, Area, Phase
from planning.room import Marks, Own, RoomView, get_own, list_owners, list_room, marks_of, owned
from planning.workshops import Revisions, WorkshopView, get_revision, get_workshop

T = TypeVar("T")
_LOG = logging.getLogger("hyperplan")

CSS = """
<style>
.hp-card {border-left: 6px solid #0072B2; background: rgba(0,114,178,.07); border-radius: 8px;
  padding: .6rem .9rem; margin: .35rem 0; white-space: pre-wrap; overflow-wrap: anywhere;}
.hp-card.hp-mine {border-left-color: #E69F00;}
.hp-text {white-space: pre-wrap; overflow-wrap: anywhere;}
.hp-meta {font-size: .85em; color: #4a4f5c; margin-top: .25rem;}
.hp-meta ul {margin: 0; padding-left: 1.2rem;}
.hp-prompt {font-size: 1.35rem; line-height: 1.4; padding: .8rem 1rem; border-radius: 10px;
  background: rgba(0,158,115,.10); border-left: 6px solid #009E73; overflow-wrap: anywhere;}
.hp-code {font-family: ui-monospace, monospace; font-weight: 800; letter-spacing: .12em;
  font-size: clamp(2.4rem, 6.5vw, 7rem); line-height: 1; margin: 0; white-space: nowrap;}
.hp-code.hp-small {font-size: clamp(2rem, 4vw, 3.5rem);}
.hp-big {font-size: clamp(1.4rem, 2.6vw, 2.6rem); line-height: 1.3;}
.hp-title {font-size: clamp(1.6rem, 4vw, 2.6rem); font-weight: 700; line-height: 1.2; margin: 0;
  overflow-wrap: anywhere;}
.hp-sub {color: #4a4f5c; margin-top: .2rem;}
/* Cards that hold buttons are containers keyed hp_card_...: the same look as .hp-card. */
div[class*="st-key-hp_card_"] {border-left: 6px solid #0072B2 !important; background: rgba(0,114,178,.06);}
div[class*="st-key-hp_card_mine_"] {border-left-color: #E69F00 !important; background: rgba(230,159,0,.08);}
/* Thumbs: everything a person presses is at least 44x44 px (WCAG's enhanced target size). */
button[data-testid^="stBaseButton"], [data-testid="stButtonGroup"] button {min-height: 44px; min-width: 44px;}
[data-testid="stSelectbox"] [role="group"], [data-testid="stMultiSelect"] [role="group"] {min-height: 44px;}
label[data-baseweb="radio"], label[data-baseweb="checkbox"] {min-height: 44px; align-items: center;}
.hp-qr {margin: 0; text-align: center;}
.hp-qr figcaption {margin-top: .3rem;}
/* Captions and muted text at WCAG AA contrast (Streamlit's own grey falls short of 4.5:1 on white). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4d5260 !important; opacity: 1;}
/* The live listener draws nothing. */
div[class*="st-key-hp_live_"] {display: none;}
</style>
"""


@st.cache_resource
def db() -> Database:
    """One Database (engine and pool) per server process, migrated and with the demo in place."""
    database = Database(config.database_url(), busy_timeout_ms=config.busy_timeout_ms())
    database.migrate()
    ensure_demo_workshop(database)
    return database


BUSY_RETRIES = 3


def attempt(service: Callable[..., T], *args, **kwargs) -> T | bool | None:
    """Run a planning service: its result (True when it returns nothing), or None after showing its refusal.

    When another writer holds the database past the busy timeout, the use case (one rolled-back
    transaction, so nothing was half written) is tried again, and the person sees that it is retrying.
    """
    return _attempt(lambda: service(db(), *args, **kwargs), lambda message, icon: st.error(message, icon=icon))


def act(scope: str, service: Callable[..., T], *args, done: str | None = None, **kwargs) -> T | bool | None:
    """Run a planning service from a widget callback. The person's last message in `scope` goes; the refusal (or
    `done`, on success) stays, drawn by `note(scope)` until their next action there: a live redraw never wipes it.

    A callback must not draw (Streamlit would put it at the top of the page), hence the note."""
    notes = st.session_state.setdefault("hp_notes", {})
    notes.pop(scope, None)
    result = _attempt(lambda: service(db(), *args, **kwargs),
                      lambda message, icon: notes.__setitem__(scope, ("error", message, icon)), retrying=None)
    st.session_state.pop("hp_own", None)  # their own rows may have changed: `marks` reads them again
    if result is not None and done:
        notes[scope] = ("success", done, ":material/check:")
    return result


def note(scope: str) -> None:
    """What the person's last action in `scope` came to, until their next one (our own words, never user text)."""
    kind, message, icon = st.session_state.get("hp_notes", {}).get(scope, (None, None, None))
    if kind == "error":
        st.error(message, icon=icon)
    elif kind == "success":
        st.success(message, icon=icon)


def fill(form: str, **values) -> None:
    """Put `values` into a form's widgets, from a callback (a stored demand's box emptied, a draft loaded to change).

    A value set from code reaches the browser only with the run right after it. A live rerun can stop that run before
    it draws the form, and the next run takes back what the browser still shows: a stored demand's text stayed in its
    box (bench/load.py at 50 people). So `filling(form)` sets them again in each run until one has drawn the form."""
    st.session_state.update(values)
    st.session_state.setdefault("hp_fill", {})[form] = values


@contextmanager
def filling(form: str) -> Iterator[None]:
    """Around the drawing of a form whose values `fill` may have set."""
    st.session_state.update(st.session_state.get("hp_fill", {}).get(form, {}))
    yield
    st.session_state.get("hp_fill", {}).pop(form, None)


def forget_notes() -> None:
    """A new phase: what was said about the last one no longer applies."""
    st.session_state["hp_notes"] = {}


def _retrying() -> None:
    st.toast("The database is busy: retrying…", icon=":material/hourglass:")


def _attempt(run: Callable[[], T], refuse: Callable[[str, str], None],
             retrying: Callable[[], None] | None = _retrying) -> T | bool | None:
    for tries in range(1, BUSY_RETRIES + 1):
        try:
            result = run()
            return True if result is None else result
        except PlanningError as refusal:
            refuse(str(refusal), ":material/block:")
            return None
        except OperationalError as error:
            if not Database.is_busy(error):
                raise
            if tries < BUSY_RETRIES and retrying:
                retrying()
    refuse("The database is busy right now and nothing was saved. Please try again in a moment.",
           ":material/hourglass:")
    return None


def contain_error(error: Exception) -> bool:
    """A bug on a page: logged with its traceback for whoever runs the server, and a calm note on the page, never a
    traceback on a projected screen (server.py hands this to st.App)."""
    _LOG.error("A page failed", exc_info=error)
    st.warning("Something went wrong on this screen. It has been noted; the screen keeps updating by itself.",
               icon=":material/sync_problem:")
    return True


def style() -> None:
    st.html(CSS)


def esc(text: object) -> str:
    """User text made literal inside our own HTML (no tags, no Markdown, no directives)."""
    return html.escape(str(text), quote=True)


def literal(text: str) -> None:
    """Show user text exactly as typed."""
    st.text(text)


def heading(title: str, *lines: str) -> None:
    """A page heading whose title and lines may hold user text: all shown literally."""
    subs = "".join(f'<div class="hp-sub">{esc(line)}</div>' for line in lines)
    st.html(f'<h1 class="hp-title">{esc(title)}</h1>{subs}')


def area_label(area: Area | str | None) -> str:
    return AREA_LABELS[Area(area)] if area else "No area"


def demand_card(d: DemandView, *, show_votes: bool = True, mine: bool | None = None, plain: bool = False) -> None:
    """One demand: text literal, with its areas, author (when shown) and votes. `plain` draws no card of its own
    (for a card container that also holds buttons); `mine` overrides the view's own flag (shared lists have none)."""
    mine = d.mine if mine is None else mine
    meta = [area_label(a) for a in d.areas]
    if mine:
        meta.append("yours")
    elif d.author:
        meta.append(d.author)
    if show_votes:
        meta.append(f"{d.votes} vote{'s' if d.votes != 1 else ''}")
    if d.merged:
        meta.append(f"{len(d.merged)} merged in")
    body = f'{esc(d.text)}<div class="hp-meta">{esc(" · ".join(meta))}</div>'
    if plain:
        st.html(f'<div class="hp-text">{body}</div>')
    else:
        st.html(f'<div class="hp-card{" hp-mine" if mine else ""}">{body}</div>')


def prompt(w: WorkshopView) -> None:
    """What the current phase asks of the room, with the segment and company shown literally."""
    text = PHASE_PROMPTS[w.phase].format(
        segment=f"<strong>{esc(w.segment)}</strong>", company=f"<strong>{esc(w.company)}</strong>"
    )
    st.html(f'<div class="hp-prompt">{text}</div>')


def timer_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def base_url() -> str:
    """Where this app is reached: the organiser's public address, else what the browser used."""
    configured = config.public_url()
    if configured:
        return configured
    url = urlsplit(st.context.url or "http://localhost:8501/")
    path = url.path.rsplit("/", 1)[0] if url.path.count("/") > 1 else ""
    return f"{url.scheme}://{url.netloc}{path}"


def unreachable_warning() -> None:
    """Phones cannot open an address on localhost: say so, and how to give the public address."""
    host = urlsplit(base_url()).hostname or ""
    if host in ("localhost", "127.0.0.1", "::1") or host.startswith("127."):
        st.warning("The big screen and its QR code point at this computer's own address, which phones cannot reach. "
                   "Start the server with HYPERPLAN_PUBLIC_URL set to the address phones use (for example "
                   "HYPERPLAN_PUBLIC_URL=http://192.168.1.20:8501), or open this console through that address.",
                   icon=":material/wifi_off:")


def link(page: str, **params: str) -> str:
    return f"{base_url()}/{page}?{urlencode(params)}"


def qr_html(url: str, caption: str | None = None) -> str:
    """The QR code as an image a screen reader can name (st.image gives it no alt text), with its caption."""
    uri = segno.make(url, error="m").png_data_uri(scale=10, border=2)
    figcaption = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (f'<figure class="hp-qr"><img src="{uri}" alt="QR code: open {esc(url)} to join" '
            f'style="width:100%;image-rendering:pixelated">{figcaption}</figure>')


def home_link() -> None:
    st.page_link("views/home.py", label="Hyperplan home", icon=":material/home:")


@st.cache_resource(max_entries=256, show_spinner=False)
def workshop_at(code: str, now: Revisions | int) -> WorkshopView:
    """The workshop as of these counters (or this revision): read once per change for every open page (a frozen
    view, shared without copying)."""
    return get_workshop(db(), code)


def shared_workshop(database: Database, code: str) -> WorkshopView:
    """`get_workshop` for a page without live counters: one revision read, the view (five queries) built once per
    change for every page that asks (a service's signature, for `attempt`). Raises: NotFound."""
    return workshop_at(code, get_revision(database, code))


def settings_of(w: WorkshopView) -> tuple:
    """What, when the facilitator changes it, redraws a participant's whole page: what the page is made of (its
    phase, its forms, its tabs). The rest (the timer, votes, anonymity, results) redraws in place: a whole-page
    run while someone pressed a button would swallow the press. Private-until-reveal changes only the lists, which
    are live fragments, except in Value exchange, where the proposal form offers the demands one may see."""
    return w.phase, w.locked, w.items_private if w.phase == Phase.VALUE_EXCHANGE else None, w.selfcheck_run


def follow_settings(code: str, now: Revisions, drawn: tuple) -> WorkshopView:
    """The workshop now; when the facilitator changed what the page is made of (phase, lock...), the whole page
    redraws instead."""
    w = workshop_at(code, now)
    if settings_of(w) != drawn:
        forget_notes()
        st.session_state["hp_workshop"] = w  # the page's full run starts from it instead of reading it again
        st.rerun(scope="app")
    return w


def workshop_now(code: str) -> WorkshopView:
    """The workshop for a page's full run: the view a live fragment just read when it asked for the run, else the
    database's. The live fragments of this run are drawn at its counters, without reading them again."""
    from ui.live import drawn_at, page_pushed  # ui.live reads ui.db: imported when called

    fresh = st.session_state.pop("hp_workshop", None)
    pushed = page_pushed(code)  # the page's listener fired: the phase moved
    if pushed is not None:
        forget_notes()
    if fresh is None or fresh.code != code:  # at the stream's counters, the view is read once for 200 phones
        fresh = workshop_at(code, pushed) if pushed is not None else get_workshop(db(), code)
    drawn_at(fresh)
    return fresh


@st.cache_resource(max_entries=64, show_spinner=False)
def _room(code: str, room_revision: int, private_too: bool = False) -> RoomView:
    return list_room(db(), code, private_too=private_too)


def room_at(code: str, room_revision: int, own_token: str | None = None) -> RoomView:
    """The room's items at this revision, read once per change for every phone (frozen views, shared without
    copying); with `own_token`, only that person's own (while items are private), picked from the whole room by
    their own rows rather than read for each phone."""
    if own_token is None:
        return _room(code, room_revision)
    whole, own = _room(code, room_revision, private_too=True), _own(own_token, code, room_revision)
    return replace(whole, demands=tuple(d for d in whole.demands if d.id in own.demands),
                   initiatives=tuple(v for v in whole.initiatives if v.id in own.initiatives))


def marks(token: str, w: WorkshopView, room: RoomView) -> Marks:
    """The person's marks on the room."""
    return marks_of(_own(token, w.code, w.room_revision), room, w.vote_budget, w.vote_cap)


def _own(token: str, code: str, room_revision: int) -> Own:
    """The person's own rows, read by their token at the page's first run and after their own action (`act`); when
    the room moved, taken from the room's table of owners, read once for every phone (so a demand they added from
    another device shows as theirs). Ratings, which only their own action changes, stay as read."""
    own = st.session_state.get("hp_own")
    if own is None or own[0] != token:
        own = (token, room_revision, get_own(db(), token))
    elif own[1] != room_revision:
        own = (token, room_revision, owned(_owners(code, room_revision), own[2]))
    st.session_state["hp_own"] = own
    return own[2]


@st.cache_resource(max_entries=16, show_spinner=False)
def _owners(code: str, room_revision: int) -> dict[int, Own]:
    return list_owners(db(), code)


def stable_order(key: str, ids: list[int]) -> list[int]:
    """`ids` in the order this page first saw them (new ones at the end): cards never jump under a finger when
    someone votes; a new drawing of the phase (or the person) may sort again."""
    seen = [i for i in st.session_state.get(key, []) if i in set(ids)]
    known = set(seen)
    order = seen + [i for i in ids if i not in known]
    st.session_state[key] = order
    return order


def page_of(items: list[T], key: str, size: int) -> list[T]:
    """One page of a long list, with a picker when there is more than one page: a rerun, timed ones
    included, draws at most `size` items however large the room (bench/live.py measures what a redraw costs)."""
    pages = max(1, -(-len(items) // size))
    if pages == 1:
        return items
    page = st.selectbox("Page", range(pages), key=key,
                        format_func=lambda p: f"{p * size + 1}–{min(len(items), (p + 1) * size)} of {len(items)}")
    page = min(page or 0, pages - 1)
    return items[page * size:(page + 1) * size]


def refresh() -> None:
    """Redraw after a change: only the fragment when a fragment is rerunning, else the whole page."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:  # a full run (first draw, or a test) may not rerun just a fragment
        st.rerun()


EXPORTS = [("html", "Summary (HTML)"), ("pdf", "Summary (PDF)"), ("md", "Summary (Markdown)"),
           ("xlsx", "Data (Excel)"), ("csv", "Data (CSV, zip)"), ("json", "Backup (JSON)")]


def export_buttons(code: str, key: str) -> None:
    """One download button per format; the file is built when clicked, not on every rerun."""
    columns = st.columns(3)
    for n, (fmt, label) in enumerate(EXPORTS):
        columns[n % 3].download_button(
            label, data=lambda fmt=fmt: export_workshop(db(), code, key, fmt).data, on_click="ignore",
            file_name=file_name(code, fmt), mime=FORMATS[fmt][0], key=f"facilitator_export_{fmt}",
            icon=":material/download:",
        )
    st.caption("Summaries stand on their own for readers who were not in the room. Data files are safe to open "
               "in a spreadsheet. Restore a backup from the home page: it becomes a new workshop.")


def session_id() -> str:
    """A random id for this browser session (kept in session state), to count its wrong join codes."""
    if "hp_session" not in st.session_state:
        st.session_state["hp_session"] = secrets.token_hex(8)
    return st.session_state["hp_session"]
