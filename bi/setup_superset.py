"""Set up Superset for the ANTT dashboard; runs in Superset's own environment (bi/.venv, started
by antt.bi.server; or the compose service's image, from docker/superset/start.sh).

One process does what `superset db upgrade`, `superset fab create-admin`, `superset init` and
`superset import-dashboards` (overwriting) do one after the other: each of those commands
spends 10-30 s starting Superset, this one starts it once. The admin password comes from the
environment (ANTT_BI_ADMIN_PASSWORD), never from the command line, which other users can read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

DATABASE_FILE = "databases/antt_warehouse.yaml"
PASSWORD_MASK = "XXXXXXXXXX"  # noqa: S105 - Superset's mask for exported passwords


def masked(uri: str) -> str:
    """`uri` with Superset's password mask as its password: Superset keeps the password given
    beside the URI only when the URI's own password is the mask."""
    parts = urlsplit(uri)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        raise ValueError(f"{uri}: no user in the warehouse URI")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{PASSWORD_MASK}@{host}"))


def asset_contents(folder: Path, uri: str, password: str | None) -> dict[str, str]:
    """The YAML files of `folder` (bi/superset/) by relative path, as an import takes them,
    with the warehouse connection `uri` and, when given, `password` put in (the URI then
    carries the mask in place of any password)."""
    contents = {}
    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel == DATABASE_FILE:
            doc = yaml.safe_load(text)
            doc["sqlalchemy_uri"] = masked(uri) if password else uri
            if password:
                doc["password"] = password
            text = yaml.safe_dump(doc, sort_keys=True, allow_unicode=True)
        contents[rel] = text
    if DATABASE_FILE not in contents:
        raise FileNotFoundError(f"{folder / DATABASE_FILE} is missing")
    return contents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--assets", type=Path, help="the folder bi/superset/ to import")
    parser.add_argument(
        "--database-uri",
        help="with --assets: the warehouse as antt_reader, without its password "
        "(that comes from ANTT_READER_PASSWORD)",
    )
    args = parser.parse_args(argv)
    password = os.environ.get("ANTT_BI_ADMIN_PASSWORD", "")
    if not password:
        print("ANTT_BI_ADMIN_PASSWORD is not set", file=sys.stderr)
        return 2
    contents = None
    if args.assets:
        if not args.database_uri:
            print("--assets needs --database-uri", file=sys.stderr)
            return 2
        reader_password = os.environ.get("ANTT_READER_PASSWORD") or None
        contents = asset_contents(args.assets, args.database_uri, reader_password)

    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from flask import g
        from flask_migrate import upgrade
        from superset import appbuilder, security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.extensions import db

        upgrade()
        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()
        user = security_manager.find_user(username=args.admin_user)
        if user is None:
            user = security_manager.add_user(
                args.admin_user,
                "ANTT",
                "Admin",
                f"{args.admin_user}@antt.invalid",
                security_manager.find_role("Admin"),
                password=password,
            )
            if not user:
                print(f"could not create the user {args.admin_user}", file=sys.stderr)
                return 1
        else:
            security_manager.reset_password(user.id, password)
        db.session.commit()
        print(f"metadata migrated, roles synced, login {args.admin_user} ready")
        if contents:
            g.user = security_manager.find_user(username=args.admin_user)
            ImportDashboardsCommand(contents, overwrite=True).run()
            db.session.commit()
            print(f"imported {sum(name.endswith('.yaml') for name in contents)} asset files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
