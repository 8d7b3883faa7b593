from django_tasks import task

from . import collect, services


@task()
def expire_watch_items() -> int:
    return services.expire_due()


@task()
def collect_watch_feeds() -> int:
    return len(collect.collect_due_feeds())


@task()
def collect_watch_feed(*, feed_id: int) -> str:
    from .models import WatchFeed

    feed = WatchFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return "gone"
    return collect.collect_feed(feed=feed).error or "ok"
