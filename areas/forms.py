"""Form helpers shared by every app (they live in the bottom layer so that all may use them)."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's control characters (C0, DEL and C1). Nobody types them; pasted in, they break
# spreadsheets, terminals and printed minutes. Tab is allowed in any text, a line break (with the
# carriage return browsers send before it) only in text of several lines.
# The marks that reverse or reorder the text shown are refused too: a title that reads backwards.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_CHARACTERS_MESSAGE = _("Teks memuat karakter kendali yang tidak sah.")


def has_control_characters(text: str, *, multiline: bool) -> bool:
    """Whether `text` holds a control character its kind of field does not allow."""
    return bool((_CONTROL_MULTILINE if multiline else _CONTROL_ONE_LINE).search(text))


class NoControlCharacters:
    """Validator refusing control characters; `multiline` lets line breaks through."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value, multiline=self.multiline):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


class StyledBoundField(forms.BoundField):
    """Marks an invalid field for the eye too (Django already sets aria-invalid)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors:
            # These attrs replace the widget's own, so its class is carried over.
            base = attrs.get("class", (widget or self.field.widget).attrs.get("class", ""))
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


class StyledFormMixin:
    """Give every widget its Bootstrap class, and refuse control characters in every text field
    (passwords aside: they are never stored as typed)."""

    bound_field_class = StyledBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.CharField) and not isinstance(widget, forms.PasswordInput):
                # Each form holds copies of its fields: this never reaches the class's own.
                multiline = isinstance(widget, forms.Textarea)
                field.validators.append(NoControlCharacters(multiline=multiline))
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SignInForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya; "
            "huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class OwnPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    """An official's change of their own password, checked by AUTH_PASSWORD_VALIDATORS."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Kata sandi lama salah. Ketik lagi."),
        "password_mismatch": _("Kedua kata sandi baru tidak sama."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""
