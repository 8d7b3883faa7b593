from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.referencing.forms import AccessibleFormMixin


class SigninLinkForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
