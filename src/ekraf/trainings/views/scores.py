"""After the sessions: scores typed or imported, completion, and the feedback summary."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError

from .. import selectors, services
from ..forms import (
    ScoreImportForm,
)
from ..imports import LIMITS, ImportFileError, read_upload
from .base import organiser_page
from .manage import _warn_certificate_basis


def _score_text(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@organiser_page
def manage_scores(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    rows = selectors.score_grid(training)
    for r in rows:
        r.pre_input, r.post_input = _score_text(r.pre_test_score), _score_text(r.post_test_score)
    errors = {}
    if request.method == "POST":
        scores = {
            r.pk: (request.POST.get(f"pre_{r.pk}", ""), request.POST.get(f"post_{r.pk}", ""))
            for r in rows
        }
        try:
            changed = services.save_score_grid(request.user, training, scores)
        except DomainError as exc:
            for r in rows:  # keep what was typed
                r.pre_input, r.post_input = scores[r.pk]
            errors["grid"] = exc.message
        else:
            messages.success(request, _("%(n)s nilai peserta tersimpan.") % {"n": changed})
            _warn_certificate_basis(request, training)
            return redirect("trainings:manage_scores", training.public_id)
    return render(
        request,
        "trainings/manage/scores.html",
        {
            "training": training,
            "rows": rows,
            "sessions_total": len(training.sessions.all()),
            "import_form": ScoreImportForm(),
            "errors": errors,
        },
    )


def _import_key(training) -> str:
    return f"trainings.score_import.{training.public_id}"


SCORE_SHEET = "trainings.scores"


@organiser_page
def manage_score_import(request, public_id):
    """Upload → preview (which attempt counts can be changed on the preview) → save. The file
    waits as a StoredSheet (core.spreadsheets), only its id in the session."""
    from ekraf.core import spreadsheets

    training = selectors.training_for_manager(request.user, public_id)
    if request.method != "POST":
        return redirect("trainings:manage_scores", training.public_id)
    key = _import_key(training)
    step = request.POST.get("step")
    if step in ("apply", "repreview"):
        kept = request.session.get(key) or {}
        sheet = spreadsheets.stored(request.user, SCORE_SHEET, kept.get("sheet", ""))
        if sheet is None:
            messages.error(request, _("Pratinjau sudah kedaluwarsa; unggah ulang berkasnya."))
            return redirect("trainings:manage_scores", training.public_id)
        attempt = request.POST.get("attempt") or kept.get("attempt", "latest")
        try:
            with sheet.file.open("rb") as fh:
                rows = read_upload(fh)
            preview = services.preview_score_import(
                request.user, training, rows, kept["test"], attempt
            )
            if step == "repreview":
                request.session[key] = {**kept, "attempt": preview.attempt}
                return render(
                    request,
                    "trainings/manage/score_import.html",
                    {
                        "training": training,
                        "preview": preview,
                        "form": None,
                        "attempt_choices": services.attempt_choices(),
                    },
                )
            n = services.apply_score_import(
                request.user,
                training,
                preview,
                skip_problems=request.POST.get("skip_problems") == "1",
            )
        except (DomainError, ImportFileError) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc))
            return redirect("trainings:manage_scores", training.public_id)
        spreadsheets.discard(sheet)
        del request.session[key]
        messages.success(request, _("%(n)s nilai diimpor.") % {"n": n})
        _warn_certificate_basis(request, training)
        return redirect("trainings:manage_scores", training.public_id)
    form = ScoreImportForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_upload(upload)
            preview = services.preview_score_import(
                request.user,
                training,
                rows,
                form.cleaned_data["test"],
                form.cleaned_data["attempt"] or "latest",
            )
            sheet = spreadsheets.keep(request.user, SCORE_SHEET, upload, LIMITS)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            old = request.session.get(key) or {}
            spreadsheets.discard(spreadsheets.stored(request.user, SCORE_SHEET, old.get("sheet")))
            request.session[key] = {
                "sheet": sheet.public_id,
                "test": form.cleaned_data["test"],
                "attempt": form.cleaned_data["attempt"] or "latest",
            }
    return render(
        request,
        "trainings/manage/score_import.html",
        {
            "training": training,
            "form": form,
            "preview": preview,
            "attempt_choices": services.attempt_choices(),
        },
    )


@organiser_page
@require_POST
def manage_completion(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    try:
        counts = services.compute_completion(request.user, training)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Kelulusan dihitung: %(ok)s lulus, %(no)s belum lulus.")
            % {"ok": counts["completed"], "no": counts["not_completed"]},
        )
        _warn_certificate_basis(request, training)
    return redirect("trainings:manage_scores", training.public_id)


@organiser_page
def manage_feedback(request, public_id):
    from ekraf.insights import charts

    training = selectors.training_for_manager(request.user, public_id)
    summary = selectors.feedback_summary(training)
    rated = [a for a in summary.aspects if a.count]
    averages = (
        charts.bars(
            "fb-rata",
            _("Rata-rata penilaian per aspek (1–5)"),
            [(a.label, float(a.average)) for a in rated],
        )
        if rated
        else ""
    )
    aspect_charts = [
        (
            a,
            charts.bars(
                f"fb-{a.key}",
                _("Sebaran nilai %(aspect)s") % {"aspect": a.label.lower()},
                [(f"{rating} ★", n) for rating, n in a.distribution],
            ),
        )
        for a in rated
    ]
    return render(
        request,
        "trainings/manage/feedback.html",
        {
            "training": training,
            "summary": summary,
            "averages_chart": averages,
            "aspect_charts": aspect_charts,
        },
    )
