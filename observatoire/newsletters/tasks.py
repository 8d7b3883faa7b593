from django_tasks import task


@task()
def read_bounce_mailbox() -> int:
    """Read the bounce mailbox (IMAP or Maildir) when one is configured."""
    from .bounces import read_configured_mailbox

    return read_configured_mailbox()
