"""The live hub (ui/live.py): what each tab's stream is told besides the counters."""

from planning.workshops import Revisions
from ui.live import Hub


def test_the_stream_counts_the_pages_that_follow_the_same_workshop_in_this_process():
    db, now = object(), Revisions(1, 1, 0)
    hub = Hub(read=lambda _db, codes: dict.fromkeys(codes, now))
    for n in range(3):
        hub.follow(db, "ROOM", now, f"tab{n}", f"session{n}")
    hub.follow(db, "OTHER", now, "elsewhere", "session9")
    assert [hub.pages(f"tab{n}") for n in range(3)] == [3, 3, 3]
    assert hub.pages("elsewhere") == 1 and hub.pages("unknown") == 0
    hub.follow(db, "OTHER", now, "tab2", "session2")  # that tab's page moved to the other workshop
    assert hub.pages("tab0") == 2 and hub.pages("elsewhere") == 2
