from django.urls import path

from mesotrack.consent import views

app_name = "consent"
urlpatterns = [
    path("", views.consent_list, name="list"),
    path("sign/<str:kind>/", views.consent_sign, name="sign"),
    path("<int:consent_id>/", views.consent_detail, name="detail"),
    path("<int:consent_id>/signature.png", views.consent_signature_image, name="signature"),
    path("<int:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
]
