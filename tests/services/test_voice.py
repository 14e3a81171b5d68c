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


@pytest.mark.parametrize(("text", "customer"), [
    ("We should call our customers when we are late", "I need you to call me when you are late"),
    ("We should text them before the truck leaves.", "I need you to text me before the truck leaves."),
    ("We must warn our clients before prices change", "I need you to warn me before prices change"),
])
def test_coach_suggests_what_the_customer_would_ask(text, customer):
    assert coach_demand(text).rephrasing == customer


@pytest.mark.parametrize("text", [
    "We should upsell our premium cold-chain tracking to them.",  # issue 11: it became "You should upsell your..."
    "We should grow our share of wallet with them",
    "We can help us sell more",
    "Our brand delivers value",
])
def test_coach_offers_no_rewording_when_the_company_goal_would_remain(text):
    advice = coach_demand(text)
    assert not advice.customer_voice and advice.rephrasing is None


def test_coach_never_echoes_markup_differently():
    text = "We should <b>phone</b> :red[our drivers] first"
    assert coach_demand(text).rephrasing == "I need you to <b>phone</b> :red[your drivers] first"


def test_initiative_coach_flags_an_empty_customer_side_a_restated_gain_and_no_demand():
    assert "customer gets" in coach_initiative("", "More revenue", False).tips[0]
    assert "company's gain" in coach_initiative("More upsell revenue", "Upsell revenue", False).tips[0]
    assert any("no recorded demand" in t for t in coach_initiative("Live tracking", "Fewer calls", True).tips)
    assert coach_initiative("I see where my pallets are, live", "Fewer support calls", False).customer_voice
