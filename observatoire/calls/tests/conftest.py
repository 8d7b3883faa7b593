import pytest


@pytest.fixture(autouse=True)
def _attachments_root(settings, tmp_path):
    """Applicants' files go to a temporary folder, never to the data folder."""
    settings.CALLS_ATTACHMENTS_ROOT = tmp_path / "calls-attachments"


@pytest.fixture(autouse=True)
def _mails_at_once(request, monkeypatch):
    """A test's transaction never commits: send the calls' mails at once instead of after it.

    The referencing request's confirmation still waits for the commit (its own app tests it).
    """
    from observatoire.calls import notifications

    def send_now(send, **kwargs):
        if not notifications._muted.get():
            send(**kwargs)

    monkeypatch.setattr(notifications, "after_commit", send_now)
