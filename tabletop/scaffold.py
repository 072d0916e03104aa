"""``tabletop new``: write a valid, commented scenario to start from.

The scaffold uses the standard rule pack's four stages (gestation, outbreak,
continuation, recovery): ``N`` regions linked in a chain, ``M`` agencies (one
central ministry, provinces below it, municipal governments below them), one
scripted inject per stage, one conditional inject, and three objectives with
their critical tasks. Every region has an agency with jurisdiction over it and
every expectation can be met, so ``tabletop validate`` reports nothing and
bots can play it to the end.
"""

from __future__ import annotations

import json
import re

MAX_REGIONS = 20
MAX_AGENCIES = 20
_SLUG = re.compile(r"[^a-z0-9_-]+")

HEADER = """\
# {title}: a scenario written by `tabletop new` to start from.
# Edit the names, numbers and texts; check it with:   tabletop validate {file}
# then try it with bots:                             tabletop run {file} --bots cooperative
# Every key is described in docs/scenarios.md.

[scenario]
id = {id}
title = {title_q}
# The rule pack: "standard" is rules/standard.toml (stages, actions, formulas).
rules = "standard"
# Same seed, same decisions -> same exercise.
seed = 1
briefing = \"\"\"
Describe the hazard, the area and what the players must achieve together.
\"\"\"
# Rounds of each stage (the rule pack's defaults: gestation 1, outbreak 2,
# continuation 2, recovery 1). Uncomment to change one:
# stage_rounds = {{ outbreak = 3 }}

# ---------------------------------------------------------------- regions
# population in thousands; exposure, vulnerability, development, hazard in 0..1;
# trust in 0..100. links: risk spreads to the linked region with coefficient k.
"""

REGION = """
[regions.{rid}]
name = "Region {n}"
population = {population}
exposure = {exposure}
vulnerability = 0.5
development = 0.5
hazard = {hazard}
trust = 60
"""

AGENCIES = """
# ---------------------------------------------------------------- agencies
# Turn order is the order below. level: central, provincial, municipal or county;
# a superior sits at the same or a higher level. regions: where the agency has
# jurisdiction. authority: "response", "command", "funds" unlock actions.
"""

AGENCY = """
[agencies.{aid}]
name = "{name}"
level = "{level}"
department = "{department}"
{superior}regions = {regions}
budget = {budget}
resources = {{ rescue = {rescue}, supplies = {supplies}, medical = {medical} }}
authority = {authority}
local_interest = {interest}
briefing = "Write what this agency knows and wants."
"""

INJECTS = """
# ---------------------------------------------------------------- injects (MSEL)
# An inject fires at `round` of its `stage`, or when its `when` condition is true.
# to = ["all"] reaches every agency; otherwise it is private to the listed ones.
# expect: what an agency should do within N rounds after it fires (0 = same round).

[[injects]]
id = "forecast"
stage = "gestation"
round = 1
to = ["all"]
type = "information"
title = "Warning forecast"
text = "The weather service forecasts heavy rain over {first} within 48 hours."
expect = [
    {{ agency = "{central}", action = "activate_response", within = 1, objective = "early_warning.response_level" }},
]

[[injects]]
id = "impact"
stage = "outbreak"
round = 1
to = ["all"]
type = "event"
title = "The flood arrives"
text = "Water rises in {first}; roads are cut."
effects = ["regions.{first}.hazard += 0.15"]

[[injects]]
id = "local_request"
stage = "outbreak"
round = 1
to = ["{local}"]
type = "request"
title = "Not enough rescue teams"
text = "Your teams cannot reach every village. Only you know how short you are."
expect = [
    {{ agency = "{local}", action = "request_support", within = 1, objective = "coordination" }},
]

[[injects]]
id = "rumours"
# A conditional inject: fires the first round its condition holds.
when = "min_trust < 45"
to = ["all"]
type = "media"
title = "Rumours online"
text = "Social media says the authorities are hiding the real water levels."

[[injects]]
id = "second_wave"
stage = "continuation"
round = 1
to = ["all"]
type = "event"
title = "More rain"
text = "A second band of rain stalls over {last}."
effects = ["regions.{last}.hazard += 0.1"]

[[injects]]
id = "review"
stage = "recovery"
round = 1
to = ["all"]
type = "directive"
title = "Review and rebuild"
text = "Hold a joint review of the response and turn what worked into rules."
expect = [{{ agency = "{central}", action = "joint_review", within = 0, objective = "recovery.review" }}]

# ---------------------------------------------------------------- objectives
# Each objective has critical tasks: an action (by an agency, in a region) done by
# round `by_round` of `stage` (without a stage, by_round counts from the start).

[[objectives]]
id = "early_warning"
capability = "Situational Assessment"
title = "Recognise the risk and warn in time"
tasks = [
    {{ id = "response_level", text = "The ministry activates a response level", action = "activate_response", agency = "{central}", stage = "gestation", by_round = 1 }},
    {{ id = "warn_public", text = "The public in {first} is warned", action = "issue_warning", region = "{first}", stage = "outbreak", by_round = 1 }},
]

[[objectives]]
id = "coordination"
capability = "Operational Coordination"
title = "Share information and help each other"
tasks = [
    {{ id = "rescue", text = "Rescue teams reach {first}", action = "deploy", region = "{first}", resource = "rescue", stage = "outbreak", by_round = 2 }},
    {{ id = "share", text = "An agency shares what it knows", action = "share_information", stage = "outbreak", by_round = 2 }},
]

[[objectives]]
id = "recovery"
capability = "Recovery"
title = "Learn from the response"
tasks = [
    {{ id = "review", text = "A joint review is held", action = "joint_review", stage = "recovery", by_round = 1 }},
]
"""


