"""Every permission decision of the platform, in one place: this package.

Services call these before they write or read, so a page and the API cannot disagree. A user's
roles are read once per request and cached on the user object.

Scoping rule: organisers and agency staff act only for the agencies they belong to. The creator
registry is the city's (every agency may look for talent in it); what an agency owns — its
imports, trainings, registrations, certificates — is visible only to that agency's staff and
to administrators.

One module per capability (roles.py holds who-holds-what and the agency scoping every other
module builds on); callers import the package and never a module of it, so a rule can move
between modules without touching them: `permissions.can_manage_training(user, training)`.
"""

from .creators import *  # noqa: F403
from .credentials import *  # noqa: F403
from .insights import *  # noqa: F403
from .newsroom import *  # noqa: F403
from .programs import *  # noqa: F403
from .roles import *  # noqa: F403
from .security import *  # noqa: F403
from .spaces import *  # noqa: F403
from .talent import *  # noqa: F403
from .trainings import *  # noqa: F403
