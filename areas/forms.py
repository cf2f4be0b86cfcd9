"""Form helpers shared by every app (they live in the bottom layer so that all may use them)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
    """Give every widget its Bootstrap class."""

    bound_field_class = StyledBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
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
