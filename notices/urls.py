from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tandai-dibaca/", views.notices_read, name="read_all"),
    path("<int:pk>/", views.notice_open, name="open"),
]
