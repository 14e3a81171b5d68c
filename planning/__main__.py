"""Command line: `python -m planning export CODE --format html --out FILE` and `python -m planning import FILE`."""

import argparse
import sys
from pathlib import Path

from planning import config
from planning.db import Database
from planning.errors import PlanningError
from planning.export import FORMATS, export_as_operator, import_backup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planning", description="Export or restore Hyperplan workshops "
                                     "(the database is DATABASE_URL, default data/hyperplan.db).")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write one workshop to a file")
    export.add_argument("code", help="the workshop's join code")
    export.add_argument("--format", choices=sorted(FORMATS), required=True)
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    restore = commands.add_parser("import", help="restore a JSON backup as a new workshop")
    restore.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    db = Database(config.database_url())
    db.migrate()
    try:
        if args.command == "export":
            exported = export_as_operator(db, args.code, args.format)
            args.out.write_bytes(exported.data)
            sys.stdout.write(f"Wrote {args.out} ({len(exported.data):,} bytes)\n")
        else:
            created = import_backup(db, args.file.read_bytes())
            code, key = created.workshop.code, created.facilitator_key
            sys.stdout.write(f"Restored as workshop {code}\nFacilitator link: /facilitator?code={code}&key={key}\n")
            if created.dropped:
                sys.stdout.write(f"{created.dropped}\n")
    except (PlanningError, OSError) as error:
        sys.stderr.write(f"{error}\n")
        return 2
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
