"""Pages of the creator registry: the creator's own profile, the public profile, the staff
back-office (list, export, profile with NIK reveal) and the spreadsheet import."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.accounts.redirects import next_of
from ekraf.core import uploads
from ekraf.core.errors import DomainError, NotAllowed, NotFound
from ekraf.core.models import Agency

from . import exports, forms, imports, selectors, services
from .models import Consent, ImportBatch

PAGE_SIZE = 25


def _creator_profile(request):
    try:
        return services.ensure_profile(request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc


# --- the creator's own profile ----------------------------------------------------------------


@login_required
def my_profile(request):
    _creator_profile(request)
    profile = selectors.profile_of(request.user)
    consents = services.active_consents(profile)
    return render(
        request,
        "creators/my_profile.html",
        {
            "profile": profile,
            "public": Consent.Purpose.PUBLIC_PROFILE in consents,
            "directory": Consent.Purpose.TALENT_DIRECTORY in consents,
        },
    )


def _apply_profile_errors(exc: services.ProfileInvalid, form, formset) -> None:
    for name, errors in exc.errors.items():
        if name.startswith("channels."):
            index = int(name.split(".")[1])
            target = formset.forms[index] if index < len(formset.forms) else None
            for error in errors:
                if target is not None:
                    target.add_error("value", error)
                else:
                    form.add_error(None, error)
            continue
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


@login_required
def edit_profile(request):
    profile = _creator_profile(request)
    profile = selectors.profile_of(request.user)
    if request.method == "POST":
        form = forms.ProfileForm(request.POST, request.FILES, profile=profile)
        formset = forms.ChannelFormSet(request.POST, prefix="kanal")
        if form.is_valid() and formset.is_valid():
            # Only rows with something in them count; index them as the form shows them.
            inputs, positions = [], []
            for index, channel_form in enumerate(formset.forms):
                item = channel_form.to_input()
                if item is not None:
                    inputs.append(item)
                    positions.append(index)
            photo = None
            try:
                if form.cleaned_data.get("photo"):
                    photo = services.process_photo(form.cleaned_data["photo"])
                services.update_profile(
                    request.user,
                    profile,
                    form.to_input(inputs),
                    photo=photo,
                    remove_photo=form.cleaned_data.get("remove_photo", False),
                )
            except services.ProfileInvalid as exc:
                remapped = {}
                for name, errors in exc.errors.items():
                    if name.startswith("channels."):
                        name = f"channels.{positions[int(name.split('.')[1])]}"
                    remapped[name] = errors
                exc.errors = remapped
                _apply_profile_errors(exc, form, formset)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Profil Anda sudah disimpan."))
                return redirect("creators:my_profile")
    else:
        form = forms.ProfileForm(initial=forms.ProfileForm.initial_for(profile), profile=profile)
        formset = forms.ChannelFormSet(initial=forms.channel_initial(profile), prefix="kanal")
    return render(
        request,
        "creators/edit_profile.html",
        {"form": form, "formset": formset, "profile": profile},
    )


@login_required
def sharing(request):
    profile = _creator_profile(request)
    consents = services.active_consents(profile)
    if request.method == "POST":
        form = forms.SharingForm(request.POST)
        if form.is_valid():
            services.set_sharing(request.user, profile, form.to_choice())
            messages.success(request, _("Pilihan berbagi data sudah disimpan."))
            # Back where the person came from (Talenta saya links here), on this site only.
            return redirect(next_of(request, "creators:my_profile"))
    else:
        form = forms.SharingForm(
            initial={
                "public_profile": Consent.Purpose.PUBLIC_PROFILE in consents,
                "talent_directory": Consent.Purpose.TALENT_DIRECTORY in consents,
                "show_photo": profile.show_photo,
                "show_area": profile.show_area,
                "show_bio": profile.show_bio,
                "show_channels": profile.show_channels,
            }
        )
    return render(
        request,
        "creators/sharing.html",
        {
            "form": form,
            "profile": profile,
            "consents": profile.consents.all(),
            "texts": services.CONSENT_TEXTS,
        },
    )


@login_required
@never_cache
def export_my_data(request):
    if request.method != "POST":
        return render(request, "creators/export.html")
    data = services.export_for(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="data-saya-{stamp}.json"'
    return response


@login_required
def delete_account(request):
    form = forms.DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, form.cleaned_data["password"], request=request)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Akun Anda sudah dihapus. Terima kasih."))
            return redirect("core:home")
    return render(request, "creators/delete_account.html", {"form": form})


# --- public -----------------------------------------------------------------------------------


def public_profile(request, public_id):
    profile = selectors.public_profile(public_id)
    if profile is None:
        raise Http404
    return render(request, "creators/public_profile.html", {"profile": profile})


@never_cache
def photo(request, public_id):
    """The photo, only for its owner, registry staff, or when published on a public profile."""
    profile, published = selectors.profile_for_photo(public_id)
    if profile is None or not profile.photo:
        raise Http404
    if not permissions.can_see_creator_photo(request.user, profile, published=published):
        raise Http404
    try:
        return uploads.serve(profile.photo, download_name="foto.jpg", inline=True)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


# --- staff back-office ------------------------------------------------------------------------


def _require_registry(user):
    if not permissions.can_view_creator_registry(user):
        raise PermissionDenied


@login_required
def staff_list(request):
    _require_registry(request.user)
    filter_form = forms.CreatorFilterForm(request.GET or None)
    filters = selectors.CreatorFilters.from_query(request.GET)
    queryset = selectors.search_creators(filters, viewer=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("hal"))
    page.object_list = selectors.mark_contact_visibility(request.user, page.object_list)
    return render(
        request,
        "creators/staff_list.html",
        {
            "filter_form": filter_form,
            "filters": filters,
            "page": page,
            "can_export": permissions.can_export_creators(request.user),
            "can_import": bool(
                permissions.organiser_agency_ids(request.user) or permissions.is_admin(request.user)
            ),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def staff_export(request, fmt):
    if not permissions.can_export_creators(request.user):
        raise PermissionDenied
    filters = selectors.CreatorFilters.from_query(request.GET)
    queryset = selectors.search_creators(filters, viewer=request.user)
    if fmt in ("csv", "xlsx"):
        stamp = timezone.localdate().isoformat()
        return exports.response(fmt, queryset, request.user, f"pelaku-ekraf-{stamp}")
    raise Http404


@login_required
def staff_detail(request, public_id):
    _require_registry(request.user)
    profile = selectors.creator_for_staff(public_id)
    if profile is None:
        raise Http404
    if profile.deleted_at is not None:
        # The person deleted their account: what is kept (the anonymised row that registrations
        # and certificates point to) is no one's personal data to show. Staff who follow a link
        # from an old record learn why there is nothing to see, instead of a "not found" that
        # looks like a broken link; 410 Gone tells tools the same.
        return render(request, "creators/staff_deleted.html", {"profile": profile}, status=410)
    revealed = None
    reveal_form = forms.RevealNikForm(request.POST or None)
    if request.method == "POST" and reveal_form.is_valid():
        try:
            revealed = services.reveal_nik(
                request.user, profile, reason=reveal_form.cleaned_data["reason"], request=request
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            reveal_form.add_error(None, exc.message)
    response = render(
        request,
        "creators/staff_detail.html",
        {
            "profile": profile,
            "consents": {c.purpose: c for c in profile.consents.all() if c.is_active},
            "contact_visible": permissions.can_see_creator_contact(request.user, profile),
            "can_reveal": permissions.can_reveal_nik_of(request.user, profile)
            and profile.nik_masked,
            "reveal_form": reveal_form,
            "revealed": revealed,
        },
    )
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


# --- import -----------------------------------------------------------------------------------


def _import_agencies(user):
    ids = permissions.organiser_agency_ids(user)
    agencies = Agency.objects.filter(is_active=True).order_by("short_name")
    return list(agencies if ids is None else agencies.filter(pk__in=ids))


def _batch_or_403(request, public_id) -> ImportBatch:
    try:
        return imports.get_batch(request.user, public_id)
    except NotFound as exc:
        raise Http404 from exc
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
def import_start(request):
    agencies = _import_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.code == form.cleaned_data["agency"])
        try:
            batch = imports.start(request.user, agency, form.cleaned_data["file"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("creators:import_detail", public_id=batch.public_id)
    return render(
        request,
        "creators/import_start.html",
        {"form": form, "batches": selectors.import_batches(request.user)[:20]},
    )


@login_required
def import_detail(request, public_id):
    batch = _batch_or_403(request, public_id)
    mapping_form = forms.ImportMappingForm(
        request.POST or None,
        headers=batch.headers,
        targets=imports.TARGETS,
        initial={name: str(index) for name, index in batch.mapping.items()}
        | {"nik_confirmed": batch.nik_confirmed_at is not None},
    )
    if request.method == "POST" and mapping_form.is_valid():
        try:
            imports.preview(
                request.user,
                batch,
                mapping_form.mapping(),
                nik_confirmed=mapping_form.cleaned_data["nik_confirmed"],
            )
        except DomainError as exc:
            mapping_form.add_error(
                exc.field if exc.field in mapping_form.fields else None, exc.message
            )
        else:
            return redirect("creators:import_detail", public_id=batch.public_id)
    return render(
        request,
        "creators/import_detail.html",
        {
            "batch": batch,
            "mapping_form": mapping_form,
            "Status": ImportBatch.Status,
            "problems": batch.problems,
            "nik_ignored": "nik" in batch.mapping and not batch.imports_nik,
        },
    )


@login_required
@require_POST
def import_commit(request, public_id):
    batch = _batch_or_403(request, public_id)
    try:
        batch = imports.commit(request.user, batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d pelaku ekraf sudah ditambahkan ke registri.") % {"n": batch.created_count},
        )
    return redirect("creators:import_detail", public_id=batch.public_id)


@login_required
@require_POST
def import_abandon(request, public_id):
    batch = _batch_or_403(request, public_id)
    try:
        imports.abandon(request.user, batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("creators:import_start")
