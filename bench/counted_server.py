"""`streamlit run SCRIPT [options]`, counting the SQL statements the server sends, by first word.

For bench/polling.py: the counts go to the JSON file HYPERPLAN_QUERY_COUNTS every 0.1 s.
"""

import collections
import json
import os
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.web import cli

COUNTS: collections.Counter = collections.Counter()


@event.listens_for(Engine, "before_cursor_execute")
def _count(_conn, _cursor, statement, *_args) -> None:
    COUNTS[statement.split(None, 1)[0].upper()] += 1


def _report(path: Path) -> None:
    while True:
        path.with_suffix(".tmp").write_text(json.dumps(COUNTS))
        path.with_suffix(".tmp").replace(path)
        time.sleep(0.1)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    threading.Thread(target=_report, args=(Path(os.environ["HYPERPLAN_QUERY_COUNTS"]),), daemon=True).start()
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())
