from django.urls import path

from proposals import (
    carry_views,
    ceiling_views,
    decision_views,
    import_views,
    map_views,
    pokir_views,
    realisation_views,
    receipt_views,
    renja_views,
    validation_views,
    views,
)

app_name = "proposals"

urlpatterns = [
    path("usulan/", views.proposal_list, name="list"),
    path("usulan/peta/", map_views.proposal_map, name="map"),
    path("usulan/peta.json", map_views.proposal_points, name="map_points"),
    path("usulan/kolom/", views.table_columns, name="columns"),
    path("usulan/baru/", views.proposal_create, name="create"),
    path("usulan/impor/", import_views.proposal_import, name="import"),
    path("usulan/bawaan/", carry_views.carried, name="carried"),
    path("siklus/baru/", carry_views.cycle_open, name="cycle_open"),
    path("siklus/<int:pk>/pagu/", ceiling_views.cycle_ceilings, name="ceilings"),
    path("usulan/impor/templat.<str:fmt>", import_views.import_template, name="import_template"),
    path("usulan/sub-kegiatan/", renja_views.sub_activities, name="sub_activities"),
    path("usulan/renja.xlsx", renja_views.renja_xlsx, name="renja_xlsx"),
    path("usulan/keputusan/", decision_views.decide_many, name="decide_many"),
    path("usulan/validasi/", validation_views.validate_many, name="validate_many"),
    path("usulan/<int:pk>/", views.proposal_detail, name="detail"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="edit"),
    path("usulan/<int:pk>/ajukan/", views.proposal_submit, name="submit"),
    path("usulan/<int:pk>/tanda-terima.pdf", receipt_views.proposal_receipt, name="receipt"),
    path("usulan/<int:pk>/terima/", views.proposal_accept, name="accept"),
    path("usulan/<int:pk>/kembalikan/", views.proposal_return, name="return"),
    path("usulan/<int:pk>/keputusan/", views.proposal_decide, name="decide"),
    path("usulan/<int:pk>/realisasi/", realisation_views.progress, name="progress"),
    path(
        "usulan/<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("reses/", pokir_views.recess_list, name="recess_list"),
    path("reses/baru/", pokir_views.recess_create, name="recess_create"),
    path("reses/<int:pk>/", pokir_views.recess_detail, name="recess"),
    path("reses/<int:pk>/pokir/baru/", pokir_views.pokir_create, name="pokir_create"),
    path("survei/", views.survey_queue, name="survey_queue"),
    path("survei/<int:pk>/", views.survey_form, name="survey"),
]
