"""Live screens: every open page of a workshop redraws within a second of a change, and costs nothing while
nothing changes.

One `Hub` per server process keeps the workshops that open pages follow and reads their change counters in one
query every 0.2 s. Each browser tab listens on one server-sent event stream, `/api/live/<tab>` (served by
server.py), through a tiny component drawn inside each live fragment; when the counter that fragment was drawn
at has moved, the component reruns that fragment, and only it. No page has a timed rerun: the server runs
nothing for a page while nothing changes. (A timed "watchdog" fragment was tried and removed: a timed run landing
during a live redraw ended that redraw early and left stale elements on the wall.) If the server refuses the
stream (no such route: `streamlit run app.py` alone), the component redraws its fragment every 10 s instead.

Forms never sit in a live fragment: a change in the room redraws lists, not what someone is typing.
"""

import asyncio
import collections
import contextlib
import functools
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from planning.access import normalise_code
from planning.db import Database
from planning.workshops import Revisions, get_revisions

POLL_SECONDS = 0.2  # how often a server process reads the counters of the workshops its pages follow
FORGET_SECONDS = 600  # a workshop no page has asked about for this long is no longer read
KEEPALIVE_SECONDS = 15  # a comment on an idle stream, so proxies keep it open
ROUTE = "/api/live/{tab}"
_LOG = logging.getLogger(__name__)


@dataclass(eq=False)
class _Followed:
    db: Database
    code: str
    seen: Revisions
    asked: float = field(default_factory=time.monotonic)
    waiters: list = field(default_factory=list)  # (event loop, future) of streams waiting for a change


@dataclass(frozen=True)
class _Tab:
    """One browser tab's stream: the workshop it follows and the Streamlit session it belongs to."""

    followed: _Followed
    session_id: str


