"""The machine a benchmark ran on, for the report's header (figures mean nothing without it)."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("starlette", "uvicorn", "graphql-core", "boto3", "moto", "websockets", "httpx")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def describe() -> list[str]:
    """One line per fact: CPU, cores, RAM, OS, Python, the packages that shape the figures."""
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    return [
        f"CPU: {_cpu_model()}, {os.cpu_count()} cores (client and server share them)",
        f"RAM: {_memory_gib():.1f} GiB",
        f"OS: {platform.system()} {platform.release()}",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"Packages: {versions}",
    ]
