"""``python -m bench``: run the benchmarks and write ``BENCHMARKS.md`` and the chart."""

from bench.runner import main

if __name__ == "__main__":
    main()