class Hub:
    """The workshops this server process follows, their last-read counters, and the streams waiting on them."""

    def __init__(self, read: Callable[[Database, list[str]], dict[str, Revisions]] = get_revisions) -> None:
        self._read = read
        self._lock = threading.Lock()
        self._by_code: dict[str, _Followed] = {}
        self._tabs: dict[str, _Tab] = {}
        self._pages: collections.Counter | None = None  # tabs per followed workshop; None once the tabs changed
        self._thread: threading.Thread | None = None

    def follow(self, db: Database, code: str, now: Revisions, tab: str, session_id: str) -> None:
        """The tab `tab` (of Streamlit session `session_id`) follows this workshop, read every POLL_SECONDS."""
        with self._lock:
            followed = self._by_code.get(code)
            if followed is None or followed.db is not db:
                followed = _Followed(db, code, now)
                self._by_code[code] = followed
            followed.asked = time.monotonic()
            known = self._tabs.get(tab)
            if known is None or known.followed is not followed:
                self._pages = None
            self._tabs[tab] = _Tab(followed, session_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._poll, name="hyperplan-live", daemon=True)
                self._thread.start()

    def seen(self, code: str) -> Revisions | None:
        """The counters as last read (at most POLL_SECONDS old), without a query."""
        followed = self._by_code.get(code)
        return followed.seen if followed else None

    def _poll(self) -> None:
        while True:
            time.sleep(POLL_SECONDS)
            with self._lock:
                self._forget(time.monotonic() - FORGET_SECONDS)
                groups: dict[Database, list[str]] = {}
                for followed in self._by_code.values():
                    groups.setdefault(followed.db, []).append(followed.code)
            for db, codes in groups.items():
                try:
                    self._moved(db, self._read(db, codes))
                except Exception:  # a database hiccup must not end live updates: log it, read again next tick
                    _LOG.exception("Reading the live counters failed")

    def _forget(self, before: float) -> None:
        for code, followed in list(self._by_code.items()):
            if followed.asked < before and not followed.waiters:
                del self._by_code[code]
        for tab, known in list(self._tabs.items()):
            if self._by_code.get(known.followed.code) is not known.followed:
                del self._tabs[tab]
                self._pages = None

    def _moved(self, db: Database, read: dict[str, Revisions]) -> None:
        with self._lock:
            for code, now in read.items():
                followed = self._by_code.get(code)
                if followed is None or followed.db is not db or now == followed.seen:
                    continue
                followed.seen, waiters, followed.waiters = now, followed.waiters, []
                for loop, future in waiters:
                    loop.call_soon_threadsafe(_wake, future)

    async def changes(self, tab: str, alive: Callable[[str], bool]):
        """The workshop's counters now, then each time they move; a None after KEEPALIVE_SECONDS of quiet. Ends
        when the tab's Streamlit session does (a closed tab, a server shutting down: uvicorn waits for streams)."""
        last, quiet = None, 0.0
        while (known := self._tabs.get(tab)) is not None and alive(known.session_id):
            followed = known.followed
            followed.asked = time.monotonic()
            if followed.seen != last:
                last, quiet = followed.seen, 0.0
                yield last
                continue
            if quiet >= KEEPALIVE_SECONDS:
                quiet = 0.0
                yield None
            began = time.monotonic()
            await self._wait(followed, last)
            quiet += time.monotonic() - began

    async def _wait(self, followed: _Followed, last: Revisions) -> None:
        """Until the counters move, or a second passes (to check that the tab's session is still there)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            if followed.seen != last:
                return
            followed.waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, 1.0)
        except TimeoutError:
            pass
        finally:
            with self._lock, contextlib.suppress(ValueError):
                followed.waiters.remove((loop, future))

    def knows(self, tab: str) -> bool:
        return tab in self._tabs

    def pages(self, tab: str) -> int:
        """How many tabs of this process follow the workshop `tab` follows: a change there may rerun each of them."""
        with self._lock:
            known = self._tabs.get(tab)
            if known is None:
                return 0
            if self._pages is None:  # counted once for every tab's stream, until a tab comes, goes or moves
                self._pages = collections.Counter(id(t.followed) for t in self._tabs.values())
            return self._pages[id(known.followed)]


def _wake(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


HUB = Hub()


async def stream(request: Request) -> Response:
    """GET /api/live/<tab>: server-sent events with the workshop's counters, each time they move.

    The tab key is random and known only to the page this process drew, so the stream tells a stranger nothing
    about which codes exist."""
    tab = request.path_params["tab"]
    if not HUB.knows(tab):
        return Response("Unknown live stream: reload the page.", status_code=404, media_type="text/plain")

    async def events():
        yield "retry: 2000\n\n"
        async for now in HUB.changes(tab, _alive):
            # With the counters, how many pages here follow the room: their listeners wait that much longer for a
            # redraw before asking again (about 30 ms of server CPU a page when a phase change reruns them all).
            yield ": quiet\n\n" if now is None else f"data: {json.dumps({**now.__dict__, 'pages': HUB.pages(tab)})}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


_LISTEN_JS = """
const PAGE_MS = 30;  // the server's CPU for one page's whole rerun: a phase change reruns every page of the room

