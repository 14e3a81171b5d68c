"""The voice coach: notices the company talking where the customer should, and suggests a rephrasing.

It advises and never blocks: a demand is saved whatever the coach says.
"""

import re
from dataclasses import dataclass

# Words a customer rarely says about themselves: the company's own ledger and sales plan.
_JARGON = {
    r"up-?sell(?:ing|s)?": "upselling is the company's goal; say what would make the extra worth it to you",
    r"cross-?sell(?:ing|s)?": "cross-selling is the company's goal; say which other problem of yours to solve",
    r"revenues?": "revenue is the company's gain; say what you would get",
    r"margins?": "margin is the company's gain; say what you would get",
    r"profits?(?:ability)?": "profit is the company's gain; say what you would get",
    r"share of wallet": "share of wallet is the company's view of you; say what would earn more of your business",
    r"market share": "market share is the company's scoreboard; say what would make you choose them",
    r"leverag(?:e|ing)": "'leverage' is planning language; say plainly what you need",
    r"monetis(?:e|ing)|monetiz(?:e|ing)": "monetising is the company's goal; say what you would pay for, and why",
    r"our brand|the brand|brand awareness": "the brand is the company talking; say what you experience",
    r"premium tier": "tiers are how the company sells; say which need is not met today",
    r"conversion|funnel|pipeline": "funnels are the company's view of you; say what would make buying easy",
}
# The company's own "we"/"our" at the start of a plan ("we should...", "our product...").
_COMPANY_WE = re.compile(
    r"\b(?:we|let's|let us)\s+(?:should|could|can|will|must|need to|want to|have to|offer|sell|push|launch|grow)\b"
    r"|\bour\s+(?:brand|products?|services?|offer(?:ing)?s?|sales|team|company|margins?|revenues?|customers?|clients?|portfolio|pricing)\b",
    re.IGNORECASE,
)
# "We should call them" is the company planning; the customer says "I need you to call me".
_ASKING = re.compile(r"^\s*(?:we|let's|let us)\s+(?:(?:should|could|can|must|will|need to|have to|want to|ought to)"
                     r"\s+)?(?:also\s+|really\s+)?", re.IGNORECASE)
# The customer, as the company names them, becomes "me"; the company's own "we/our" becomes "you/your".
_SWAPS = [(r"\b(?:our|the|all|these|those)\s+(?:customers?|clients?|shippers?|buyers?)\b", "me"),
          (r"\b(?:customers?|clients?)\b", "me"), (r"\bthem\b", "me"), (r"\bthey\b", "I"), (r"\btheirs\b", "mine"),
          (r"\btheir\b", "my"), (r"\bwe\b", "you"), (r"\bours\b", "yours"), (r"\bourselves\b", "yourselves"),
          (r"\bour\b", "your")]


@dataclass(frozen=True)
class Advice:
    tips: tuple[str, ...]
    rephrasing: str | None

    @property
    def customer_voice(self) -> bool:
        return not self.tips


def _swap(text: str) -> str:
    for pattern, replacement in _SWAPS:
        text = re.sub(pattern, lambda m, r=replacement: r if r == "I" or not m.group()[0].isupper()
                      else r.capitalize(), text, flags=re.IGNORECASE)
    return text


def rephrase(text: str) -> str | None:
    """The demand as the customer would ask for it, or None when no honest rewording exists: a text full of the
    company's own goals (upsell, revenue...) stays the company's, whatever its pronouns."""
    if not _COMPANY_WE.search(text) or any(re.search(rf"\b(?:{p})\b", text, re.IGNORECASE) for p in _JARGON):
        return None
    asking = _ASKING.match(text)
    if asking and asking.end() < len(text):
        rest = text[asking.end():]
        out = "I need you to " + rest[0].lower() + rest[1:]
    else:
        out = text
    out = _swap(out)
    if re.search(r"\b(?:us|let's)\b", out, re.IGNORECASE):  # "help us sell": no customer asks that
        return None
    return out if out != text else None


def coach_demand(text: str) -> Advice:
    """Tips when a demand sounds like the company talking, and a customer-voice rephrasing when one exists."""
    tips = []
    if _COMPANY_WE.search(text):
        tips.append("This sounds like the company planning. Speak as the customer: tell them "
                    "what *you* need from them (\"You should…\", \"I need…\").")
    for pattern, tip in _JARGON.items():
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            tips.append(tip[0].upper() + tip[1:] + ".")
    return Advice(tuple(tips), rephrase(text))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]{4,}", text.lower()))


def coach_initiative(customer_value: str, company_value: str, answers_no_demand: bool) -> Advice:
    """Tips when an initiative's customer side is empty, restates the company's gain, or answers no demand."""
    tips = []
    customer, company = (customer_value or "").strip(), (company_value or "").strip()
    if not customer:
        tips.append("Say what the customer gets: new value, in their terms. Planning groups often skip this half.")
    else:
        gain = coach_demand(customer)
        overlap = _words(customer) & _words(company)
        if gain.tips or (company and len(overlap) >= max(2, len(_words(customer)) // 2)):
            tips.append("The customer side reads like the company's gain. What does the customer get out of it?")
    if answers_no_demand:
        tips.append("It answers no recorded demand: check that customers would ask for it.")
    return Advice(tuple(tips), None)