def slug(name: str) -> str:
    """A scenario id made from ``name`` (lower case, letters, digits, ``_`` and ``-``)."""
    out = _SLUG.sub("-", name.lower()).strip("-")
    return out or "scenario"


def _q(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def scaffold(name: str, *, regions: int = 3, agencies: int = 6, file: str = "") -> str:
    """The text of a new scenario.

    Args:
        name: The scenario's name (its id is made from it).
        regions: Number of regions (1 to :data:`MAX_REGIONS`).
        agencies: Number of agencies (2 to :data:`MAX_AGENCIES`): one central ministry,
            then provinces and municipal governments.
        file: The file name shown in the header comment.

    Raises:
        ValueError: a count out of range.
    """
    if not 1 <= regions <= MAX_REGIONS:
        raise ValueError(f"--regions must be between 1 and {MAX_REGIONS} (got {regions})")
    if not 2 <= agencies <= MAX_AGENCIES:
        raise ValueError(f"--agencies must be between 2 and {MAX_AGENCIES} (got {agencies})")
    rids = [f"region_{n}" for n in range(1, regions + 1)]
    provinces = max(1, (agencies - 1 + 1) // 2)
    local_count = agencies - 1 - provinces
    prov_ids = [f"province_{n}" for n in range(1, provinces + 1)]
    local_ids = [f"city_{n}" for n in range(1, local_count + 1)]
    below = prov_ids + local_ids
    # Every region to one agency below the ministry (round robin), every one of them a region.
    jurisdiction: dict[str, list[str]] = {a: [] for a in below}
    for j, rid in enumerate(rids):
        jurisdiction[below[j % len(below)]].append(rid)
    for j, aid in enumerate(below):
        if not jurisdiction[aid]:
            jurisdiction[aid].append(rids[j % len(rids)])
    title = name.strip() or "New scenario"
    out = HEADER.format(
        title=title, title_q=_q(title), id=_q(slug(name)), file=file or f"{slug(name)}.toml"
    )
    for n, rid in enumerate(rids, start=1):
        out += REGION.format(
            rid=rid,
            n=n,
            population=100 * n + 200,
            exposure=0.6 if n == 1 else 0.4,
            hazard=0.3 if n == 1 else 0.05,
        )
        if n < len(rids):
            out += f'links = [{{ to = "{rids[n]}", k = 0.2 }}]\n'
    out += AGENCIES
    central = "ministry"
    out += AGENCY.format(
        aid=central,
        name="Ministry of Emergency Management",
        level="central",
        department="emergency",
        superior="",
        regions="[]",
        budget=400,
        rescue=20,
        supplies=30,
        medical=10,
        authority=_list(["response", "command", "funds"]),
        interest=0.0,
    )
    for n, aid in enumerate(prov_ids, start=1):
        out += AGENCY.format(
            aid=aid,
            name=f"Province {n} Emergency Management Department",
            level="provincial",
            department="emergency",
            superior=f'superior = "{central}"\n',
            regions=_list(jurisdiction[aid]),
            budget=150,
            rescue=10,
            supplies=15,
            medical=5,
            authority=_list(["response", "command", "funds"]),
            interest=0.5,
        )
    for n, aid in enumerate(local_ids, start=1):
        out += AGENCY.format(
            aid=aid,
            name=f"City {n} Government",
            level="municipal",
            department="government",
            superior=f'superior = "{prov_ids[(n - 1) % len(prov_ids)]}"\n',
            regions=_list(jurisdiction[aid]),
            budget=60,
            rescue=4,
            supplies=6,
            medical=2,
            authority=_list(["response"]),
            interest=0.7,
        )
    local = (local_ids or prov_ids)[0]
    out += INJECTS.format(central=central, local=local, first=rids[0], last=rids[-1])
    return out
