from django.urls import path

from mentorat.participants import views

app_name = "participants"
urlpatterns = [
    path("my/profile/", views.profile_edit, name="profile"),
    # The kind of data is posted, not in the path: a URL must not tell it.
    path("my/profile/consents/withdraw/", views.withdraw_consent, name="withdraw_consent"),
]
