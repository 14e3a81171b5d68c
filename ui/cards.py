"""A list of cards with their buttons inside, drawn as one element.

On a phone, a list of demands with vote buttons drawn as Streamlit elements took five elements a card, and
every change in the room redraws every phone's list: 200 phones spent 18 ms each (bench/live.py). One component
whose data is the list costs about a fifth of that. Text is set with textContent, never parsed: what people typed
shows exactly as typed. A press disables the card's buttons until the redraw, so a double tap counts once.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import streamlit as st


@dataclass(frozen=True)
class Button:
    action: str  # what the press asks for, given back to the callback
    label: str
    hint: str = ""  # why it is disabled, or what it does
    disabled: bool = False
    primary: bool = False


@dataclass(frozen=True)
class Card:
    id: int
    text: str
    meta: str = ""
    title: str = ""  # bold first line (an initiative's title)
    lines: tuple[str, ...] = ()  # more lines under the text ("Customer gets: ...")
    bullets: tuple[str, ...] = ()  # a short list (the demands an initiative answers)
    mine: bool = False
    buttons: tuple[Button, ...] = field(default=())


_HTML = '<div class="hp-cards" role="list"></div>'
_CSS = """
.hp-cards {display: flex; flex-direction: column; gap: .6rem; font: inherit; color: inherit;}
.hp-card {border-left: 6px solid #0072B2; background: rgba(0,114,178,.07); border-radius: 8px; padding: .6rem .9rem;}
.hp-card.mine {border-left-color: #E69F00; background: rgba(230,159,0,.09);}
.hp-card p {margin: 0 0 .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere;}
.hp-card .title {font-weight: 700;}
.hp-card .meta {font-size: .85em; color: #4a4f5c;}
.hp-card ul {margin: .1rem 0 .25rem 0; padding-left: 1.2rem;}
.hp-card li {overflow-wrap: anywhere;}
.hp-actions {display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .4rem;}
.hp-actions button {min-height: 44px; min-width: 44px; padding: .3rem .9rem; border-radius: .5rem; font: inherit;
  border: 1px solid rgba(49,51,63,.25); background: #fff; color: #1f2430; cursor: pointer;}
.hp-actions button.primary {background: #0072B2; border-color: #0072B2; color: #fff;}
.hp-actions button:disabled {opacity: .45; cursor: not-allowed;}
.hp-actions button:focus-visible {outline: 3px solid #E69F00; outline-offset: 2px;}
"""
_JS = """
export default function ({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".hp-cards");
  const line = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = text;
    return el;
  };
  root.replaceChildren(...data.cards.map((card) => {
    const box = document.createElement("article");
    box.className = "hp-card" + (card.mine ? " mine" : "");
    box.setAttribute("role", "listitem");
    if (card.title) box.append(line("p", "title", card.title));
    if (card.text) box.append(line("p", "", card.text));
    for (const text of card.lines) box.append(line("p", "", text));
    if (card.bullets.length) {
      const list = document.createElement("ul");
      for (const text of card.bullets) list.append(line("li", "", text));
      box.append(list);
    }
    if (card.meta) box.append(line("p", "meta", card.meta));
    if (card.buttons.length) {
      const row = document.createElement("div");
      row.className = "hp-actions";
      for (const b of card.buttons) {
        const button = line("button", b.primary ? "primary" : "", b.label);
        button.type = "button";
        button.disabled = b.disabled;
        if (b.hint) button.title = b.hint;
        button.setAttribute("aria-label", b.label + ": " + (card.title || card.text).slice(0, 80));
        button.onclick = () => {
          const rowButtons = [...row.querySelectorAll("button")];
          for (const other of rowButtons) other.disabled = true;
          setTriggerValue("action", { card: card.id, action: b.action, at: Date.now() });
          // A press the server never ran (under load, one that landed on a redraw under way) left the card's
          // buttons disabled for good: they come back after 4 s if the card was not drawn again meanwhile (the
          // server ignores the same press delivered twice).
          setTimeout(() => rowButtons.forEach((other, n) => { other.disabled = card.buttons[n].disabled; }), 4000);
        };
        row.append(button);
      }
      box.append(row);
    }
    return box;
  }));
}
"""
_cards = st.components.v2.component("hyperplan_cards", html=_HTML, css=_CSS, js=_JS)


def cards(key: str, items: list[Card], on_press: Callable[[int, str], None] | None = None) -> None:
    """Draw `items`; a button press calls `on_press(card id, action)` before the fragment redraws."""
    data = {"cards": [_plain(card) for card in items]}
    if on_press is None:
        _cards(key=key, data=data)
    else:
        _cards(key=key, data=data, on_action_change=lambda: _pressed(key, on_press))


def _plain(card: Card) -> dict:
    """The card as the component reads it (dataclasses.asdict deep-copies: a fifth of a phone's redraw)."""
    return {"id": card.id, "text": card.text, "meta": card.meta, "title": card.title, "lines": list(card.lines),
            "bullets": list(card.bullets), "mine": card.mine,
            "buttons": [{"action": b.action, "label": b.label, "hint": b.hint, "disabled": b.disabled,
                         "primary": b.primary} for b in card.buttons]}


def _pressed(key: str, on_press: Callable[[int, str], None]) -> None:
    state = st.session_state.get(key)
    event = state.get("action") if isinstance(state, Mapping) else None
    if isinstance(event, Mapping) and isinstance(event.get("card"), int) and isinstance(event.get("action"), str):
        handled = st.session_state.setdefault("hp_pressed", {})
        press = (event["card"], event["action"], event.get("at"))  # each press carries the moment it was made
        if handled.get(key) == press:
            return  # the same press delivered again (a resent message): a vote counts once
        handled[key] = press
        on_press(event["card"], event["action"])
