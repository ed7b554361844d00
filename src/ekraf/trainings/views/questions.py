"""The organiser's page for what a training asks its registrants: required profile fields
and the training's own questions (add, edit, reorder, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError

from .. import selectors, services
from ..models import Training
from ..question_forms import QuestionFormSet, RequiredFieldsForm, ordered_inputs, question_initial
from .base import organiser_page


@organiser_page
def manage_questions(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    if training.status in (Training.Status.FINISHED, Training.Status.CANCELLED):
        messages.warning(
            request, _("Pelatihan yang sudah selesai atau dibatalkan tidak bisa diubah.")
        )
        return redirect("trainings:manage_detail", training.public_id)
    questions = list(training.questions.all())
    data = request.POST if request.method == "POST" else None
    fields_form = RequiredFieldsForm(
        data, initial={"required_profile_fields": services.required_profile_fields(training)}
    )
    formset = QuestionFormSet(data, prefix="tanya", initial=question_initial(questions))
    error = ""
    if request.method == "POST" and fields_form.is_valid() and formset.is_valid():
        try:
            services.save_questions(
                request.user,
                training,
                ordered_inputs(formset),
                fields_form.cleaned_data["required_profile_fields"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Pertanyaan pendaftaran tersimpan."))
            return redirect("trainings:manage_questions", training.public_id)
    answered = set(
        training.questions.filter(answers__isnull=False).values_list("pk", flat=True).distinct()
    )
    return render(
        request,
        "trainings/manage/questions.html",
        {
            "training": training,
            "fields_form": fields_form,
            "formset": formset,
            "error": error,
            "answered": answered,
        },
    )
