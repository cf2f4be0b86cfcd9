from django.urls import path

from proposals import import_views, views

app_name = "proposals"

urlpatterns = [
    path("usulan/", views.proposal_list, name="list"),
    path("usulan/baru/", views.proposal_create, name="create"),
    path("usulan/impor/", import_views.proposal_import, name="import"),
    path("usulan/impor/templat.<str:fmt>", import_views.import_template, name="import_template"),
    path("usulan/<int:pk>/", views.proposal_detail, name="detail"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="edit"),
    path("usulan/<int:pk>/ajukan/", views.proposal_submit, name="submit"),
    path("usulan/<int:pk>/terima/", views.proposal_accept, name="accept"),
    path("usulan/<int:pk>/kembalikan/", views.proposal_return, name="return"),
    path("usulan/<int:pk>/keputusan/", views.proposal_decide, name="decide"),
    path(
        "usulan/<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("survei/", views.survey_queue, name="survey_queue"),
    path("survei/<int:pk>/", views.survey_form, name="survey"),
]
