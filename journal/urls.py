from django.urls import path

from journal import export_views, repair_views, review_views, views
from journal.editing import revision_restore_view, trash_view, untrash_view
from journal.models import Entry, RepairNote
from journal.services import entry_restore_revision, repair_restore_revision

ENTRY = {"model": Entry, "detail": "journal:entry_detail"}
REPAIR = {"model": RepairNote, "detail": "journal:repair_detail"}

app_name = "journal"

urlpatterns = [
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/autosave/", views.entry_autosave, name="entry_autosave_new"),
    path("entries/trash/", views.entry_trash_list, name="entry_trash"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_update, name="entry_update"),
    path("entries/<int:pk>/autosave/", views.entry_autosave, name="entry_autosave"),
    path("entries/<int:pk>/history/", views.entry_history, name="entry_history"),
    path(
        "entries/<int:pk>/history/<int:revision_pk>/restore/",
        revision_restore_view,
        {**ENTRY, "restore": lambda e, r: entry_restore_revision(entry=e, revision=r)},
        name="entry_revision_restore",
    ),
    path(
        "entries/<int:pk>/delete/",
        trash_view,
        {"model": Entry, "back": "journal:entry_list"},
        name="entry_delete",
    ),
    path("entries/<int:pk>/restore/", untrash_view, ENTRY, name="entry_undelete"),
    path("repairs/", repair_views.repair_list, name="repair_list"),
    path("repairs/new/", repair_views.repair_create, name="repair_create"),
    path("repairs/autosave/", repair_views.repair_autosave, name="repair_autosave_new"),
    path("repairs/<int:pk>/", repair_views.repair_detail, name="repair_detail"),
    path("repairs/<int:pk>/edit/", repair_views.repair_update, name="repair_update"),
    path("repairs/<int:pk>/autosave/", repair_views.repair_autosave, name="repair_autosave"),
    path("repairs/<int:pk>/history/", repair_views.repair_history, name="repair_history"),
    path(
        "repairs/<int:pk>/history/<int:revision_pk>/restore/",
        revision_restore_view,
        {**REPAIR, "restore": lambda o, r: repair_restore_revision(repair=o, revision=r)},
        name="repair_revision_restore",
    ),
    path("repairs/<int:pk>/follow-ups/", repair_views.repair_follow_up, name="repair_follow_up"),
    path(
        "repairs/<int:pk>/delete/",
        trash_view,
        {"model": RepairNote, "back": "journal:repair_list"},
        name="repair_delete",
    ),
    path("repairs/<int:pk>/restore/", untrash_view, REPAIR, name="repair_undelete"),
    path("entries/<int:pk>/addenda/", review_views.addendum_create, name="addendum_create"),
    path("review/", review_views.review_timeline, name="review"),
    path("review/prompts/", review_views.growth_prompts, name="growth_prompts"),
    path("review/prompts/<int:pk>/", review_views.growth_prompt, name="growth_prompt"),
    path("review/clients/", review_views.client_list, name="client_list"),
    path("review/clients/<str:code>/", review_views.client_detail, name="client_detail"),
    path("search/", review_views.search_view, name="search"),
    path("insights/", review_views.insights_view, name="insights"),
    path("export/", export_views.packet_create, name="packet_create"),
    path("export/packets/", export_views.packet_list, name="packet_list"),
    path("export/packets/<int:pk>/", export_views.packet_preview, name="packet_preview"),
    path("export/packets/<int:pk>/edit/", export_views.packet_update, name="packet_update"),
    path("export/packets/<int:pk>/print/", export_views.packet_print, name="packet_print"),
    path("export/packets/<int:pk>/export/", export_views.packet_export, name="packet_export"),
    path("export/files/<int:pk>/", export_views.export_status, name="export_status"),
    path("export/backup/", export_views.backup, name="backup"),
    path("import/", export_views.import_view, name="import"),
    path("export/files/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("commitments/", repair_views.commitment_list, name="commitment_list"),
    path("commitments/<int:pk>/done/", repair_views.commitment_done, name="commitment_done"),
]