export default function ({ key, data, setTriggerValue }) {
  // One EventSource per tab and stream, shared by every live fragment of the page; each fragment's listener is
  // replaced (by key) each time it is drawn, with the counter it was drawn at.
  const hub = (window.hyperplanLive ||=
    { sources: new Map(), last: new Map(), listeners: new Map(), fired: new Map(), fallback: new Map(),
      awaited: new Map(), latency: 0 });
  const me = { key, url: data.url, field: data.field, drawn: data.drawn, every: data.every, name: data.name,
               fire: setTriggerValue };
  hub.listeners.set(key, me);
  // How long the server took to draw a fragment again after its fire: a busy server (200 phones redrawing) is
  // given longer before a fire counts as lost, or every phone would ask twice and make it busier still.
  if (hub.awaited.has(data.name)) {
    hub.latency = Date.now() - hub.awaited.get(data.name);
    hub.awaited.delete(data.name);
  }
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = () => ["running", "rerunRequested"].includes(app?.getAttribute("data-test-script-state"));
  if (app && hub.watched !== app) {
    // A press sends its own rerun, but the page says "running" only once the server's first message of that run
    // arrives: on a server busy with a room, a second or more later. A fire meanwhile stopped the press's run and
    // started it over with the listener's fragment alone: the demand stored, its form never emptied (2 of 150 in
    // bench/load.py at 50 people). So a press (a button, Enter) counts as running until a run has begun, for at
    // most 5 s (a press that asks for no run, an expander's, holds fires no longer than that).
    hub.watched = app;
    new MutationObserver(() => { if (busy()) hub.pressed = 0; })
      .observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    const press = (event) => {
      if (event.type === "keydown" ? event.key === "Enter"
          : event.composedPath().some((el) => el.tagName === "BUTTON" || el.getAttribute?.("role") === "button")) {
        hub.pressed = Date.now();
      }
    };
    document.addEventListener("pointerdown", press, true);
    document.addEventListener("keydown", press, true);
  }
  const running = () => busy() || Date.now() - (hub.pressed || 0) < 5000;
  const fire = (listener, value) => {
    // Streamlit sends triggers set in the same moment as one rerun of one fragment, and drops the others: fires go
    // one after another through a queue, each after the previous one's message has left (80 ms).
    const send = () => new Promise((next) => {
      // Never while the page runs: a fire then stops the run and starts it over with the fragment alone, so a
      // press's own run (which wrote the change the fire is about) lost its redraw: stored, but the form stale.
      if (running()) { setTimeout(() => send().then(next), 100); return; }
      if (hub.listeners.get(listener.key) === listener) {  // not drawn again meanwhile
        hub.fired.set(listener.name, Date.now());
        hub.awaited.set(listener.name, Date.now());
        listener.fire("changed", value);
        // A trigger set at the moment of a click rides on the click's rerun and is lost: a fragment not drawn
        // again within 3 s (or twice the server's last answer, or 30 ms for each page following the room, when the
        // server is busy) asks again once the page is not running, and waits twice as long each time it has to ask
        // again: a server slowed by 200 phones' phase change answers late, not never, and asking every 3 s made
        // 1,090 runs of about 400; asking only once left a page on the old phase when that one was lost too.
        const again = () => {
          if (hub.listeners.get(listener.key) !== listener) return;
          if (running()) { setTimeout(again, 500); return; }
          listener.asked = (listener.asked || 0) + 1;
          listener.pending = false;
          check(listener);
        };
        const patience = Math.max(3000, 2 * hub.latency, PAGE_MS * (value?.pages || 0));
        setTimeout(again, Math.min(patience * 2 ** (listener.asked || 0), 60000) + listener.every);
      }
      setTimeout(next, 80);
    });
    const wait = Math.max(0, (hub.fired.get(listener.name) || 0) + listener.every - Date.now());
    setTimeout(() => { hub.queue = (hub.queue || Promise.resolve()).then(send); }, wait);
  };
  const check = (listener) => {
    const now = hub.last.get(listener.url);
    if (!now || listener.pending) return;
    // Counters are compared as newer (a page that read after its own write may be ahead of the stream); the
    // timer's end and the phase as different (the timer goes back to 0 when stopped).
    const field = listener.field;
    const moved = field === "timer" || field === "phase" ? now[field] !== listener.drawn : now[field] > listener.drawn;
    if (!moved) return;
    // The page's own listener reruns the whole page when the phase moves, which draws every fragment again: their
    // runs would be wasted (on 200 phones, a list's run asking for the page, and the clock's for the stopped timer).
    if (field !== "phase" && [...hub.listeners.values()].some(
      (page) => page.url === listener.url && page.field === "phase" && page.drawn !== now.phase)) return;
    listener.pending = true;  // one rerun per drawing: the next drawing listens again
    fire(listener, now);
  };
  const open = (url) => {
    const source = new EventSource(url);
    source.onmessage = (event) => {
      hub.last.set(url, JSON.parse(event.data));
      for (const listener of hub.listeners.values()) if (listener.url === url) check(listener);
    };
    source.onerror = () => {
      // The browser reconnects by itself after a drop; a stream the server refused (no such route, a server that
      // restarted) stays closed: then each fragment redraws every 10 s instead, and the stream is tried again.
      if (source.readyState !== EventSource.CLOSED || hub.fallback.has(url)) return;
      hub.fallback.set(url, setInterval(() => {
        // Each fragment redraws itself, and a phase change there asks for the page: no whole-page run every 10 s.
        for (const listener of hub.listeners.values()) {
          if (listener.url === url && listener.field !== "phase") fire(listener, null);
        }
      }, 10000));
    };
    hub.sources.set(url, source);
  };
  if (!hub.sources.has(data.url)) open(data.url);
  check(me);
  return () => {
    if (hub.listeners.get(key) === me) hub.listeners.delete(key);
    if (![...hub.listeners.values()].some((listener) => listener.url === data.url)) {
      hub.sources.get(data.url)?.close();
      clearInterval(hub.fallback.get(data.url));
      for (const map of [hub.sources, hub.last, hub.fallback]) map.delete(data.url);
    }
  };
}
"""
_listen = st.components.v2.component("hyperplan_live", js=_LISTEN_JS)


def _heard(key: str) -> None:
    """The listener of fragment `key` fired: its rerun draws at the counters the stream reported (the hub's copy),
    and saves a query on each of 200 phones. A plain session key: reading the component's own state would build
    Streamlit's component-state view each time, a seventh of a list redraw's server time (bench/live.py)."""
    st.session_state[f"hp_live_heard_{key}"] = True


def db() -> Database:
    from ui import db as shared  # ui imports this module: resolved when called

    return shared()


def revisions(code: str) -> Revisions:
    """The workshop's counters read now (after the person's own change, the hub's copy may lag by a tick)."""
    code = normalise_code(code)
    return get_revisions(db(), [code])[code]


def now(code: str) -> Revisions:
    """The workshop's counters for what this run draws: the page's (`drawn_at`) in its full run, else read now."""
    return _page_now(normalise_code(code)) or revisions(code)


def _pushed(key: str, code: str) -> Revisions | None:
    """The counters the stream reported when it reran this fragment; None when the person's own action reran it,
    which must read what they just wrote."""
    return HUB.seen(normalise_code(code)) if st.session_state.pop(f"hp_live_heard_{key}", False) else None


def page(code: str, drawn: Revisions) -> None:
    """The whole page redraws when the workshop's phase moves past `drawn` (a listener drawn outside any fragment):
    on a phase change each of 200 phones runs once, instead of a live list running, finding the phase moved and
    asking for the page, and the clock running for the timer the phase change stopped."""
    st.session_state.pop("hp_live_heard_page", None)  # heard, when the page did not ask (`page_pushed`)
    listen(code, drawn, key="page", field_name="phase")


def page_pushed(code: str) -> Revisions | None:
    """The counters the stream reported when the page's listener reran it (None for any other run)."""
    return _pushed("page", code)


def drawn_at(w) -> None:
    """This full run of the page draws from `w` (a WorkshopView): its live fragments listen past its counters
    instead of reading them again (on a phase change, 200 phones' full runs each saved a query per fragment)."""
    ctx = get_script_run_ctx()
    if ctx is not None and not ctx.fragment_ids_this_run:
        st.session_state["hp_live_drawn_at"] = (ctx.page_script_hash, w.code, w.revisions)


def _page_now(code: str) -> Revisions | None:
    """The counters this full run's page was read at (`drawn_at`, called before its first live fragment), if the
    current run is a full run of that page."""
    ctx = get_script_run_ctx()
    page = st.session_state.get("hp_live_drawn_at")
    if ctx is None or ctx.fragment_ids_this_run or not page:
        return None
    return page[2] if page[:2] == (ctx.page_script_hash, code) else None


def _alive(session_id: str) -> bool:
    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def listen(code: str, drawn: Revisions, *, key: str, field_name: str = "room", every_ms: int = 0) -> None:
    """Rerun the current fragment when the workshop's `field_name` counter moves past `drawn` (at most once per
    `every_ms`)."""
    code = normalise_code(code)
    if "hp_live_tab" not in st.session_state:  # not setdefault: it would read os.urandom on every listener
        st.session_state["hp_live_tab"] = secrets.token_urlsafe(16)
    token = st.session_state["hp_live_tab"]
    ctx = get_script_run_ctx()
    HUB.follow(db(), code, drawn, token, ctx.session_id if ctx else "")
    _listen(key=f"hp_live_{key}", data={"url": ROUTE.format(tab=token), "field": field_name,
                                         "drawn": getattr(drawn, field_name), "every": every_ms, "name": key},
            on_changed_change=functools.partial(_heard, key))


def fragment(key: str, *, field_name: str = "room", every_ms: int = 0):
    """A fragment (keyed `key`, so a callback may rerun it with st.rerun(key)) that redraws itself when its
    workshop changes. The decorated function gets the workshop code and the counters it draws at."""

    def wrap(draw: Callable) -> Callable:
        @st.fragment(key=key)
        def live(code: str, *args, **kwargs):
            at = _pushed(key, code) or now(code)
            result = draw(code, at, *args, **kwargs)
            listen(code, at, key=key, field_name=field_name, every_ms=every_ms)
            return result

        live.__doc__ = draw.__doc__
        return live

    return wrap
