"""The countdown: drawn once by the server, ticking in the browser (no rerun a second on any screen)."""

import streamlit as st

_HTML = '<div class="hp-clock" role="timer" aria-label="Time left"></div>'
_CSS = """
.hp-clock {font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 800; line-height: 1;
  font-variant-numeric: tabular-nums; color: var(--st-text-color, #262730);}
.hp-clock.wall {font-size: clamp(3rem, 7vw, 7.5rem);}
.hp-clock.console {font-size: 2.6rem;}
.hp-clock.phone {font-size: 2.2rem;}
.hp-clock.done {color: #B3430A;}
"""
# The end is counted from when this drawing arrived, on the browser's own monotonic clock: a phone whose clock is
# wrong still shows the server's time left. A new drawing (the timer restarted) replaces the interval.
_JS = """
export default function ({ data, parentElement }) {
  const face = parentElement.querySelector(".hp-clock");
  const state = (parentElement.hyperplanClock ||= {});
  clearInterval(state.timer);
  const ends = performance.now() + data.left * 1000;
  face.className = "hp-clock " + data.size;
  const draw = () => {
    const left = Math.max(0, Math.ceil((ends - performance.now()) / 1000));
    const text = String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
    if (face.textContent !== text) face.textContent = text;
    face.classList.toggle("done", left === 0);
    face.setAttribute("aria-label", left === 0 ? "Time is up" : "Time left " + text);
    if (left === 0) clearInterval(state.timer);
  };
  draw();
  state.timer = setInterval(draw, 250);
  return () => clearInterval(state.timer);
}
"""
_clock = st.components.v2.component("hyperplan_clock", html=_HTML, css=_CSS, js=_JS)


def text(seconds: int | None) -> str:
    """mm:ss, as the clock shows it."""
    return "" if seconds is None else f"{seconds // 60:02d}:{seconds % 60:02d}"


def clock(seconds_left: int | None, *, key: str, size: str = "phone") -> None:
    """The countdown (`size` is wall, console or phone); nothing when no timer runs."""
    if seconds_left is not None:
        _clock(key=key, data={"left": seconds_left, "size": size, "text": text(seconds_left)})
