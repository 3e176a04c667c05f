"""Every URL of the journal. The first segment names the module in ``journal/views/`` that
serves it; the lifecycle URLs of entries and repair notes (new, edit, autosave, history,
restore, delete) are generated from their kinds by ``journal/views/lifecycle.py``."""

from django.urls import path
from django.views.generic import RedirectView

from journal.views import commitments, entries, export, insights, repairs, review, search, session

app_name = "journal"

urlpatterns = [
    path("entries/", entries.entry_list, name="entry_list"),
    path("entries/trash/", entries.entry_trash_list, name="entry_trash"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry_detail"),
    *entries.LIFECYCLE.urls(),
    path("repairs/", repairs.repair_list, name="repair_list"),
    path("repairs/<int:pk>/", repairs.repair_detail, name="repair_detail"),
    *repairs.LIFECYCLE.urls(),
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/<int:pk>/done/", commitments.commitment_done, name="commitment_done"),
    path("session/", session.session_status, name="session_status"),
    path("session/back/", session.signed_in_again, name="signed_in_again"),
    path("review/", review.review_timeline, name="review"),
    path("review/prompts/", review.growth_prompts, name="growth_prompts"),
    path("review/prompts/<int:pk>/", review.growth_prompt, name="growth_prompt"),
    path("review/clients/", review.client_list, name="client_list"),
    path("review/clients/<str:code>/", review.client_detail, name="client_detail"),
    path("search/", search.search_view, name="search"),
    path("insights/", insights.insights_view, name="insights"),
    path("export/", export.packet_create, name="packet_create"),
    path("export/packets/", export.packet_list, name="packet_list"),
    path("export/packets/<int:pk>/", export.packet_preview, name="packet_preview"),
    path("export/packets/<int:pk>/edit/", export.packet_update, name="packet_update"),
    path("export/packets/<int:pk>/print/", export.packet_print, name="packet_print"),
    path("export/packets/<int:pk>/export/", export.packet_export, name="packet_export"),
    path("export/files/<int:pk>/", export.export_status, name="export_status"),
    path("export/files/<int:pk>/retry/", export.export_retry, name="export_retry"),
    path("export/files/<int:pk>/download/", export.export_download, name="export_download"),
    path("export/backup/", export.backup, name="backup"),
    path("export/import/", export.import_view, name="import"),
    path("export/import/<int:pk>/", export.import_status, name="import_status"),
    # Where the import page used to be.
    path("import/", RedirectView.as_view(pattern_name="journal:import", permanent=True)),
]
