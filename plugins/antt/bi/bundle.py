"""The import bundle for Superset's REST API (POST /api/v1/dashboard/import/): bi/superset/
zipped the way Superset exports it, with the warehouse connection of this installation in place
of the committed placeholder.

The reader's password never goes into bi/superset/: the URI carries Superset's password mask and
the password travels beside it (the import's `passwords` field, or the `password` key when
given here).
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from functools import cache
from pathlib import Path
from urllib.parse import quote

from antt.bi.assets import ASSETS_DIR, BI_DIR
from antt.warehouse import url_parts

BUNDLE_ROOT = "antt_dashboard"  # the folder inside the zip, as in Superset's exports


@cache
def _setup_script():
    """bi/setup_superset.py: its asset_contents is what `antt bi` and the compose service
    import, so the bundle is made by the same code."""
    spec = importlib.util.spec_from_file_location("setup_superset", BI_DIR / "setup_superset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def superset_uri(reader_url: str) -> tuple[str, str | None]:
    """The SQLAlchemy URI Superset stores (password masked) and the password, for a reader URL.

    A socket folder (the embedded warehouse: `?host=/path`) stays a `host` query parameter,
    which psycopg2 hands to libpq as psql does."""
    p = url_parts(reader_url)
    user = quote(str(p["user"]), safe="")
    password = p["password"]
    auth = f"{user}:{_setup_script().PASSWORD_MASK}" if password else user
    host = str(p["host"])
    dbname = quote(str(p["dbname"]), safe="")
    if host.startswith("/"):
        uri = f"postgresql+psycopg2://{auth}@/{dbname}?host={quote(host, safe='/')}"
        if p["port"] != 5432:
            uri += f"&port={p['port']}"
        return uri, password
    return f"postgresql+psycopg2://{auth}@{host}:{p['port']}/{dbname}", password


def build_bundle(
    out: Path, uri: str, password: str | None = None, assets: Path = ASSETS_DIR
) -> Path:
    """Zip `assets` into `out` with the connection `uri`; `password` is written only when given
    (the REST import takes it in its `passwords` field instead). Readable by its owner only."""
    contents = _setup_script().asset_contents(assets, uri, password)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o600, exist_ok=True)
    out.chmod(0o600)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for rel, text in contents.items():
            bundle.writestr(f"{BUNDLE_ROOT}/{rel}", text)
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m antt.bi.bundle OUT.zip READER_URL`: a bundle to import by hand (UI or API);
    the password, if any, is left out and asked for at import."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m antt.bi.bundle OUT.zip postgresql://antt_reader@HOST:PORT/DB")
        return 2
    uri, _password = superset_uri(args[1])
    print(build_bundle(Path(args[0]), uri))
    return 0


if __name__ == "__main__":
    sys.exit(main())
