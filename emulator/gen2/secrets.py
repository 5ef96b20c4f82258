"""Local values of a Gen 2 project's ``secret('NAME')``s.

On AWS, ``defineFunction({ environment: { API_TOKEN: secret('API_TOKEN') } })`` stores the value
in SSM (``ampx sandbox secret set API_TOKEN``) and the function reads it into ``API_TOKEN`` when it
starts. Locally the values come from two places, the config winning key by key:

* ``<project>/.amplify/secrets.env``: ``NAME=value`` lines read as a Gen 1 function's ``.env``
  (``#`` comments, ``export``, quotes), in the folder every Gen 2 project's ``.gitignore``
  already keeps out of git;
* ``[gen2.secrets]`` of ``appsync-emulator.toml``: ``NAME = "value"``.

A secret with no local value is named at start (with where to put it) and its variable is left
unset, as a sandbox whose secret was never set fails when the function reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from emulator.amplify.functions import read_dotenv
from emulator.gen2.model import Gen2Function

SECRETS_FILE = Path(".amplify") / "secrets.env"
_log = logging.getLogger("emulator.gen2")


def secret_values(project_root: Path, configured: Mapping[str, str]) -> dict[str, str]:
    """Every local secret value: the project's secrets file, then the config's ``[gen2.secrets]``."""
    path = project_root / SECRETS_FILE
    return {**(read_dotenv(path) if path.is_file() else {}), **configured}


def function_secrets(function: Gen2Function, values: Mapping[str, str], project_root: Path) -> dict[str, str]:
    """The function's secret variables that have a value; the others are named in a warning."""
    found, missing = {}, []
    for variable, name in function.secrets.items():
        if name in values:
            found[variable] = values[name]
        else:
            missing.append(name)
    if missing:
        _log.warning(
            "function %s: secret(%s) has no local value; set it in %s (NAME=value) or [gen2.secrets] of "
            "appsync-emulator.toml", function.name, ", ".join(repr(m) for m in missing), project_root / SECRETS_FILE,
        )
    return found
