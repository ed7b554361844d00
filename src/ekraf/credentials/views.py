"""Pages: verification (public, lean), wallet, referrals, and the organisers' screens."""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError
from ekraf.core.models import Agency
from ekraf.core.selectors import current_city
from ekraf.core.templatetags.ekraf import kind_and_title
from ekraf.trainings.models import Training

from . import codes, keys, openbadges, ratelimit, selectors, services, tokens
from .forms import (
    HolderDidForm,
    ReferralForm,
    ReferralUpdateForm,
    ReissueForm,
    RevokeForm,
    SignatoryForm,
    TrainingSignatoriesForm,
    VerifyForm,
)
from .models import Referral, Signatory

# --- public verification -------------------------------------------------------------------------


# The verification pages are the platform's most requested (every QR scan) and are public, so
# they render a lean frame without the request: no navigation, user, messages or CSRF token,
# hence no session read, no Set-Cookie and no `Vary: Cookie`.

_OTHER_LANGUAGE = {"id": ("en", "English"), "en": ("id", "Bahasa Indonesia")}


def _language(request) -> str:
    """`?lang=` when the visitor switched on this page (a plain link: this page has no form),
    else what LocaleMiddleware chose (Indonesian unless the language cookie says English)."""
    asked = request.GET.get("lang", "")
    if asked in _OTHER_LANGUAGE:
        return asked
    return "en" if (translation.get_language() or "").startswith("en") else "id"


def _public_page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    language = _language(request)
    code, label = _OTHER_LANGUAGE[language]
    context = {
        **context,
        "city": current_city(),
        "other_language": {"code": code, "label": label},
    }
    with translation.override(language):
        body = render_to_string(template, context)
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def _limited(request) -> HttpResponse | None:
    if ratelimit.allow(request, "verify"):
        return None
    return _limited_page(request)


def _limited_page(request) -> HttpResponse:
    response = _public_page(request, "credentials/verify_limited.html", {}, status=429)
    response["Retry-After"] = "60"
    return response


def verify_form(request):
    if request.GET.get("kode"):
        form = VerifyForm(request.GET)
        if form.is_valid():
            return redirect("credentials:verify_code", code=form.cleaned_data["kode"])
    else:
        form = VerifyForm()
    return render(request, "credentials/verify_form.html", {"form": form})


def verify_code(request, code):
    """The answer page, its HTML cached per code, answer status, language and page version.

    The status is in the key, so a revocation (which replaces the cached answer) never serves
    the old page; the HTML keys of both statuses come in the answer's own round trip.
    """
    language = _language(request)
    parsed = codes.parse(code)  # a mistyped code is refused before any cache or query
    keys_ = {s: _page_key(parsed or "", s, language) for s in selectors.ANSWER_STATUSES}
    wanted = selectors.verification_keys(parsed, keys_.values()) if parsed else []
    allowed, fetched = ratelimit.allow_and_fetch(request, "verify", wanted)
    if not allowed:
        return _limited_page(request)
    result, pages = (
        selectors.verification_and(parsed, tuple(keys_.values()), fetched=fetched)
        if parsed
        else (None, {})
    )
    if result is None:
        context = {"result": None, "code": code, "mistyped": not parsed and codes.is_mistyped(code)}
        return _public_page(request, "credentials/verify_result.html", context, status=404)
    html = pages.get(keys_[result["status"]])
    if html is None:
        response = _public_page(request, "credentials/verify_result.html", {"result": result})
        selectors.keep_answer_bytes(keys_[result["status"]], response.content)
        return response
    response = HttpResponse(html)
    response["Content-Language"] = language
    return response


# Bump when the verification page's template changes in a way a deploy must show at once.
_PAGE_VERSION = 1


def _page_key(code: str, status: str, language: str) -> str:
    """What the rendered page depends on besides the answer: the language, the city (its row's
    last change) and the static files' names (a deploy with new CSS makes new keys)."""
    city = current_city()
    city_part = f"{city.pk}.{city.updated_at.timestamp():.0f}" if city else "-"
    version = f"{_PAGE_VERSION}.{_static_fingerprint()}.{city_part}"
    return f"verify:page:{version}:{language}:{status}:{code}"


