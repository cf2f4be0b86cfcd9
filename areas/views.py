"""Pages of one's own account: changing one's password."""

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy

from areas.forms import OwnPasswordChangeForm
from areas.services import password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any official changes their own password. The session they change it in stays signed in;
    every other session of theirs is signed out (its stored password hash no longer matches).
    The change is recorded in the audit trail in the same transaction."""

    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed(user=form.user, by=self.request.user)
        return response
