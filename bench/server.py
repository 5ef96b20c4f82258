"""The server under test: the bundled blog example started as a user starts it, in its own
process, plus what a benchmark needs to see inside it from outside (engine port, memory)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from emulator.engine import make_client
from emulator.testing import RunningEmulator, start_emulator

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "examples" / "blog" / "schema.graphql"
CONFIG = (ROOT / "examples" / "blog" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{SCHEMA}"'
)
POST_TABLE = "Post-emulator-local"


def start_blog(extra_config: str = "", log_level: str = "warning") -> RunningEmulator:
    """The blog example, in memory, logging at ``log_level`` (the default ``info`` writes one line
    per request, which costs the server time the figures should not include unless asked)."""
    return start_emulator(SCHEMA, CONFIG + extra_config, in_memory=True, extra_args=["--log-level", log_level])


def listening_ports(pid: int) -> set[int]:
    """TCP ports ``pid`` listens on (Linux ``/proc``)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def engine_client(running: RunningEmulator) -> Any:
    """A boto3 client on the server's embedded engine itself (its private loopback port), built
    as the emulator builds its own, so raw calls and the API's calls hit the same tables."""
    others = listening_ports(running.process.pid) - {running.port}
    if len(others) != 1:
        raise RuntimeError(f"cannot tell the engine's port among {sorted(others)}")
    return make_client(f"http://127.0.0.1:{others.pop()}", "us-east-1", local=True)


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident memory (``VmRSS``) or its peak (``VmHWM``) of ``pid``, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time ``pid`` has used (user + system): a start-up cost the machine's load cannot inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
