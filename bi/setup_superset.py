"""Set up Superset for the ANTT dashboard; runs with bi/.venv/bin/python (Superset's own
environment), started by antt.bi.server.

One process does what `superset db upgrade`, `superset fab create-admin`, `superset init` and
`superset import-dashboards` do one after the other: each of those commands spends 10-30 s
starting Superset, this one starts it once. The admin password comes from the environment
(ANTT_BI_ADMIN_PASSWORD), never from the command line, which other users can read.
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--bundle", help="dashboard bundle (zip) to import, overwriting")
    args = parser.parse_args(argv)
    password = os.environ.get("ANTT_BI_ADMIN_PASSWORD", "")
    if not password:
        print("ANTT_BI_ADMIN_PASSWORD is not set", file=sys.stderr)
        return 2

    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from flask import g
        from flask_migrate import upgrade
        from superset import appbuilder, security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle
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
        if args.bundle:
            g.user = security_manager.find_user(username=args.admin_user)
            with zipfile.ZipFile(args.bundle) as bundle:
                contents = get_contents_from_bundle(bundle)
            ImportDashboardsCommand(contents, overwrite=True).run()
            db.session.commit()
            print(f"imported {sum(name.endswith('.yaml') for name in contents)} asset files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
