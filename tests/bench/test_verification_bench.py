"""The verification benchmark's own arithmetic: wrk's report read right, rounds summarised as
worst, middle and best."""

from ekraf.bench import verification

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    15.41ms    4.02ms  48.10ms   80.00%
    Req/Sec   520.10     40.21   610.00     70.00%
  Latency Distribution
     50%   14.90ms
     75%   17.02ms
     90%   20.33ms
     99%   31.50ms
  2080 requests in 2.00s, 1.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1040.00
Transfer/sec:    560.00KB
"""


def test_wrk_report_is_read_into_a_load_result():
    result = verification.parse_wrk(WRK_OUTPUT, 2)
    assert result.requests == 2080 and result.rps == 1040
    assert result.statuses[200] == 2077  # three were not 200
    assert result.percentile(50) == 14.9 and result.percentile(99) == 31.5
    assert verification.parse_wrk(WRK_OUTPUT.replace("31.50ms", "1.20s"), 2).percentile(99) == 1200


def test_rounds_are_reported_worst_middle_best():
    assert verification.spread([0.8, 0.65, 0.9]) == {
        "worst": 0.65,
        "middle": 0.8,
        "best": 0.9,
        "rounds": [0.8, 0.65, 0.9],
    }
