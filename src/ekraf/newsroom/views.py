"""Pages of the newsroom: the public portal, the reporters' writing pages (with autosave) and
the editors' desk. Views parse, call a service or selector and render; the portal's main
content is cached (cache.py) and cleared on publication, correction and retraction, and an
anonymous reader's whole page too (cache.anonymous_page)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.accounts.models import User
from ekraf.core.errors import DomainError, domain_pages
from ekraf.core.notifications import wa_link
from ekraf.core.selectors import current_city
from ekraf.core.uploads import serve

from . import cache, metadata, selectors, services
from .forms import (
    ComplaintForm,
    CorrectForm,
    DecisionForm,
    GrantForm,
    NotesForm,
    PhotoForm,
    PublishForm,
    RejectForm,
    RetractForm,
    StoryForm,
)
from .models import Complaint, Story, StoryPhoto, StoryRevision, Topic
from .services.common import lock_holder

S = Story.Status


def writer_page(view):
    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_write_stories(request.user):
            if not permissions.sees_writing_entry(request.user):
                raise PermissionDenied
            # The menu offers "Tulis berita" to every creator (deciding it from the roles costs no
            # query); a creator who is not a reporter yet is told how to become one.
            return render(request, "newsroom/write/not_reporter.html")
        return view(request, *args, **kwargs)

    return wrapper


def editor_page(view):
    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_edit_newsroom(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _city_name() -> str:
    city = current_city()
    return city.platform_name if city else ""


# --- the public portal --------------------------------------------------------------------------


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("halaman", "1")))
    except ValueError:
        raise Http404 from None


def _list_part(request, name: str, queryset, heading: str, **extra) -> dict:
    number = _page_number(request)

    def build():
        page = Paginator(queryset, selectors.PAGE_SIZE).get_page(number)
        html = render_to_string(
            "newsroom/portal/_list.html",
            {
                "page": page,
                "stories": list(page.object_list),
                "heading": heading,
                "districts": selectors.districts(),
                "topics": Topic.choices,
                **extra,
            },
        )
        return {"main": html}

    return cache.cached(f"{name}:{number}", build)


def _portal_response(request, part: dict, title: str, *, status: int = 200, head: str = ""):
    return render(
        request,
        "newsroom/portal/page.html",
        {"main": part["main"], "title": title, "head": part.get("head", head)},
        status=status,
    )


@cache.anonymous_page
def portal(request):
    part = _list_part(request, "latest", selectors.published(), _("Berita pewarta warga"))
    return _portal_response(request, part, _("Berita pewarta warga"))


@cache.anonymous_page
def by_region(request, code: str):
    region = selectors.region_by_code(code)
    if region is None:
        raise Http404
    part = _list_part(
        request,
        f"region:{region.code}",
        selectors.published_in(region),
        _("Berita dari %(region)s") % {"region": region.label},
        region=region,
        kelurahan=region.children.order_by("name") if region.level == region.Level.DISTRICT else [],
    )
    return _portal_response(request, part, region.label)


@cache.anonymous_page
def by_tag(request, tag: str):
    if tag not in Topic.values:
        raise Http404
    label = Topic(tag).label
    part = _list_part(
        request,
        f"tag:{tag}",
        selectors.with_tag(selectors.published(), tag),
        _("Topik: %(tag)s") % {"tag": label},
    )
    return _portal_response(request, part, label)


@cache.anonymous_page
def story(request, public_id: str):
    def build():
        found = selectors.public_story(public_id)
        if found is None:
            return {"status": 404}
        if found.status == S.RETRACTED:
            html = render_to_string("newsroom/portal/_retracted.html", {"story": found})
            return {"status": 410, "main": html, "title": found.title}
        url = settings_base() + reverse("newsroom:story", args=[found.public_id])
        line = selectors.byline(found)
        html = render_to_string(
            "newsroom/portal/_story.html",
            {
                "story": found,
                "photos": list(found.photos.all()),
                "corrections": list(found.corrections.all()),
                "replies": found.replies,
                "byline": line,
                "profile_url": selectors.public_profile_link(line["profile"]) if line else None,
                "share_wa": wa_link(f"{found.title} {url}"),
                "url": url,
            },
        )
        return {
            "status": 200,
            "main": html,
            "title": found.title,
            "head": metadata.head(found, _city_name()),
        }

    part = cache.cached(f"story:{public_id}", build)
    if part["status"] == 404:
        raise Http404
    return _portal_response(request, part, part["title"], status=part["status"])


def settings_base() -> str:
    from django.conf import settings

    return settings.BASE_URL


@cache.anonymous_page
def corrections(request):
    def build():
        rows = list(selectors.corrections()[:100])
        return {"main": render_to_string("newsroom/portal/_corrections.html", {"rows": rows})}

    part = cache.cached("corrections", build)
    return _portal_response(request, part, _("Koreksi"))


def photo(request, public_id: str):
    found = StoryPhoto.objects.select_related("story").filter(public_id=public_id).first()
    if found is None:
        raise Http404
    public = found.story.status == S.PUBLISHED
    if not public and not permissions.can_view_story_draft(request.user, found.story):
        raise Http404
    return serve(
        found.image, download_name=f"foto-{found.public_id}.jpg", inline=True, personal=not public
    )


@domain_pages
def complain(request, public_id: str):
    found = Story.objects.filter(public_id=public_id, status=S.PUBLISHED).first()
    if found is None:
        raise Http404
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_complaint(found, request=request, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Pengaduan Anda diterima. Editor menjawab paling lambat 2 × 24 jam."),
            )
            return redirect("newsroom:story", public_id=found.public_id)
    return render(request, "newsroom/portal/complain.html", {"story": found, "form": form})


# --- citizen reporters --------------------------------------------------------------------------


@writer_page
def mine(request):
    return render(
        request, "newsroom/write/mine.html", {"stories": list(selectors.my_stories(request.user))}
    )


@require_POST
@writer_page
def new_story(request):
    created = services.start_story(request.user)
    return redirect("newsroom:write", public_id=created.public_id)


def _own_story(request, public_id: str) -> Story:
    found = selectors.editable_story(public_id)
    if found is None or not permissions.can_view_story_draft(request.user, found):
        raise Http404
    return found


@login_required
@domain_pages
def write(request, public_id: str):
    found = _own_story(request, public_id)
    editable = permissions.can_change_story(request.user, found)
    form = StoryForm(request.POST or None, initial=StoryForm.initial_for(found))
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.save_story(found, request.user, form.data_for_service())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Berita disimpan."))
            return redirect("newsroom:write", public_id=found.public_id)
    return render(
        request,
        "newsroom/write/write.html",
        {
            "story": found,
            "form": form,
            "photo_form": PhotoForm(),
            "editable": editable,
            "photos": list(found.photos.all()),
        },
    )


@require_POST
@login_required
@domain_pages
def autosave(request, public_id: str):
    """The browser's autosave: the text fields; each save that changes them is a revision."""
    found = _own_story(request, public_id)
    data = {k: request.POST[k] for k in ("title", "lead", "body") if k in request.POST}
    try:
        saved, revision = services.save_story(
            found, request.user, data, kind=StoryRevision.Kind.AUTOSAVE
        )
    except DomainError as exc:
        return JsonResponse(
            {"code": exc.code, "detail": str(exc.message), "field": exc.field},
            status=exc.status if exc.status != 400 else 400,
        )
    return JsonResponse(
        {
            "revision": saved.revision_count,
            "new_revision": revision is not None,
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
        }
    )


