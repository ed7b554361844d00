from django.urls import path

from . import documents, views

app_name = "credentials"
urlpatterns = [
    # Public verification and the documents verifiers fetch.
    path("verifikasi", views.verify_form, name="verify"),
    path("verifikasi/", views.verify_form),
    path("verifikasi/offline", documents.verify_offline, name="verify_offline"),
    path("verifikasi/offline-sw.js", documents.verify_offline_worker, name="verify_offline_worker"),
    path(
        "verifikasi/offline-status.json",
        documents.verify_offline_status,
        name="verify_offline_status",
    ),
    path("verifikasi/<str:code>", views.verify_code, name="verify_code"),
    path("V/<str:digits>", views.verify_qr, name="verify_qr"),
    path("v/<str:token>", views.verify_token, name="verify_token"),
    path(".well-known/jwks.json", documents.jwks, name="jwks"),
    path("pki/ca.crl", documents.pki_crl, name="pki_crl"),
    path("pki/ca.pem", documents.pki_ca, name="pki_ca"),
    path("openbadges/issuers/<slug:agency_code>", documents.ob_issuer, name="ob_issuer"),
    path("openbadges/issuers/<slug:agency_code>/did.json", documents.ob_did, name="ob_did"),
    path("openbadges/issuers/<slug:agency_code>/keys/<slug:kid>", documents.ob_key, name="ob_key"),
    path(
        "openbadges/issuers/<slug:agency_code>/keys/<slug:kid>/jwk",
        documents.ob_key_jwk,
        name="ob_key_jwk",
    ),
    path(
        "openbadges/status/<slug:agency_code>/<int:number>",
        documents.ob_status_list,
        name="ob_status_list",
    ),
    path(
        "openbadges/achievements/<str:public_id>", documents.ob_achievement, name="ob_achievement"
    ),
    path(
        "openbadges/achievements/<str:public_id>/image.svg",
        documents.ob_achievement_image,
        name="ob_achievement_image",
    ),
    # The holder's wallet and referrals.
    path("sertifikat-saya/", views.wallet, name="wallet"),
    path("sertifikat-saya/<str:code>/pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "sertifikat-saya/<str:code>/openbadges.json",
        views.certificate_openbadge,
        {"fmt": "json"},
        name="certificate_openbadge",
    ),
    path(
        "sertifikat-saya/<str:code>/openbadges.jwt",
        views.certificate_openbadge,
        {"fmt": "jwt"},
        name="certificate_openbadge_jwt",
    ),
    path("sertifikasi-profesi/", views.referrals, name="referrals"),
    # Organisers.
    path("kelola/sertifikat/", views.manage, name="manage"),
    path(
        "kelola/sertifikat/pelatihan/<str:public_id>/",
        views.manage_training,
        name="manage_training",
    ),
    path("kelola/sertifikat/proses/<str:public_id>/", views.job_page, name="job"),
    path("kelola/sertifikat/proses/<str:public_id>/status", views.job_status, name="job_status"),
    path("kelola/sertifikat/proses/<str:public_id>/lanjutkan", views.job_resume, name="job_resume"),
    path("kelola/sertifikat/penandatangan/", views.signatories, name="signatories"),
    path("kelola/sertifikat/penandatangan/<int:pk>/", views.signatories, name="signatory_edit"),
    path("kelola/sertifikat/<str:code>/cabut/", views.revoke, name="revoke"),
    path("kelola/sertifikat/<str:code>/terbitkan-ulang/", views.reissue, name="reissue"),
    path(
        "kelola/sertifikat/pelatihan/<str:public_id>/contoh.pdf",
        views.preview_pdf,
        name="preview_pdf",
    ),
    # Disnaker-PMPTSP staff.
    path("kelola/rujukan/", views.referral_queue, name="referral_queue"),
    path("kelola/rujukan/<str:public_id>/", views.referral_detail, name="referral_detail"),
]
