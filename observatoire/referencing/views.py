"""The public side of referencing: the form, the e-mail confirmation and the follow-up page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatoire.core.antispam import client_address, form_stamp, rate_count, rate_hit
from observatoire.organizations.models import Organization

from . import services
from .forms import (
    MAX_CONTACTS,
    ContactFormSet,
    ReferencingForm,
    contact_initial,
    request_initial,
)
from .notifications import follow_path
from .selectors import public_matches
from .tokens import CONFIRM, FOLLOW, request_from_token

CONTACTS_PREFIX = "contacts"
NO_MATCH = "none"


def _submission_key(request) -> str:
    return f"referencing:submissions:{client_address(request)}"


def _with_one_more_contact(data):
    data = data.copy()
    key = f"{CONTACTS_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "1"))
    except ValueError:
        total = 1
    data[key] = str(max(1, min(total + 1, MAX_CONTACTS)))
    return data


def _error_summary(form, formset) -> list[tuple[str, str, str]]:
    """(target id, label, message) for every error, for the summary at the top of the page."""
    if form is None or not form.is_bound:
        return []
    summary = []
    for name, errors in form.errors.items():
        target = form[name].auto_id if name in form.fields else ""
        label = form.fields[name].label if name in form.fields else ""
        summary += [(target, label, error) for error in errors]
    for index, contact_form in enumerate(formset.forms, start=1):
        for name, errors in contact_form.errors.items():
            if name not in contact_form.fields:
                continue
            label = _("Contact %(number)s: %(field)s") % {
                "number": index,
                "field": contact_form.fields[name].label,
            }
            summary += [(contact_form[name].auto_id, label, error) for error in errors]
    summary += [("contacts", _("Contacts"), error) for error in formset.non_form_errors()]
    return summary


def _render_form(request, form, formset, *, matches=None, status=200):
    return render(
        request,
        "referencing/form.html",
        {
            "form": form,
            "formset": formset,
            "matches": matches or [],
            "chosen_match": request.POST.get("match", "") if request.method == "POST" else "",
            "error_summary": _error_summary(form, formset),
            "can_add_contact": formset.total_form_count() < MAX_CONTACTS,
        },
        status=status,
    )


def request_form(request):
    """The public referencing form: identity, address, tags, contacts, then “is this you?”."""
    if request.method != "POST":
        return _render_form(request, ReferencingForm(), ContactFormSet(prefix=CONTACTS_PREFIX))

    data = request.POST
    if "add_contact" in data:
        data = _with_one_more_contact(data)
        form = ReferencingForm(data)
        formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
        return _render_form(request, form, formset)

    form = ReferencingForm(data)
    verdict = form.spam_verdict()
    if verdict == "honeypot":
        # A robot filled the hidden field: it is told all went well and nothing is kept.
        rate_hit(_submission_key(request), settings.REFERENCING_RATE_WINDOW)
        return redirect("referencing:sent")
    if rate_count(_submission_key(request)) >= settings.REFERENCING_RATE_LIMIT:
        messages.error(
            request,
            _(
                "Too many requests were sent from your connection. Please try again in an hour, "
                "or write to us at %(email)s."
            )
            % {"email": settings.NETWORK_CONTACT_EMAIL},
        )
        formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
        return _render_form(request, form, formset, status=429)
    if verdict:
        data = data.copy()
        if verdict == "stale":
            data["started"] = form_stamp()
        form = ReferencingForm(data)
        formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
        form.is_valid()
        formset.is_valid()
        messages.warning(
            request,
            _(
                "The form was sent very quickly, or had been open for a long time. "
                "Please check your answers and send it again."
            ),
        )
        return _render_form(request, form, formset)

    formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
    form_valid = form.is_valid()
    formset_valid = formset.is_valid()
    matches = public_matches(form.organization_data()) if form.cleaned_data.get("name") else []
    if not (form_valid and formset_valid):
        return _render_form(request, form, formset, matches=matches)
    choice = data.get("match", "")
    if matches and choice not in {str(m.pk) for m in matches} | {NO_MATCH}:
        return _render_form(request, form, formset, matches=matches)
    target = None
    if matches and choice != NO_MATCH:
        target = Organization.objects.filter(pk=int(choice)).first()
    try:
        referencing_request = services.referencing_request_submit(
            data=form.organization_data(),
            contacts=formset.contacts_data(),
            requester_email=form.cleaned_data["requester_email"],
            target_organization=target,
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, form, formset, matches=matches)
    rate_hit(_submission_key(request), settings.REFERENCING_RATE_WINDOW)
    request.session["referencing_sent_to"] = referencing_request.requester_email
    return redirect("referencing:sent")


def request_sent(request):
    return render(
        request,
        "referencing/sent.html",
        {"email": request.session.get("referencing_sent_to", "")},
    )


MATCHES_PER_MINUTE = 60


@require_GET
def request_matches(request):
    """Listed organisations resembling what is being typed, for the form's suggestions."""
    key = f"referencing:matches:{client_address(request)}"
    if rate_count(key) >= MATCHES_PER_MINUTE:
        return JsonResponse({"matches": []}, status=429)
    rate_hit(key, 60)
    name = (request.GET.get("name") or "")[:255].strip()
    if len(name) < 3:
        return JsonResponse({"matches": []})
    form = ReferencingForm({"name": name, "commune_query": request.GET.get("commune", "")[:120]})
    form.is_valid()  # only the name and the commune are used; the other errors do not matter
    data = {"name": name, "commune": form.cleaned_data.get("commune")}
    matches = public_matches(data)
    return JsonResponse(
        {"matches": [{"name": m.name, "town": m.town, "kind": m.kind} for m in matches]}
    )


