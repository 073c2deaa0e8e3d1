from django.urls import path

from mentorat.recognition import views

app_name = "recognition"
urlpatterns = [
    path("my/engagement/", views.my_engagement, name="my_engagement"),
    path("engagement/<int:pk>/", views.engagement, name="engagement"),
    path("engagement/notes/<int:pk>/visibility/", views.note_visibility, name="note_visibility"),
    path("pairs/<int:pk>/thank-you/", views.note_write, name="note_write"),
    path("programs/<slug:slug>/manage/recognitions/", views.recognitions, name="recognitions"),
    path("programs/<slug:slug>/manage/recognitions/<int:pk>/award/", views.award, name="award"),
    path("my/attestations/new/", views.attestation_create, name="attestation_create"),
    path("attestations/<str:public_id>/pdf/", views.attestation_pdf, name="attestation_pdf"),
    path(
        "attestations/<str:public_id>/revoke/", views.attestation_revoke, name="attestation_revoke"
    ),
    path("verify/<str:public_id>/", views.verify, name="verify"),
    path("badges/<str:public_id>/credential.jwt", views.credential_jwt, name="credential_jwt"),
    path("badges/<str:public_id>/badge.svg", views.credential_svg, name="credential_svg"),
    path("badges/<str:public_id>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("credentials/issuers/<slug:slug>/did.json", views.did_document, name="did_document"),
    path("credentials/issuers/<slug:slug>/jwks.json", views.jwks, name="jwks"),
    path(
        "credentials/issuers/<slug:slug>/status/revocation.jwt",
        views.status_list,
        name="status_list",
    ),
]
