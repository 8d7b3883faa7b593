"""Staff pages of the watch (/espace/veille/): the queue, entry and qualification, feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from . import collect, selectors, services
from .access import access_watch, can_edit_watch
from .forms import MergeForm, WatchFeedForm, WatchItemForm
from .models import WatchFeed, WatchItem

PAGE_SIZE = 50
TAB_LABELS = {
    WatchItem.Status.TO_QUALIFY: pgettext_lazy("watch tab", "To qualify"),
    WatchItem.Status.PUBLISHED: pgettext_lazy("watch tab", "Published"),
    WatchItem.Status.EXPIRED: pgettext_lazy("watch tab", "Expired"),
    WatchItem.Status.DISCARDED: pgettext_lazy("watch tab", "Discarded"),
}


def _tab_url(status: str) -> str:
    return f"{reverse('watch_staff:queue')}?statut={status}"


@login_required
def queue(request):
    """The items by status, each tab with its count; « À qualifier » first."""
    access_watch(request.user)
    status = request.GET.get("statut", "")
    if status not in WatchItem.Status.values:
        status = WatchItem.Status.TO_QUALIFY
    counts = selectors.queue_counts()
    tabs = [(value, TAB_LABELS[value], counts[value]) for value in WatchItem.Status.values]
    page = Paginator(selectors.queue_items(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "watch/staff/queue.html",
        {"tabs": tabs, "status": status, "page": page, "can_edit": can_edit_watch(request.user)},
    )


def _save_item(request, form: WatchItemForm, item: WatchItem | None):
    """Save the form's item (and publish it when asked); None with the errors on the form."""
    publish = "publish" in request.POST
    try:
        if item is None:
            item = services.watch_item_create(
                user=request.user, eligibility=form.eligibility(), **form.plain_values()
            )
        else:
            item = services.watch_item_update(
                item=item, user=request.user, eligibility=form.eligibility(), **form.plain_values()
            )
        if publish:
            services.watch_item_publish(item=item, user=request.user)
    except ValidationError as error:
        _field_errors(form, error)
        return None
    return item


def _field_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def item_create(request):
    access_watch(request.user, write=True)
    form = WatchItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = _save_item(request, form, None)
        if item is not None:
            messages.success(request, _message(item))
            return redirect("watch_staff:queue")
    return render(request, "watch/staff/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk: int):
    """Qualify: correct the item and publish it from the same screen."""
    access_watch(request.user)
    item = get_object_or_404(WatchItem, pk=pk)
    can_edit = can_edit_watch(request.user)
    if request.method == "POST":
        access_watch(request.user, write=True)
    form = WatchItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = _save_item(request, form, item)
        if saved is not None:
            messages.success(request, _message(saved))
            return redirect(_tab_url(saved.status))
    return render(
        request,
        "watch/staff/item_form.html",
        {
            "form": form,
            "item": item,
            "can_edit": can_edit,
            "sources": item.sources.select_related("feed").order_by("seen_at"),
            "merge_form": MergeForm(duplicate=item),
        },
    )


def _message(item: WatchItem) -> str:
    if item.status == WatchItem.Status.PUBLISHED:
        return _("« %(title)s » is published.") % {"title": item.title}
    return _("« %(title)s » is saved.") % {"title": item.title}


@login_required
@require_POST
def item_discard(request, pk: int):
    access_watch(request.user, write=True)
    item = get_object_or_404(WatchItem, pk=pk)
    previous = item.status
    services.watch_item_discard(item=item, user=request.user)
    messages.success(request, _("« %(title)s » is discarded.") % {"title": item.title})
    return redirect(_tab_url(previous))


@login_required
@require_POST
def item_merge(request, pk: int):
    """Merge this item (a duplicate) into the one chosen; the survivor's page opens."""
    access_watch(request.user, write=True)
    duplicate = get_object_or_404(WatchItem, pk=pk)
    form = MergeForm(request.POST, duplicate=duplicate)
    if form.is_valid():
        survivor = services.watch_item_merge(
            duplicate=duplicate, survivor=form.cleaned_data["survivor"], user=request.user
        )
        messages.success(
            request,
            _("« %(duplicate)s » is merged into « %(survivor)s ».")
            % {"duplicate": duplicate.title, "survivor": survivor.title},
        )
        return redirect("watch_staff:item_edit", pk=survivor.pk)
    item_form = WatchItemForm(instance=duplicate)
    return render(
        request,
        "watch/staff/item_form.html",
        {
            "form": item_form,
            "item": duplicate,
            "can_edit": True,
            "sources": duplicate.sources.select_related("feed").order_by("seen_at"),
            "merge_form": form,
        },
        status=400,
    )


@login_required
def feeds(request):
    access_watch(request.user)
    return render(
        request,
        "watch/staff/feeds.html",
        {"feeds": selectors.feeds_overview(), "can_edit": can_edit_watch(request.user)},
    )


@login_required
def feed_form(request, pk: int | None = None):
    access_watch(request.user, write=True)
    feed = get_object_or_404(WatchFeed, pk=pk) if pk else WatchFeed()
    form = WatchFeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid():
        feed = form.save(commit=False)
        try:
            services.watch_feed_save(feed=feed, default_themes=form.cleaned_data["default_themes"])
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("The feed « %(name)s » is saved.") % {"name": feed.name})
            return redirect("watch_staff:feeds")
    return render(request, "watch/staff/feed_form.html", {"form": form, "feed": feed})


@login_required
@require_POST
def feed_toggle(request, pk: int):
    access_watch(request.user, write=True)
    feed = get_object_or_404(WatchFeed, pk=pk)
    services.watch_feed_set_active(feed=feed, active=not feed.is_active)
    if feed.is_active:
        messages.success(request, _("The feed « %(name)s » is read again.") % {"name": feed.name})
    else:
        messages.success(request, _("The feed « %(name)s » is paused.") % {"name": feed.name})
    return redirect("watch_staff:feeds")


@login_required
@require_POST
def feed_read(request, pk: int):
    """« Lire maintenant »: read the feed in the request, and say what it brought."""
    access_watch(request.user, write=True)
    feed = get_object_or_404(WatchFeed, pk=pk)
    result = collect.collect_feed(feed=feed)
    if result.error:
        messages.error(
            request,
            _("The feed « %(name)s » could not be read: %(error)s")
            % {"name": feed.name, "error": result.error},
        )
    elif result.not_modified:
        messages.info(request, _("Nothing new in « %(name)s ».") % {"name": feed.name})
    else:
        messages.success(
            request,
            _("« %(name)s » read: new items %(new)s, already known %(known)s.")
            % {
                "name": feed.name,
                "new": result.new,
                "known": result.seen_again + result.duplicates,
            },
        )
    return redirect("watch_staff:feeds")
