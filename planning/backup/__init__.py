"""The JSON backup: everything about one workshop, versioned, and its restore as a new workshop.

- `schema`: the format (a checked model per row), the versions a restore reads, and its limits
- `dump`: a workshop as a `Backup` (the JSON backup, and the rows of the data exports)
- `jsonrows`, `read`: uploaded bytes read a row at a time, each row checked and kept compact
- `rules`: references, uniqueness and the services' own rules across rows
- `write`: a checked backup written as a new workshop in short transactions, live only once complete
"""

from planning.backup.dump import RATING_COLUMNS, backup_of, data_of, to_json
from planning.backup.read import parse
from planning.backup.schema import Backup
from planning.backup.write import one_at_a_time, write_workshop
from planning.db import Database
from planning.workshops import CreatedWorkshop

__all__ = ["RATING_COLUMNS", "Backup", "backup_of", "data_of", "parse", "restore", "to_json"]


def restore(db: Database, data: bytes) -> CreatedWorkshop:
    """Restore uploaded bytes as a new workshop, one restore at a time per server process.

    Raises: NotAllowed while another restore runs; InvalidInput (too big, malformed, altered), before anything
    is written.
    """
    with one_at_a_time():
        return write_workshop(db, parse(data))
