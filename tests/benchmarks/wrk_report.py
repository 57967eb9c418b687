"""A report of wrk's as it prints one, for the tests of the scripts that read it."""

from __future__ import annotations


def wrk_report(requests: int = 1140, seconds: float = 3.0, *, trouble: str = "") -> str:
    """Return wrk's report of a run of `requests` in `seconds`; `trouble` goes before the
    Requests/sec line, where wrk puts its counts of failed answers."""
    return f"""Running {seconds:.0f}s test @ http://127.0.0.1:8000/kurser
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms    8.10ms  90.00ms   75.00%
    Req/Sec   190.00     20.00   240.00     70.00%
  {requests} requests in {seconds:.2f}s, 30.00MB read
{trouble}Requests/sec:    {requests / seconds:.2f}
Transfer/sec:     10.00MB
"""
