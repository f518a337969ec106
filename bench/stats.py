"""Summaries of repeated timings: the one percentile the benchmark uses, and median / p95 in ms."""
from __future__ import annotations

import math
import statistics
import time
from typing import Callable


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of them at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(seconds: list[float]) -> dict:
    """``{"n", "median_ms", "p95_ms"}`` of timings given in seconds."""
    return {
        "n": len(seconds),
        "median_ms": round(1000 * statistics.median(seconds), 3),
        "p95_ms": round(1000 * percentile(seconds, 0.95), 3),
    }


def timings(call: Callable[[], object], repetitions: int, warmup: int = 3, max_seconds: float = 60) -> list[float]:
    """Call ``call`` ``warmup`` times untimed, then time it up to ``repetitions`` times (at most ``max_seconds``)."""
    for _ in range(warmup):
        call()
    times: list[float] = []
    deadline = time.monotonic() + max_seconds
    while len(times) < repetitions and (len(times) < 5 or time.monotonic() < deadline):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return times
