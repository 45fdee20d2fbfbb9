"""The project's benchmark: ``python -m bench.run`` (or ``make bench``); see bench/README.md.

It measures the application's heaviest pages and the autosave endpoint under gunicorn against a
hello-world floor measured in the same run, and prints ratios. It never fails on a slow number.
"""
