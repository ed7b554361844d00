"""Benchmarks at city scale (`python -m ekraf.bench`) and the real-process helpers they share
with the scale-out test: gunicorn web processes and workers started as the production units
start them."""
