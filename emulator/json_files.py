"""Reading a JSON file the user owns that must hold one object (Amplify project and client config files).

A broken file is the user's to fix, so the error names the file and what is wrong with it, in
the exception type of the feature that read it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json_object(path: Path, error: type[Exception], advice: str = "") -> dict[str, Any]:
    """The object in ``path``; invalid JSON (``advice`` appended) or another value raises ``error``."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid JSON: {exc}{advice}") from exc
    if not isinstance(value, dict):
        raise error(f"{path}: expected a JSON object")
    return value
