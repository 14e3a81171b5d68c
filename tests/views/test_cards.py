"""The cards component's data: built by hand for speed, it must say what the dataclasses say."""

from dataclasses import asdict

from ui.cards import Button, Card, _plain


def test_a_card_as_the_component_reads_it_holds_every_field_of_the_dataclasses():
    card = Card(7, "I need <b>it</b> now", "yours · 2 votes", title="Track pallets", lines=("Customer gets: x",),
                bullets=("a demand", "another"), mine=True,
                buttons=(Button("vote", "+1", "Add a vote", primary=True), Button("unvote", "−1", disabled=True)))
    plain = asdict(card)
    plain["lines"], plain["bullets"] = list(plain["lines"]), list(plain["bullets"])
    plain["buttons"] = [dict(b) for b in plain["buttons"]]
    assert _plain(card) == plain
    assert _plain(Card(1, "bare")) == {"id": 1, "text": "bare", "meta": "", "title": "", "lines": [], "bullets": [],
                                       "mine": False, "buttons": []}
