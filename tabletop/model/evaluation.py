"""The HSEEP evaluation loop after an exercise: feedback questions and plan-action states.

The hot wash ends with a participant feedback form per agency (strengths, areas
for improvement and a few 1-5 ratings, as HSEEP participant feedback forms ask)
and the improvement plan gets an owner, a point of contact, dates and a status
per corrective action. Both are journaled (``feedback_submitted`` and
``plan_action_updated`` events); these are their fixed vocabularies. The
statements are user-facing text, kept here in one place for translation.
"""

from __future__ import annotations

from typing import Literal

#: Feedback rating id -> the statement the participant rates from 1 to 5.
FEEDBACK_QUESTIONS: dict[str, str] = {
    "organization": "The exercise was well structured and organized.",
    "realism": "The scenario was plausible and realistic.",
    "facilitation": "The facilitator knew the material and kept the exercise on target.",
    "materials": "The briefing and injects were clear and useful.",
    "preparedness": "After this exercise, my agency is better prepared for such an incident.",
}
#: Short column titles of the ratings (tables, the debrief).
FEEDBACK_SHORT: dict[str, str] = {
    "organization": "Organized",
    "realism": "Realistic",
    "facilitation": "Facilitation",
    "materials": "Materials",
    "preparedness": "Preparedness",
}
#: The 1-5 scale.
FEEDBACK_SCALE: dict[int, str] = {
    1: "strongly disagree",
    2: "disagree",
    3: "neutral",
    4: "agree",
    5: "strongly agree",
}

PlanStatus = Literal["open", "in_progress", "complete"]
#: Status of a corrective action -> its title.
PLAN_STATUSES: dict[str, str] = {
    "open": "Open",
    "in_progress": "In progress",
    "complete": "Complete",
}
#: Fields of a plan action an update may set (``tabletop report --plan`` keys).
PLAN_FIELDS: dict[str, str] = {
    "owner": "Owner organisation",
    "poc": "Point of contact",
    "start": "Start date (YYYY-MM-DD)",
    "due": "Due date (YYYY-MM-DD)",
    "status": "Status (open, in_progress, complete)",
}
