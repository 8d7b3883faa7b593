"""Back-office screen of the attendee import, under /gestion/ with the admin's look.

The event's own back-office page (events/admin.py) links here: `events_import:attendees`.
"""

import os
import uuid

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.accounts.access import can_edit_register
from observatoire.imports.reading import ReadError

from .importers import FIELDS, registrations_import
from .models import Event

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_SALT = "observatoire.events.import-file"


class AttendeeFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendee list (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per person, with columns for the first name, the last name and the e-mail "
            "address; the organisation and the country of residence are optional."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _stored_path(token: str) -> str | None:
    try:
        return signing.loads(token or "", salt=UPLOAD_SALT, max_age=3600)
    except signing.BadSignature:
        return None


def import_registrations(request, pk: int):
    """Check an attendee list row by row, then register the people it lists."""
    if not can_edit_register(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=pk)
    form = AttendeeFileForm()
    result = None
    token = ""
    if request.method == "POST" and "token" in request.POST:
        path = _stored_path(request.POST["token"])
        if path is None or not default_storage.exists(path):
            messages.error(request, _("The checked file is no longer available: send it again."))
            return redirect("events_import:attendees", event.pk)
        with default_storage.open(path, "rb") as file:
            result = registrations_import(event=event, file=file, user=request.user)
        default_storage.delete(path)
        messages.success(
            request,
            _("%(created)d registration(s) imported, %(skipped)d row(s) skipped.")
            % {"created": result.created, "skipped": result.skipped},
        )
        done = True
    else:
        done = False
        if request.method == "POST":
            form = AttendeeFileForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = registrations_import(
                        event=event, file=upload, user=request.user, dry_run=True
                    )
                except ReadError as error:
                    form.add_error("file", str(error))
                else:
                    if result.missing_columns:
                        form.add_error(
                            "file",
                            _("No column found for: %(fields)s.")
                            % {"fields": ", ".join(result.missing_columns)},
                        )
                        result = None
                    elif result.created:
                        upload.seek(0)
                        extension = os.path.splitext(upload.name or "")[1][:6] or ".csv"
                        path = default_storage.save(
                            f"imports/events/{uuid.uuid4()}{extension}",
                            ContentFile(upload.read()),
                        )
                        token = signing.dumps(path, salt=UPLOAD_SALT)
    return render(
        request,
        "events/staff/import_attendees.html",
        {
            **admin.site.each_context(request),
            "opts": Event._meta,
            "title": _("Import attendees: %(title)s") % {"title": event.title},
            "event": event,
            "form": form,
            "result": result,
            "token": token,
            "done": done,
            "fields": FIELDS,
        },
    )
