"""Every table of the dashboard as rows: the page shows them, the CSV downloads them."""

from __future__ import annotations

from typing import Any

from makegood.insights.kpis import Kpis

TABLES = {
    "summary": "Headline figures",
    "response": "First response per channel",
    "resolvers": "Recovery satisfaction per employee who resolved",
    "causes": "Compensation per cause",
    "employees": "Compensation per employee",
    "teams": "Compensation per team",
}


def _n(value: Any) -> Any:
    return "" if value is None else value


def summary_rows(k: Kpis) -> list[list[Any]]:
    fcr, reopen = k.first_contact, k.reopen
    return [
        ["cases received", k.cases, ""],
        ["first responses within target", k.response_overall.within_target, _n(k.response_overall.share_within_target)],
        ["first response median (seconds)", _n(k.response_overall.median_seconds), ""],
        ["first response 90th percentile (seconds)", _n(k.response_overall.p90_seconds), ""],
        ["resolved", k.resolution["resolved"], ""],
        ["time to resolution median (seconds)", _n(k.resolution["median_seconds"]), ""],
        ["time to resolution 90th percentile (seconds)", _n(k.resolution["p90_seconds"]), ""],
        [
            "reopen events within 30 days (per resolved case)",
            reopen["reopen_events"],
            _n(reopen["events_per_resolved_case"]),
        ],
        ["cases reopened within 30 days", reopen["reopened_cases"], _n(reopen["cases_rate"])],
        ["customers with a case reopened within 30 days", reopen["customers_reopened"], _n(reopen["customers_rate"])],
        ["first-contact resolution: one-touch", fcr["one_touch"], _n(fcr["one_touch_rate"])],
        [
            f"first-contact resolution: no repeat contact in {k.repeat_days} days",
            fcr["no_repeat"],
            _n(fcr["no_repeat_rate"]),
        ],
        ["first-contact resolution: customer-confirmed", fcr["confirmed"], _n(fcr["confirmed_rate"])],
        ["resolved within own authority", k.authority["within_authority"], _n(k.authority["rate"])],
        ["satisfied (4-5) of those who answered", k.satisfaction["satisfied"], _n(k.satisfaction["satisfied_share"])],
        ["follow-up response rate", k.satisfaction["answered"], _n(k.satisfaction["response_rate"])],
        [f"compensation cost ({k.currency})", k.compensation["cost"], ""],
        [f"compensation cost per case ({k.currency})", _n(k.compensation["cost_per_case"]), ""],
        ["customer value to cost", _n(k.compensation["value_to_cost"]), ""],
    ]


def table_rows(k: Kpis, table: str) -> tuple[list[str], list[list[Any]]]:
    if table == "summary":
        return ["figure", "count", "share"], summary_rows(k)
    if table == "response":
        return (
            [
                "channel",
                "responded",
                "decided",
                "within_target",
                "share_within_target",
                "median_seconds",
                "p90_seconds",
            ],
            [
                [
                    r.label,
                    r.responded,
                    r.decided,
                    r.within_target,
                    _n(r.share_within_target),
                    _n(r.median_seconds),
                    _n(r.p90_seconds),
                ]
                for r in [*k.response, k.response_overall]
            ],
        )
    if table == "resolvers":
        return (
            ["employee", "resolved", "surveyed", "answered", "satisfied", "satisfied_share", "response_rate"],
            [
                [r.name, r.resolved, r.surveyed, r.answered, r.satisfied, _n(r.satisfied_share), _n(r.response_rate)]
                for r in k.resolvers
            ],
        )
    rows = {"causes": k.by_cause, "employees": k.by_employee, "teams": k.by_team}[table]
    return (
        [
            "name",
            "cases",
            "compensated_cases",
            "cost",
            "value",
            "cost_per_case",
            "value_to_cost",
            "largest_case_cost",
            "cap_per_case",
            "budget_for_period",
            "currency",
        ],
        [
            [
                r.label,
                r.cases,
                r.compensated_cases,
                r.cost,
                r.value,
                _n(r.cost_per_case),
                _n(r.value_to_cost),
                r.largest_case_cost,
                _n(r.cap_per_case),
                _n(r.budget),
                k.currency,
            ]
            for r in rows
        ],
    )
