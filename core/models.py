"""The one history mechanism every domain model inherits."""

from django.conf import settings
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """Timestamps plus full change history (who, when, what) for every subclass.

    Subclasses with many-to-many fields list them in ``_history_m2m_fields`` so
    that membership changes are history-tracked too.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A save runs in a transaction, so the page cache can see the row written and
        # what it changed (its signals) before the commit, and raise only the versions of
        # the pages that show it (core.pagecache).
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)


class CacheScope(models.Model):
    """The version of one scope of cached pages (``plan:34``, ``meeting:7``, ``access`` …).

    Pages are keyed by the versions of the scopes they show (``core.pagecache``). Written
    only with raw SQL by ``core.pagecache`` after commits; never edited, never
    history-tracked. A scope without a row has version 0.
    """

    scope = models.CharField(max_length=120, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("cache scope")
        verbose_name_plural = _("cache scopes")

    def __str__(self) -> str:
        return f"{self.scope}={self.version}"


class ExternalIdentity(models.Model):
    """A login's account at an identity provider (OpenID Connect): the provider's stable
    subject id (``sub``) under its issuer. Sign-in finds the login by this pair, never by
    the e-mail or the name, which the provider may change or hand on to somebody else.
    Written only at sign-in (``committees.users.oidc``); no history (the login's own
    history records what the sign-in changed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_issuer_subject_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(issuer="") & ~models.Q(subject=""),
                name="external_identity_issuer_subject_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