@functools.cache
def _static_fingerprint() -> str:
    from django.templatetags.static import static

    names = static("bootstrap/css/bootstrap.min.css") + static("ekraf/app.css")
    return hashlib.sha256(names.encode()).hexdigest()[:8]


def verify_qr(request, digits):
    """The QR's URL (``/V/<digits>``, a COSE token): the signature is checked here too, then
    revocation is added."""
    return _verify_signed(request, tokens.read_cose_token, digits)


def verify_token(request, token):
    """The URL of QR codes printed before issue 14 (``/v/<JWS>``): they keep verifying."""
    return _verify_signed(request, tokens.read_qr_token, token)


def _verify_signed(request, read, token):
    limited = _limited(request)
    if limited:
        return limited
    try:
        claims = read(token)
    except keys.KeysMissing:
        claims = None
    if claims is None:
        return _public_page(request, "credentials/verify_token.html", {"invalid": True}, 400)
    result = selectors.verification(claims["code"])
    return _public_page(
        request,
        "credentials/verify_token.html",
        {"claims": claims, "result": result},
        status=200 if result else 404,
    )


# --- the holder's wallet ---------------------------------------------------------------------------


def _linkedin_url(cert, verify_url: str) -> str:
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": f"E-Sertifikat {cert.get_kind_display()}: {cert.training_title}",
        "organizationName": cert.agency_name,
        "issueYear": cert.issued_on.year,
        "issueMonth": cert.issued_on.month,
        "certUrl": verify_url,
        "certId": cert.number,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params, quote_via=quote)


@login_required
def wallet(request):
    did_form = HolderDidForm(
        request.POST or None, initial={"did": selectors.holder_did(request.user)}
    )
    if request.method == "POST" and did_form.is_valid():
        try:
            count = services.bind_holder_did(request.user, did_form.cleaned_data["did"])
        except DomainError as exc:
            did_form.add_error("did", exc.message)
        else:
            messages.success(
                request,
                _("DID disimpan; {count} kredensial Open Badges ditandatangani ulang.").format(
                    count=count
                ),
            )
            return redirect("credentials:wallet")
    items = []
    for cert in selectors.wallet(request.user):
        verify_url = settings.BASE_URL + reverse("credentials:verify_code", args=[cert.code])
        share_text = _(
            "Saya memperoleh e-sertifikat {kind} {training} dari {agency}. "
            "Periksa keasliannya: {url}"
        ).format(
            kind=cert.get_kind_display().lower(),
            training=kind_and_title(cert.training_kind, cert.training_title),
            agency=cert.agency_short_name,
            url=verify_url,
        )
        items.append(
            {
                "cert": cert,
                "verify_url": verify_url,
                "whatsapp_url": "https://wa.me/?"
                + urlencode({"text": share_text}, quote_via=quote),
                "linkedin_url": _linkedin_url(cert, verify_url),
            }
        )
    return render(request, "credentials/wallet.html", {"items": items, "did_form": did_form})


def _viewable(request, code):
    cert = selectors.certificate_with_relations(code)
    if cert is None:
        raise Http404
    if not permissions.can_view_certificate(request.user, cert):
        raise PermissionDenied
    return cert


