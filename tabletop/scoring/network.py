"""Cooperation networks of honoured ties, per stage and per layer (networkx).

A tie is something one agency actually did for another (see
:class:`~tabletop.scoring.facts.Tie`): an action aimed at it, an information
share, a delivery into its region, a request served, a directive complied
with, an agreement commitment honoured. Ties are directed events; the network
metrics use the undirected graph of agencies that share at least one tie,
with every agency of the scenario as a node.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tabletop.scoring.facts import LAYERS, Facts, Tie
from tabletop.scoring.models import Edge, Network, NetworkMetrics

if TYPE_CHECKING:
    import networkx as nx

#: Layers of every network: all ties, then one per coordination layer.
NETWORK_LAYERS: tuple[str, ...] = ("all", *LAYERS)
#: Above this many tied agencies, betweenness (brokers) is estimated from this many sources.
BETWEENNESS_SAMPLE = 50


def _pair(order: dict[str, int], a: str, b: str) -> tuple[str, str]:
    return (a, b) if order[a] <= order[b] else (b, a)


def degree_centralization(graph: nx.Graph) -> float:
    """Freeman degree centralization of an undirected graph (0 when n < 3).

    ``sum(max_degree - degree_i) / ((n - 1) * (n - 2))``: 1 for a star, 0 when every
    agency has as many partners as every other.
    """
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def metrics(facts: Facts, ties: Iterable[Tie], layer: str) -> NetworkMetrics:
    """Metrics of the network made by ``ties`` (already filtered to one stage and layer)."""
    import networkx as nx  # imported when used: it is slow to import (TUI start-up)

    g = facts.game
    nodes = list(g.order)
    order = {a: i for i, a in enumerate(nodes)}
    pairs: dict[tuple[str, str], list[Tie]] = {}
    count = 0
    for t in ties:
        if t.source not in order or t.target not in order or t.source == t.target:
            continue
        count += 1
        pairs.setdefault(_pair(order, t.source, t.target), []).append(t)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for (a, b), ts in pairs.items():
        graph.add_edge(a, b, weight=len(ts))
    degree = {a: int(graph.degree(a)) for a in nodes}
    top = max(degree.values(), default=0)
    central = [a for a in nodes if degree[a] == top and top > 0]
    brokers: list[str] = []
    tied = [a for a in nodes if degree[a] > 0]
    if len(tied) > 2:
        # Isolated agencies lie on no path: leave them out. Large networks are sampled
        # (fixed seed, so the report stays deterministic).
        core = nx.Graph()
        core.add_edges_from(pairs)
        k = BETWEENNESS_SAMPLE if len(tied) > BETWEENNESS_SAMPLE else None
        between = nx.betweenness_centrality(core, k=k, normalized=True, seed=0)
        best = max(between.values(), default=0.0)
        if best > 1e-9:
            brokers = [a for a in tied if abs(between[a] - best) < 1e-9]
    links = [
        Edge(
            a=a,
            b=b,
            weight=len(ts),
            axis=g.axis(a, b),
            kinds=sorted({t.kind for t in ts}),
            evidence=sorted({t.seq for t in ts}),
        )
        for (a, b), ts in sorted(pairs.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))
    ]
    return NetworkMetrics(
        layer=layer,
        nodes=nodes,
        ties=count,
        edges=len(links),
        density=round(nx.density(graph), 4) if len(nodes) > 1 else 0.0,
        centralization=round(degree_centralization(graph), 4),
        central=central,
        brokers=brokers,
        degree=degree,
        horizontal=sum(1 for e in links if e.axis == "horizontal"),
        vertical=sum(1 for e in links if e.axis == "vertical"),
        isolated=[a for a in nodes if degree[a] == 0],
        links=links,
    )


def _layered(facts: Facts, ties: list[Tie]) -> dict[str, NetworkMetrics]:
    return {
        layer: metrics(facts, (t for t in ties if layer == "all" or layer in t.layers), layer)
        for layer in NETWORK_LAYERS
    }


def cooperation_network(facts: Facts) -> Network:
    """Networks of honoured ties per stage played and for the whole exercise.

    Args:
        facts: From :func:`tabletop.scoring.facts.extract`.

    Returns:
        Per stage and for the exercise: one :class:`NetworkMetrics` per layer
        (``all``, ``resource``, ``information``, ``policy``).
    """
    stages = {s: _layered(facts, [t for t in facts.ties if t.stage == s]) for s in facts.stages}
    return Network(layers=list(NETWORK_LAYERS), stages=stages, exercise=_layered(facts, facts.ties))
