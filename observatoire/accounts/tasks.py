from django_tasks import task

from .signin_links import signin_link_mail


@task()
def send_signin_link(*, email: str, base_url: str, language: str = "") -> bool:
    return signin_link_mail(email=email, base_url=base_url, language=language)
