from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Helhedsplaner – administration")
admin.site.site_title = _("Helhedsplaner")
admin.site.index_title = _("Users, roles and reference data")
