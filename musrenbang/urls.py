from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from areas.forms import SignInForm
from musrenbang import views
from musrenbang.public import recap_views, tracker_views

admin.site.site_header = _("Administrasi Musrenbang")
admin.site.site_title = _("Musrenbang")
admin.site.index_title = _("Suku Badan Perencanaan Pembangunan Kota")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", include("areas.urls")),
    path("rekap/", recap_views.recap, name="recap"),
    path("rekap/rekap.pdf", recap_views.recap_pdf, name="recap_pdf"),
    path("rekap/rekap.xlsx", recap_views.recap_xlsx, name="recap_xlsx"),
    path("lacak/", tracker_views.tracker, name="tracker"),
    path("lacak/<str:code>/", tracker_views.tracker_proposal, name="tracker_proposal"),
    path("lacak/<str:code>/foto/<str:token>/", tracker_views.tracker_photo, name="tracker_photo"),
    path("notifikasi/", include("notices.urls")),
    path("", include("proposals.urls")),
    path("", include("sessions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One page changes one's own password, and records it: the admin's own page would not.
    path("admin/password_change/", RedirectView.as_view(pattern_name="accounts:password_change")),
    path("admin/", admin.site.urls),
]
