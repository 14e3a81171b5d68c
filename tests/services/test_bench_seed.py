import random

from bench.seed import SMALL, seed_workshop
from planning.analytics import get_dashboard
from planning.votes import get_my_initiative_dots


def test_the_benchmark_seed_builds_a_complete_reviewable_workshop(db):
    seeded = seed_workshop(db, SMALL, random.Random(1), "Small")
    dash = get_dashboard(db, seeded.code)
    assert dash.revealed and len(dash.initiatives) == 8 and len(dash.coverage) == 30
    assert all(i.customer.n == 10 and i.company.n == 10 for i in dash.initiatives)
    assert sum(i.votes for i in dash.initiatives) == 30
    assert sum(get_my_initiative_dots(db, seeded.token).values()) == 3
