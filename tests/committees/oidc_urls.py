"""The product's URLconf as with OIDC_ENABLED (the settings are read once, at import)."""

from committees.users.oidc import with_oidc
from config.urls import handler500
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = with_oidc(product_urlpatterns)

__all__ = ["handler500", "urlpatterns"]
