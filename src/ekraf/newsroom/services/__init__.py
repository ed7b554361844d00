"""Every write of the newsroom: writing (drafts, autosave revisions, photos), the workflow
(the one table of transitions), complaints; comparisons for the editor."""

from .compare import compare, word_diff
from .complaints import decide_complaint, file_complaint
from .workflow import (
    ACTIONS,
    TRANSITIONS,
    allowed_actions,
    approve,
    correct,
    publish,
    publish_due,
    reject,
    request_changes,
    retract,
    review,
    run,
    submit,
)
from .writing import add_photo, grant_reporter, remove_photo, save_story, start_story

__all__ = [
    "ACTIONS",
    "TRANSITIONS",
    "add_photo",
    "allowed_actions",
    "approve",
    "compare",
    "correct",
    "decide_complaint",
    "file_complaint",
    "grant_reporter",
    "publish",
    "publish_due",
    "reject",
    "remove_photo",
    "request_changes",
    "retract",
    "review",
    "run",
    "save_story",
    "start_story",
    "submit",
    "word_diff",
]
