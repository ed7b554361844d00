"""The benchmark's floor: the cheapest page the same server can serve.

`/bench/trivial` goes through the whole middleware stack (request id, security headers,
sessions, CSRF, authentication, CSP) and the same gunicorn configuration as every page, but
does no database, cache or template work. Comparing a page's throughput with it isolates
what the page itself costs, whatever the machine. It exists only when EKRAF_BENCH_ENDPOINTS=1
(the benchmark's own server processes); `check --deploy` warns if it is on in production.
"""

from django.http import HttpResponse


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")
