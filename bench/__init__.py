"""Benchmarks of the emulator (``make bench`` runs ``python -m bench``; not part of ``make test``).

``python -m bench`` measures cold start, HTTP latency against the raw boto3 call, read latency
as the table grows, and subscription fan-out and memory, then writes ``BENCHMARKS.md`` and
``docs/benchmarks.png``. ``auth_cost.py``, ``subscriptions.py`` and ``restart.py`` are
stand-alone scripts of their own.
"""