@require_POST
@login_required
@domain_pages
def add_photo(request, public_id: str):
    found = _own_story(request, public_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        uploaded = data.pop("photo")
        try:
            services.add_photo(found, request.user, uploaded, **data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Foto ditambahkan."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("newsroom:write", public_id=found.public_id)


@require_POST
@login_required
@domain_pages
def remove_photo(request, public_id: str, photo_id: str):
    found = _own_story(request, public_id)
    target = found.photos.filter(public_id=photo_id).first()
    if target is None:
        raise Http404
    try:
        services.remove_photo(target, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("newsroom:write", public_id=found.public_id)


@require_POST
@login_required
@domain_pages
def submit(request, public_id: str):
    found = _own_story(request, public_id)
    try:
        services.submit(found, request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Berita dikirim ke editor."))
    return redirect("newsroom:write", public_id=found.public_id)


# --- the editors' desk --------------------------------------------------------------------------


@editor_page
def desk(request):
    filters = selectors.DeskFilters.from_query(request.GET)
    rows = list(selectors.desk(filters, request.user)[:200])
    counts = selectors.status_counts()
    return render(
        request,
        "newsroom/desk/queue.html",
        {
            "rows": rows,
            "filters": filters,
            "counts": [(value, label, counts[value]) for value, label in S.choices],
            "districts": selectors.districts(),
            "statuses": S.choices,
            "open_complaints": selectors.open_complaints().count(),
            "now": timezone.now(),
        },
    )


@editor_page
def complaints(request):
    return render(
        request,
        "newsroom/desk/complaints.html",
        {
            "open": list(selectors.open_complaints()),
            "decided": list(selectors.decided_complaints()[:50]),
            "now": timezone.now(),
        },
    )


@editor_page
def complaint(request, public_id: str):
    found = Complaint.objects.select_related("story").filter(public_id=public_id).first()
    if found is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_complaint(found, request.user, request=request, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Hasil pengaduan dicatat."))
            return redirect("newsroom:complaints")
    return render(
        request,
        "newsroom/desk/complaint.html",
        {"complaint": found, "form": form, "now": timezone.now()},
    )


@editor_page
def reporters(request):
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["username"].strip()
        person = (
            User.objects.filter(username=name).first()
            or User.objects.filter(email__iexact=name).first()
        )
        if person is None:
            form.add_error("username", _("Pengguna tidak ditemukan."))
        else:
            services.grant_reporter(request.user, person)
            messages.success(
                request, _("%(name)s sekarang bisa menulis berita.") % {"name": person}
            )
            return redirect("newsroom:reporters")
    from .models import ReporterGrant

    grants = list(
        ReporterGrant.objects.select_related("user", "granted_by").order_by("-granted_at")
    )
    return render(request, "newsroom/desk/reporters.html", {"form": form, "grants": grants})


def _desk_story(public_id: str) -> Story:
    found = selectors.editable_story(public_id)
    if found is None or found.status == S.DRAFT:
        raise Http404
    return found


@editor_page
def review(request, public_id: str):
    found = _desk_story(public_id)
    return render(
        request,
        "newsroom/desk/review.html",
        {
            "story": found,
            "photos": list(found.photos.all()),
            "holder": lock_holder(found),
            "actions": services.allowed_actions(found),
            "revisions": list(
                found.revisions.select_related("created_by").order_by("-number")[:30]
            ),
            "notes_form": NotesForm(),
            "reject_form": RejectForm(),
            "publish_form": PublishForm(),
            "correct_form": CorrectForm(
                initial={"title": found.title, "lead": found.lead, "body": found.body}
            ),
            "retract_form": RetractForm(),
            "complaints": list(found.complaints.order_by("due_at")),
        },
    )


@editor_page
def comparison(request, public_id: str):
    found = _desk_story(public_id)
    against = request.GET.get("dengan", "submitted")
    if against not in ("submitted", "published"):
        raise Http404
    return render(
        request,
        "newsroom/desk/compare.html",
        {"story": found, "against": against, "result": services.compare(found, against)},
    )


ACTION_FORMS = {
    "request_changes": NotesForm,
    "reject": RejectForm,
    "publish": PublishForm,
    "correct": CorrectForm,
    "retract": RetractForm,
}


@require_POST
@editor_page
def act(request, public_id: str, action: str):
    action = action.replace("-", "_")
    if action not in services.ACTIONS or action == "submit":
        raise Http404
    found = _desk_story(public_id)
    kwargs = {}
    form_class = ACTION_FORMS.get(action)
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("newsroom:review", public_id=found.public_id)
        kwargs = dict(form.cleaned_data)
    try:
        services.run(action, found, request.user, request=request, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("newsroom:review", public_id=found.public_id)
