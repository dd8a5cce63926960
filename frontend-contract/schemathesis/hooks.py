"""Schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

Every generated case is its own client: the server trusts 127.0.0.1 as a proxy, so a distinct
`X-Forwarded-For` per call gives each case the rate-limit budget of a new client. The limits stay
on (their 429 is part of the contract), but a few hundred generated calls do not turn into 429s.
"""

import itertools

import schemathesis

# 198.18.0.0/15: reserved for benchmarking (RFC 2544), never a real client.
_clients = itertools.count(1)


@schemathesis.hook
def before_call(context, case, kwargs):
    n = next(_clients) % (1 << 17)
    case.headers = {**(case.headers or {}), "X-Forwarded-For": f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"}