@login_required
def certificate_pdf(request, code):
    cert = _viewable(request, code)
    if not cert.pdf:
        try:
            services.store_pdf(cert)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("credentials:wallet")
    response = FileResponse(
        default_storage.open(cert.pdf, "rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("unduh") == "1",
        filename=f"e-sertifikat-{cert.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate_openbadge(request, code, fmt):
    """The credential as signed at issuance: the stored bytes, never signed again here."""
    cert = _viewable(request, code)
    try:
        name = services.store_credential(cert)  # only certificates from before issue 14 sign
    except keys.KeysMissing as exc:
        messages.error(request, exc.message)
        return redirect("credentials:wallet")
    if fmt == "jwt":
        name = services.jwt_name(name)
        content_type, filename = openbadges.JWT_MEDIA_TYPE, f"openbadge-{cert.code}.jwt"
    else:
        content_type, filename = openbadges.VC_MEDIA_TYPE, f"openbadge-{cert.code}.json"
    with default_storage.open(name, "rb") as fh:
        body = fh.read()
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- professional-certification referrals (creators) ------------------------------------------------


@login_required
def referrals(request):
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_referral(request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Permintaan rujukan terkirim ke Disnaker-PMPTSP."))
            return redirect("credentials:referrals")
    mine = list(selectors.referrals_of(request.user))
    return render(
        request,
        "credentials/referrals.html",
        {
            "form": form,
            "referrals": mine,
            "has_open": any(r.is_open for r in mine),
            "record": services.training_record(request.user),
        },
    )


# --- organisers: issuing and revoking --------------------------------------------------------------


def _staff_training(request, public_id) -> Training:
    training = Training.objects.filter(public_id=public_id).select_related("agency").first()
    if training is None:
        raise Http404
    if not permissions.can_issue_certificates(request.user, training.agency_id):
        raise PermissionDenied
    return training


@login_required
def manage(request):
    if not permissions.organiser_agency_ids(request.user) and not permissions.is_admin(
        request.user
    ):
        raise PermissionDenied
    return render(
        request,
        "credentials/manage.html",
        {"trainings": selectors.trainings_for_certificates(request.user)},
    )


@login_required
def manage_training(request, public_id):
    training = _staff_training(request, public_id)
    agency_signatories = Signatory.objects.filter(agency=training.agency, is_active=True)
    chosen = selectors.training_signatories(training)
    sig_form = TrainingSignatoriesForm(
        request.POST if request.POST.get("action") == "signatories" else None,
        signatories=agency_signatories,
        initial={"first": chosen.first_id, "second": chosen.second_id} if chosen else None,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue_all":
                job = services.start_issuance(request.user, training)
                return redirect("credentials:job", public_id=job.public_id)
            if action == "issue_one":
                chosen = request.POST.get("registration", "")
                registration = (
                    training.registrations.filter(pk=int(chosen)).first()
                    if chosen.isascii() and chosen.isdigit() and len(chosen) < 19
                    else None
                )
                if registration is None:
                    raise Http404
                job = services.start_issuance(request.user, training, registration)
                return redirect("credentials:job", public_id=job.public_id)
            if action == "signatories" and sig_form.is_valid():
                services.set_training_signatories(
                    request.user,
                    training,
                    sig_form.cleaned_data["first"],
                    sig_form.cleaned_data["second"],
                )
                messages.success(request, _("Penandatangan e-sertifikat disimpan."))
                return redirect("credentials:manage_training", public_id=public_id)
        except DomainError as exc:
            messages.error(request, exc.message)
    registrations = list(selectors.training_registrations(training))
    eligible = set(services.eligible_registrations(training).values_list("pk", flat=True))
    return render(
        request,
        "credentials/manage_training.html",
        {
            "training": training,
            "registrations": registrations,
            "eligible": eligible,
            "eligible_count": len(eligible),
            "issued_count": sum(1 for r in registrations if hasattr(r, "certificate")),
            "sig_form": sig_form,
            "signatories": services.signatories_for(training),
            "jobs": selectors.jobs_for(training),
            "changed_basis": selectors.certificates_with_changed_basis(training),
        },
    )


def _staff_job(request, public_id):
    job = selectors.job(public_id)
    if job is None:
        raise Http404
    if not permissions.can_issue_certificates(request.user, job.training.agency_id):
        raise PermissionDenied
    return job


def job_payload(job) -> dict:
    return {
        "id": job.public_id,
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "failed": job.failed,
        "error": job.error,
        "finished": not job.is_active,
        "stalled": services.job_is_stalled(job),
    }


@login_required
def job_page(request, public_id):
    job = _staff_job(request, public_id)
    return render(
        request,
        "credentials/job.html",
        {"job": job, "payload": job_payload(job), "stalled": services.job_is_stalled(job)},
    )


@never_cache
@login_required
def job_status(request, public_id):
    return JsonResponse(job_payload(_staff_job(request, public_id)))


@require_POST
@login_required
def job_resume(request, public_id):
    job = _staff_job(request, public_id)
    try:
        services.resume_issuance(request.user, job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("credentials:job", public_id=public_id)


def _certificate_or_404(request, code, allowed):
    """The certificate of `code` for an organiser's action: 404 if there is none, 403 unless
    `allowed(user, agency_id)`."""
    cert = selectors.certificate_with_relations(code)
    if cert is None:
        raise Http404
    if not allowed(request.user, cert.agency_id):
        raise PermissionDenied
    return cert


@login_required
def revoke(request, code):
    """Two steps: the form shows what verifiers will read ("Pratinjau"), then revokes."""
    cert = _certificate_or_404(request, code, permissions.can_revoke_certificate)
    form = RevokeForm(request.POST or None)
    preview = ""
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") != "confirm":
            preview = form.public_text()
        else:
            try:
                services.revoke_certificate(
                    request.user,
                    cert.code,
                    form.cleaned_data["reason"],
                    category=form.cleaned_data["category"],
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("E-sertifikat {number} dicabut.").format(number=cert.number)
                )
                return redirect("credentials:manage_training", public_id=cert.training.public_id)
    return render(
        request, "credentials/revoke.html", {"cert": cert, "form": form, "preview": preview}
    )


@login_required
def reissue(request, code):
    """Correct a certificate by re-issuing it: the new one replaces the old ("diganti")."""
    cert = _certificate_or_404(request, code, permissions.can_issue_certificates)
    form = ReissueForm(request.POST or None, initial={"holder_name": cert.holder_name})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.reissue_certificate(
                request.user,
                cert.code,
                holder_name=form.cleaned_data["holder_name"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("E-sertifikat {new} terbit menggantikan {old}.").format(
                    new=new.number, old=cert.number
                ),
            )
            return redirect("credentials:manage_training", public_id=cert.training.public_id)
    return render(request, "credentials/reissue.html", {"cert": cert, "form": form})


@login_required
def preview_pdf(request, public_id):
    """One certificate of the training as it will print, marked CONTOH, with no number: for the
    organiser to check before issuing to everyone. Nothing is stored or numbered."""
    training = _staff_training(request, public_id)
    try:
        data = services.preview_pdf(training)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("credentials:manage_training", public_id=public_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="contoh-e-sertifikat.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def signatories(request, pk=None):
    agencies = Agency.objects.all()
    if not permissions.is_admin(request.user):
        agencies = agencies.filter(pk__in=permissions.agency_ids(request.user, "organiser"))
    if not agencies.exists():
        raise PermissionDenied
    instance = None
    if pk is not None:
        instance = Signatory.objects.filter(pk=pk, agency__in=agencies).first()
        if instance is None:
            raise Http404
    form = SignatoryForm(
        request.POST or None, request.FILES or None, instance=instance, agencies=agencies
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_signatory(request.user, form.save(commit=False))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Penandatangan disimpan."))
            return redirect("credentials:signatories")
    return render(
        request,
        "credentials/signatories.html",
        {"form": form, "instance": instance, "signatories": selectors.signatories(request.user)},
    )


# --- agency staff: the referral queue -----------------------------------------------------------------


@login_required
def referral_queue(request):
    try:
        agency = services.referral_agency()
    except DomainError as exc:
        raise Http404 from exc
    if not permissions.can_work_referrals(request.user, agency.pk):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in Referral.Status.values:
        status = ""
    return render(
        request,
        "credentials/referral_queue.html",
        {
            "referrals": selectors.referral_queue(request.user, status),
            "status": status,
            "statuses": Referral.Status.choices,
        },
    )


@login_required
def referral_detail(request, public_id):
    referral = selectors.referral(public_id)
    if referral is None:
        raise Http404
    if not permissions.can_work_referrals(request.user, referral.agency_id):
        raise PermissionDenied
    form = ReferralUpdateForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.advance_referral(request.user, referral, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Rujukan diperbarui; pemohon sudah diberi tahu."))
            return redirect("credentials:referral_detail", public_id=public_id)
    return render(request, "credentials/referral_detail.html", {"referral": referral, "form": form})
