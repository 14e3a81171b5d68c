"""The facilitator key never reaches a participant's page, the wall, the dashboard or an export."""

from planning.access import digest
from planning.export import FORMATS, export_workshop
from tests.factories import make_initiative, make_room


def _everything(at) -> str:
    """Every element the page sent, serialised (labels, values, html bodies, chart specs)."""
    out, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        stack.extend(getattr(node, "children", {}).values())
    return "\n".join(out)


def test_the_key_appears_on_no_shared_screen_and_in_no_export(open_view, db):
    room = make_room(db, phase="value_exchange")
    make_initiative(db, room.tokens[0], "Live tracking")
    secrets = (room.key, digest(room.key))
    pages = [open_view("participant", p=room.tokens[0]), open_view("big_screen", code=room.code),
             open_view("dashboard", code=room.code), open_view("join", code=room.code)]
    facilitator = _everything(open_view("facilitator", code=room.code, key=room.key))
    assert room.key in facilitator  # the check can see a key where one is shown
    for at in pages:
        text = _everything(at)
        assert len(text) > 500 and not any(secret in text for secret in secrets)
    for fmt in FORMATS:
        data = export_workshop(db, room.code, room.key, fmt).data
        assert not any(secret.encode() in data for secret in secrets), fmt
