"""The gate on production work: who may claim, be assigned, open or download a
production dictation, and of which templates.

A trainee may not; a transcriptionist sent back to training may not until they pass
again; a transcriptionist certified for some templates only gets dictations of those
(``certified_templates``; None for every template). Training attempts are dictations of
kind "training" and never pass through here.
"""

from __future__ import annotations

from scribedesk.domain.roles import Role
from scribedesk.server.db.models import User
from scribedesk.server.errors import Forbidden

PRODUCTION, TRAINING = "production", "training"


def production_refusal(user: User) -> str | None:
    """Why ``user`` may not work on production dictations now (None: they may)."""
    if user.role == Role.TRAINEE.value:
        return (
            "You are in training: production dictations open to you once a trainer certifies you."
        )
    if user.role == Role.TRANSCRIPTIONIST.value and user.production_hold:
        return f"Production work is stopped for you: {user.production_hold}"
    return None


def check_production(user: User, template_id: str | None = None) -> None:
    """Forbidden with the reason when ``user`` may not work on production dictations
    (of ``template_id``, when given)."""
    refusal = production_refusal(user)
    if refusal is not None:
        raise Forbidden(refusal)
    allowed = user.certified_templates
    if template_id is not None and allowed is not None and template_id not in allowed:
        raise Forbidden(
            f"You are not certified for the template {template_id!r}; you are certified "
            f"for: {', '.join(allowed) or 'none yet'}."
        )


def allowed_templates(user: User) -> list[str] | None:
    """The templates whose dictations ``user`` may claim (None: every template)."""
    allowed = user.certified_templates
    return None if allowed is None else [str(t) for t in allowed]
