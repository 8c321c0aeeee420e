"""The kinds of reference data that share one shape of screens: a list, a create and an
edit form, a history tab and a removal that asks first. Each kind is one entry here; the
generic views (``views.py``) and the URL patterns (``urls.py``) are built from it, so a
new kind of reference data is one more entry, not another copy of five views.

What a kind does beyond that shape (an LBF period's focus areas) stays in its own views.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .forms import AreaForm, HousingOrganisationForm, IndicatorForm, LbfPeriodForm


@dataclass(frozen=True)
class Kind:
    key: str  # route names: "<key>_list", "<key>_create", … in the "reference" namespace
    path: str  # the address under /planer/referencedata/ (Danish, as the users read it)
    plural: Promise  # the list's title and breadcrumb
    view_perm: str  # reading the list and the history; changing: manage_reference_data
    form_class: type
    list_template: str
    list_items: Callable[[], list]  # the list page's rows
    get: Callable[..., object]  # get(pk=…) -> the object, or 404
    create: Callable[..., object]  # create(user=…, fields=…)
    update: Callable[..., object]  # update(<arg>=obj, user=…, fields=…)
    remove: Callable[..., None]  # remove(<arg>=obj, user=…)
    arg: str  # the keyword the object goes by in ``update`` and ``remove``
    new_title: Promise
    create_submit: Promise
    created: Promise  # "… “%(name)s” is registered."
    remove_question: Promise  # "Remove … “%(name)s”?"
    history: Callable[[object], list[dict]] = field(default=selectors.history_of)

    # The URL names the templates link to (``{% url kind.list %}``).
    def url_name(self, action: str) -> str:
        return f"reference:{self.key}_{action}"

    @property
    def list(self) -> str:
        return self.url_name("list")

    @property
    def create_url(self) -> str:
        return self.url_name("create")

    @property
    def edit(self) -> str:
        return self.url_name("edit")

    @property
    def history_url(self) -> str:
        return self.url_name("history")

    @property
    def remove_url(self) -> str:
        return self.url_name("remove")


ORGANISATION = Kind(
    key="organisation",
    path="boligorganisationer",
    plural=_("Housing organisations"),
    view_perm="helhedsplaner.view_housingorganisation",
    form_class=HousingOrganisationForm,
    list_template="helhedsplaner/reference/organisation_list.html",
    list_items=selectors.housing_organisation_list,
    get=selectors.housing_organisation_get,
    create=services.housing_organisation_create,
    update=services.housing_organisation_update,
    remove=services.housing_organisation_remove,
    arg="organisation",
    new_title=_("New housing organisation"),
    create_submit=_("Register the housing organisation"),
    created=_("The housing organisation “%(name)s” is registered."),
    remove_question=_("Remove the housing organisation “%(name)s”?"),
)

AREA = Kind(
    key="area",
    path="omraader",
    plural=_("Areas"),
    view_perm="helhedsplaner.view_area",
    form_class=AreaForm,
    list_template="helhedsplaner/reference/area_list.html",
    list_items=selectors.area_list,
    get=selectors.area_get,
    create=services.area_create,
    update=services.area_update,
    remove=services.area_remove,
    arg="area",
    new_title=_("New area"),
    create_submit=_("Register the area"),
    created=_("The area “%(name)s” is registered."),
    remove_question=_("Remove the area “%(name)s”?"),
)

PERIOD = Kind(
    key="period",
    path="lbf-perioder",
    plural=_("LBF periods"),
    view_perm="helhedsplaner.view_lbfperiod",
    form_class=LbfPeriodForm,
    list_template="helhedsplaner/reference/period_list.html",
    list_items=selectors.lbf_period_list,
    get=selectors.lbf_period_get,
    create=services.lbf_period_create,
    update=services.lbf_period_update,
    remove=services.lbf_period_remove,
    arg="period",
    new_title=_("New LBF period"),
    create_submit=_("Register the LBF period"),
    created=_("The LBF period “%(name)s” is registered."),
    remove_question=_("Remove the LBF period “%(name)s” and its focus areas?"),
    history=selectors.lbf_period_history,
)

INDICATOR = Kind(
    key="indicator",
    path="indikatorer",
    plural=_("Indicators"),
    view_perm="helhedsplaner.view_indicator",
    form_class=IndicatorForm,
    list_template="helhedsplaner/reference/indicator_list.html",
    list_items=selectors.indicator_list,
    get=selectors.indicator_get,
    create=services.indicator_create,
    update=services.indicator_update,
    remove=services.indicator_remove,
    arg="indicator",
    new_title=_("New indicator"),
    create_submit=_("Register the indicator"),
    created=_("The indicator “%(name)s” is registered."),
    remove_question=_("Remove the indicator “%(name)s”?"),
)

KINDS = (ORGANISATION, AREA, PERIOD, INDICATOR)