def _invalid_link(request):
    return render(request, "referencing/invalid_link.html", status=404)


def request_confirm(request, token: str):
    """The link of the first e-mail: confirming the address puts the request in the queue."""
    referencing_request = request_from_token(token, CONFIRM)
    if referencing_request is None:
        return _invalid_link(request)
    follow = follow_path(referencing_request)
    if referencing_request.email_confirmed_at is not None:
        return redirect(follow)
    if request.method == "POST":
        services.referencing_request_confirm(referencing_request=referencing_request)
        messages.success(
            request,
            _(
                "Thank you, your address is confirmed: our team will examine your request. "
                "We also sent you the link to this page."
            ),
        )
        return redirect(follow)
    return render(request, "referencing/confirm.html", {"request_obj": referencing_request})


def request_follow(request, token: str):
    """The requester's page, reached from the e-mailed link: see and complete the request."""
    referencing_request = request_from_token(token, FOLLOW)
    if referencing_request is None or referencing_request.email_confirmed_at is None:
        return _invalid_link(request)
    editable = referencing_request.is_open
    form = formset = None
    if editable:
        if request.method == "POST":
            data = request.POST
            if "add_contact" in data:
                data = _with_one_more_contact(data)
            form = ReferencingForm(data)
            formset = ContactFormSet(data, prefix=CONTACTS_PREFIX)
            if "add_contact" not in data and form.is_valid() and formset.is_valid():
                contacts = formset.contacts_data()
                try:
                    services.referencing_request_complete(
                        referencing_request=referencing_request,
                        data=form.organization_data(),
                        contacts=contacts,
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(request, _("Your request is updated. Thank you."))
                    return redirect(request.path)
        else:
            form = ReferencingForm(initial=request_initial(referencing_request))
            formset = ContactFormSet(
                prefix=CONTACTS_PREFIX,
                initial=[contact_initial(c) for c in referencing_request.contacts.all()],
            )
    return render(
        request,
        "referencing/follow.html",
        {
            "request_obj": referencing_request,
            "form": form,
            "formset": formset,
            "error_summary": _error_summary(form, formset),
            "can_add_contact": formset is not None and formset.total_form_count() < MAX_CONTACTS,
            "matches": [],
        },
    )
