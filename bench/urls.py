"""The product's URLs plus the bare baseline views under /_bench/ (benchmark only)."""

from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

from . import bare

urlpatterns = [
    path("_bench/hello/", bare.hello),
    path("_bench/planer/", bare.plan_list),
    path("_bench/planer/<int:pk>/", bare.plan_detail),
    path("_bench/moeder/<int:pk>/", bare.meeting_detail),
    path("_bench/sager/<str:number>/", bare.case_detail),
    path("_bench/forside/", bare.home),
    path("_bench/soeg/", bare.search),
    path("_bench/pdf/<int:pk>/", bare.stored_pdf),
    *product_urlpatterns,
]
