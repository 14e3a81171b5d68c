import pytest

from planning.voice import coach_demand, coach_initiative


@pytest.mark.parametrize("text", [
    "We should upsell our premium tier",
    "Let's grow share of wallet",
    "Our brand delivers value",
    "Increase revenue from these accounts",
    "Cross-sell insurance to shippers",
])
def test_coach_flags_the_company_talking(text):
    assert not coach_demand(text).customer_voice


@pytest.mark.parametrize("text", [
    "Tell me the truth when a shipment will be late",
    "One invoice a month, please",
    "We ship 40 pallets a week and need Saturday pickups",
])
def test_coach_leaves_the_customer_voice_alone(text):
    advice = coach_demand(text)
    assert advice.customer_voice and advice.rephrasing is None


def test_coach_suggests_a_customer_voice_rephrasing():
    assert coach_demand("We should call our customers when we are late").rephrasing == \
        "You should call your customers when you are late"


def test_coach_never_echoes_markup_differently():
    text = "We should <b>push</b> :red[our brand]"
    assert "<b>push</b>" in coach_demand(text).rephrasing


def test_initiative_coach_flags_an_empty_customer_side_a_restated_gain_and_no_demand():
    assert "customer gets" in coach_initiative("", "More revenue", False).tips[0]
    assert "company's gain" in coach_initiative("More upsell revenue", "Upsell revenue", False).tips[0]
    assert any("no recorded demand" in t for t in coach_initiative("Live tracking", "Fewer calls", True).tips)
    assert coach_initiative("I see where my pallets are, live", "Fewer support calls", False).customer_voice
