"""The benchmark (`manage.py bench`, `make bench`) and its data generator (`manage.py bench_data`).

Kept out of the `timeline` app: it measures the app from outside, as a
reader's request and a researcher's download meet it, and nothing in the
site imports it.
"""
