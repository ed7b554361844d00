"""Forms of the trainings pages, one module per use case; they parse and check input, services
decide and write. The names the views use (`from ..forms import TrainingForm`…) are all here.

- editing: the training, its sessions and quota categories (formsets and their initial rows),
  duplicating and cancelling a training;
- registration: the registration form (with the training's questions) and registering
  someone else;
- messaging: a message to a group of participants;
- checkin: the ticket code at the door;
- scores: importing test scores from a file;
- feedback: the participant's ratings, open answers and comment;
- catalogue: the public catalogue's filters.

The question editor and the questions' fields are in ``question_forms``.
"""

from .catalogue import CatalogueFilterForm  # noqa: F401
from .checkin import CheckinForm  # noqa: F401
from .editing import (  # noqa: F401
    DATETIME_FORMAT,
    BaseCategoryFormSet,
    BaseSessionFormSet,
    CancelTrainingForm,
    CategoryForm,
    CategoryFormSet,
    DateTimeLocalInput,
    DuplicateTrainingForm,
    SessionForm,
    SessionFormSet,
    TrainingForm,
    category_initial,
    datetime_field,
    session_initial,
)
from .feedback import RATING_CHOICES, FeedbackForm  # noqa: F401
from .messaging import GroupMessageForm  # noqa: F401
from .registration import RegisterOtherForm, RegistrationForm, kelurahan_choices  # noqa: F401
from .scores import ScoreImportForm  # noqa: F401
