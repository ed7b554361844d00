"""Background jobs of the trainings app. Each is idempotent: running one twice, or two
workers at once, changes nothing more than running it once (see services.expire_offers and
services.send_reminders). The periodic scheduler calls the services directly; these tasks let
an operator or another job queue them on the worker."""

from django_tasks import task

from . import services


@task()
def expire_offers() -> int:
    return services.expire_offers()


@task()
def send_reminders() -> int:
    return services.send_reminders()


@task()
def compute_completion(training_id: int) -> dict:
    from .models import Training

    training = Training.objects.filter(pk=training_id).first()
    if training is None:
        return {}
    return services._compute_completion(training)
