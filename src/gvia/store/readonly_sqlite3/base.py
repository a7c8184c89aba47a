"""Django's SQLite backend, opening the file read-only (see the package)."""

from __future__ import annotations

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        path = Path(params["database"])
        immutable = "&immutable=1" if self.settings_dict.get("READ_ONLY") == "immutable" else ""
        params["database"] = f"{path.as_uri()}?mode=ro{immutable}"
        params["uri"] = True
        return params
