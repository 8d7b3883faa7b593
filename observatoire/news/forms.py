from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from observatoire.core.images import validate_image_upload

from .models import NewsItem


class NewsItemAdminForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = [
            "title",
            "slug",
            "organization",
            "language",
            "summary",
            "body",
            "image",
            "image_alt",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the address is made from the title when the item is saved.
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Left empty, it is made from the title.")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            validate_image_upload(image)
        return image

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("image") and not cleaned_data.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned_data

    def new_image(self) -> UploadedFile | None:
        """The file uploaded in this submission, if any (not the one already stored)."""
        image = self.cleaned_data.get("image")
        return image if isinstance(image, UploadedFile) else None
