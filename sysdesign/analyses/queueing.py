"""Waiting time at a pool of replicas under load: the M/M/c (Erlang C) approximation.

A component with `replicas` = c servers, each serving `capacity_rps` = mu requests/s, receiving
lambda requests/s, has offered load a = lambda / mu and utilisation rho = a / c. A request waits
W_q = C(c, a) / (c mu - lambda) seconds on average before service, where C(c, a) is Erlang's C
formula (the probability of waiting). At rho >= 1 the queue grows without bound: the component is
saturated and no latency budget can be met, so no waiting time is returned.
"""

from __future__ import annotations

import math

from sysdesign.figures import div, mul2

# Above this many servers with this much spare (Halfin-Whitt beta = (c - a) / sqrt(a)), the
# probability of waiting is below 1e-15: it is taken as 0 instead of iterating c times.
MANY_SERVERS = 1000
SPARE_BETA = 8.0


def erlang_c(servers: int, offered: float) -> float:
    """Probability that a request waits, for `servers` servers and offered load `offered` < c."""
    if offered <= 0:
        return 0.0
    if servers > MANY_SERVERS and (servers - offered) / math.sqrt(offered) > SPARE_BETA:
        return 0.0
    blocking = 1.0  # Erlang B by its stable recursion: B(k) = a B(k-1) / (k + a B(k-1))
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    rho = offered / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


def wait_ms(load_rps: float, per_replica_rps: float, replicas: int) -> float | None:
    """Mean queueing delay (ms) before service; None when saturated (load >= capacity)."""
    capacity = mul2(per_replica_rps, replicas)
    if load_rps <= 0:
        return 0.0
    if load_rps >= capacity:
        return None
    probability = erlang_c(replicas, div(load_rps, per_replica_rps))
    return div(mul2(1000.0, probability), capacity - load_rps)
