"""Signals of the projects app.

`public_content_changed` is sent when a user changed what a project's public page shows: its
details and places, its partners, or a public news item (`update`). The organisation space's
moderation listens to it: a change an organisation editor makes to a published project waits
for the network's team. Receivers return a message for the user, or None.
"""

from django.dispatch import Signal

public_content_changed = Signal()


def public_change_messages(*, project, user, update=None) -> list[str]:
    """Tell the listeners that `user` changed the public content of `project`; their messages."""
    responses = public_content_changed.send(
        sender=type(project), project=project, user=user, update=update
    )
    return [str(message) for _receiver, message in responses if message]
