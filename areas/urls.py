"""One's own account: /akun/…"""

from django.contrib.auth import views as auth_views
from django.urls import path

from areas import views

app_name = "accounts"

urlpatterns = [
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
