from django.contrib import admin
from django.urls import include, path

from mesotrack.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("mesotrack.accounts.urls")),
    path("patients/", include("mesotrack.patients.urls")),
    path("audit/", include("mesotrack.audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "mesotrack.core.views.permission_denied"
