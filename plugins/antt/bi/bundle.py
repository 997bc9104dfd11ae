"""The import bundle: bi/superset/ zipped the way Superset exports it, with the warehouse
connection of this installation in place of the committed placeholder.

The reader's password never goes into bi/superset/: the bundle's URI carries Superset's password
mask and the password travels beside it (the `password` key of the database file for the
`superset import-dashboards` CLI, or the `passwords` field of POST /api/v1/dashboard/import/).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import quote

import yaml

from antt.bi.assets import ASSETS_DIR
from antt.bi.declaration import DATABASE_FILE
from antt.warehouse import url_parts

PASSWORD_MASK = "XXXXXXXXXX"  # noqa: S105 - Superset's mask for exported passwords
BUNDLE_ROOT = "antt_dashboard"  # the folder inside the zip, as in Superset's exports


def superset_uri(reader_url: str) -> tuple[str, str | None]:
    """The SQLAlchemy URI Superset stores (password masked) and the password, for a reader URL.

    A socket folder (the embedded warehouse: `?host=/path`) stays a `host` query parameter,
    which psycopg2 passes to libpq like psql does."""
    p = url_parts(reader_url)
    user = quote(str(p["user"]), safe="")
    password = p["password"]
    auth = f"{user}:{PASSWORD_MASK}" if password else user
    host = str(p["host"])
    dbname = quote(str(p["dbname"]), safe="")
    if host.startswith("/"):
        uri = f"postgresql+psycopg2://{auth}@/{dbname}?host={quote(host, safe='/')}"
        if p["port"] != 5432:
            uri += f"&port={p['port']}"
        return uri, password
    return f"postgresql+psycopg2://{auth}@{host}:{p['port']}/{dbname}", password


def database_file(text: str, uri: str, password: str | None) -> str:
    doc = yaml.safe_load(text)
    doc["sqlalchemy_uri"] = uri
    if password is not None:
        doc["password"] = password
    return yaml.safe_dump(doc, sort_keys=True, allow_unicode=True)


def build_bundle(
    out: Path, uri: str, password: str | None = None, assets: Path = ASSETS_DIR
) -> Path:
    """Zip `assets` into `out` with the connection `uri` (and the password, for the CLI import;
    leave it None for the REST import, which takes passwords separately). The file is created
    readable by its owner only."""
    files = sorted(p for p in assets.rglob("*.yaml") if p.is_file())
    if not any(p.relative_to(assets).as_posix() == DATABASE_FILE for p in files):
        raise FileNotFoundError(f"{assets / DATABASE_FILE} is missing")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o600, exist_ok=True)
    out.chmod(0o600)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            rel = path.relative_to(assets).as_posix()
            text = path.read_text(encoding="utf-8")
            if rel == DATABASE_FILE:
                text = database_file(text, uri, password)
            bundle.writestr(f"{BUNDLE_ROOT}/{rel}", text)
    return out
