"""POST data for the plan form, built the way the browser sends it."""

from tests import factories


def plan_post(
    *,
    plan=None,
    name="Helhedsplan Ny",
    housing=None,
    area=None,
    period=None,
    lead=None,
    budget="12.000.000",
    grant="9.000.000",
    start="2020-01-01",
    end="2023-12-31",
    focus=(),
    participating=(),
    goals=(),
    estates=(("Nordparken afd. 1", "101-1", "240"), ("Nordparken afd. 2", "", "160")),
    existing=(),
    version=None,
    description="Demo",
) -> dict:
    """``existing``: (estate, {field: value}, delete) per existing estate; ``estates``: new rows."""
    period = period or (plan.lbf_period if plan else factories.lbf_period())
    data = {
        "name": name,
        "housing_organisation": (
            housing or (plan and plan.housing_organisation) or factories.housing_organisation("fsb")
        ).pk,
        "area": (area or (plan and plan.area) or factories.area()).pk,
        "lbf_period": period.pk,
        "lead_administration": (
            lead or (plan and plan.lead_administration) or factories.administration("TMF")
        ).pk,
        "budget": budget,
        "lbf_grant": grant,
        "period_start": start,
        "period_end": end,
        "description": description,
        "participating_administrations": [a.pk for a in participating],
        "focus_areas": [f.pk for f in focus],
        "policy_goals": [g.pk for g in goals],
        "version": version if version is not None else (plan.version if plan else ""),
        "estates-TOTAL_FORMS": str(len(existing) + len(estates)),
        "estates-INITIAL_FORMS": str(len(existing)),
        "estates-MIN_NUM_FORMS": "0",
        "estates-MAX_NUM_FORMS": "1000",
    }
    index = 0
    for estate, changes, delete in existing:
        row = {
            "id": estate.pk,
            "name": estate.name,
            "number": estate.number,
            "tenancies": estate.tenancies,
        }
        row.update(changes)
        for key, value in row.items():
            data[f"estates-{index}-{key}"] = value
        if delete:
            data[f"estates-{index}-DELETE"] = "on"
        index += 1
    for estate_name, number, tenancies in estates:
        data[f"estates-{index}-name"] = estate_name
        data[f"estates-{index}-number"] = number
        data[f"estates-{index}-tenancies"] = tenancies
        index += 1
    return data
