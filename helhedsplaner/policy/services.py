"""Writes to the common policy and its goals, with the acting user as history user."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import pagecache

from ..models import Policy, PolicyGoal


def _save(obj, *, user, fields: dict):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


def policy_create(*, user, fields: dict) -> Policy:
    return _save(Policy(), user=user, fields=fields)


def policy_update(*, policy: Policy, user, fields: dict) -> Policy:
    return _save(policy, user=user, fields=fields)


@transaction.atomic
def policy_goal_create(*, policy: Policy, user, fields: dict) -> PolicyGoal:
    Policy.objects.select_for_update().get(pk=policy.pk)  # one new number at a time
    return _save(PolicyGoal(policy=policy), user=user, fields=fields)


@transaction.atomic
def policy_goal_update(*, goal: PolicyGoal, user, fields: dict) -> PolicyGoal:
    Policy.objects.select_for_update().get(pk=goal.policy_id)
    return _save(goal, user=user, fields=fields)


@transaction.atomic
def policy_goals_renumber(*, policy: Policy, user, numbers: dict[int, int]) -> list[PolicyGoal]:
    """Give the policy's goals new numbers ({goal pk: number}, each number once).

    The numbers are unique per policy, so two goals can only swap through free numbers:
    every goal first moves past the highest number in use (no history row: nobody sees
    it), then each changed goal is saved with its new number (one history row each).
    """
    Policy.objects.select_for_update().get(pk=policy.pk)
    goals = {goal.pk: goal for goal in policy.goals.all()}
    if set(numbers) != set(goals):
        raise ValidationError(
            _("The policy's goals have changed since the page was loaded. Reload the page."),
            code="goals_changed",
        )
    if len(set(numbers.values())) != len(numbers) or min(numbers.values(), default=1) < 1:
        raise ValidationError(_("Each goal needs its own number, from 1."), code="numbers")
    moving = [goal for pk, goal in goals.items() if goal.number != numbers[pk]]
    if not moving:
        return []
    offset = max([goal.number for goal in goals.values()] + list(numbers.values()))
    for goal in moving:
        PolicyGoal.objects.filter(pk=goal.pk).update(number=goal.number + offset)
    pagecache.changed(*moving, fields=["number"])
    for goal in moving:
        goal.number = numbers[goal.pk]
        goal._history_user = user
        goal.save(update_fields=["number", "updated_at"])
    return moving
