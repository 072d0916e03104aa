"""Cooperation networks of honoured ties (tabletop.scoring.network)."""

from __future__ import annotations

import networkx as nx
import pytest
from scoring_quad import Play

from tabletop.scoring.network import degree_centralization


def test_one_information_share_makes_one_horizontal_tie() -> None:
    p = Play()
    seq = p.act("east", "share_information", target="west", region="east_r")
    p.next_round()
    net = p.evaluate().network
    m = net.stages["gestation"]["all"]
    assert (m.ties, m.edges, m.horizontal, m.vertical) == (1, 1, 1, 0)
    assert m.density == pytest.approx(round(1 / 6, 4))
    # Degrees 0, 1, 1, 0: (1 + 0 + 0 + 1) / (3 * 2)
    assert m.centralization == pytest.approx(round(1 / 3, 4))
    assert m.central == ["east", "west"] and m.isolated == ["boss", "town"]
    (edge,) = m.links
    assert (edge.a, edge.b, edge.axis, edge.kinds, edge.evidence) == (
        "east",
        "west",
        "horizontal",
        ["share"],
        [seq],
    )
    assert net.stages["gestation"]["information"].edges == 1
    assert net.stages["gestation"]["resource"].edges == 0
    assert net.exercise["all"].ties == 1


def test_delivery_into_another_agencys_region_and_reports_are_ties() -> None:
    p = Play()
    p.act("boss", "monitor", region="town_r")
    p.act("boss", "deploy", region="town_r", resource="rescue", amount=5)
    p.act("east", "report_up", region="east_r")
    p.act("west", "report_up", region="west_r", accuracy=0.5)  # concealment: no tie
    p.next_round()
    m = p.evaluate().network.stages["gestation"]
    pairs = {(e.a, e.b, e.axis) for e in m["all"].links}
    assert pairs == {("boss", "town", "vertical"), ("boss", "east", "vertical")}
    assert {(e.a, e.b) for e in m["resource"].links} == {("boss", "town")}
    assert m["all"].central == ["boss"]
    assert m["all"].vertical == 2


def test_complied_directive_is_a_tie_from_the_issuer() -> None:
    p = Play()
    p.act("boss", "directive", target="west", order="monitor")
    p.act("west", "monitor", region="east_r")
    p.next_round()
    m = p.evaluate().network.stages["gestation"]["policy"]
    assert [(e.a, e.b, e.kinds) for e in m.links] == [("boss", "west", ["directive"])]


def test_degree_centralization_of_a_star_and_a_ring() -> None:
    assert degree_centralization(nx.star_graph(4)) == pytest.approx(1.0)
    assert degree_centralization(nx.cycle_graph(5)) == pytest.approx(0.0)
    assert degree_centralization(nx.path_graph(2)) == 0.0
