from django.urls import path

from sessions import attendance_views, minutes_views, ranking_views, views

app_name = "sessions"

urlpatterns = [
    path("sidang/", views.sidang_list, name="list"),
    path("sidang/baru/", views.sidang_create, name="create"),
    path("sidang/pleno-pembuka/", views.pleno_pembuka_all, name="pleno_pembuka_all"),
    path("sidang/<int:pk>/", views.sidang_detail, name="detail"),
    path("sidang/<int:pk>/ubah/", views.sidang_edit, name="edit"),
    path("sidang/<int:pk>/mulai/", views.sidang_start, name="start"),
    path("sidang/<int:pk>/tutup/", views.sidang_close, name="close"),
    path("sidang/<int:pk>/hadir/", attendance_views.attendance, name="attendance"),
    path(
        "sidang/<int:pk>/hadir/undang/",
        attendance_views.participants_invite,
        name="participants_invite",
    ),
    path(
        "sidang/<int:pk>/hadir/kehadiran/",
        attendance_views.participants_present,
        name="participants_present",
    ),
    path(
        "sidang/<int:pk>/hadir/<int:participant_pk>/hapus/",
        attendance_views.participant_remove,
        name="participant_remove",
    ),
    path(
        "sidang/<int:pk>/hadir/<int:participant_pk>/delegasi/",
        attendance_views.participant_delegate,
        name="participant_delegate",
    ),
    path("sidang/<int:pk>/peringkat/", ranking_views.ranking, name="ranking"),
    path("sidang/<int:pk>/calon/", ranking_views.candidates_refresh, name="candidates_refresh"),
    path("sidang/<int:pk>/berita-acara.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path("sidang/<int:pk>/pindaian/", minutes_views.scan_upload, name="scan_upload"),
    path(
        "sidang/<int:pk>/daftar-hadir.pdf",
        minutes_views.attendance_sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path("verifikasi/<str:code>/", minutes_views.verify, name="verify"),
    path(
        "verifikasi/<str:code>/berita-acara.pdf",
        minutes_views.verify_download,
        name="verify_download",
    ),
    path("verifikasi/<str:code>/pindaian", minutes_views.verify_scan, name="verify_scan"),
]
