from django_tasks import task

from . import services


@task()
def send_campaign(campaign_id: int) -> dict:
    """Send what is due of a campaign (one run at a time; see services.campaign_send)."""
    return services.campaign_send(campaign_id=campaign_id)


@task()
def sweep_campaigns() -> list[int]:
    """Every minute: start scheduled campaigns, resume interrupted ones, run due retries."""
    return services.sweep()
