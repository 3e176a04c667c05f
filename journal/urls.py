"""Every URL of the journal. The first segment names the module in ``journal/views/`` that
serves it; the lifecycle URLs of entries and repair notes (new, edit, autosave, history,
restore, delete) are generated from their kinds by ``journal/views/lifecycle.py``."""

from django.urls import path
from django.views.generic import RedirectView

from journal.views import (
    commitments,
    entries,
    export,
    hours,
    insights,
    repairs,
    review,
    search,
    session,
    supervising,
    supervision,
)

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
    # The clinician's side of supervision: supervisors, what is shared with them.
    path("supervision/", supervision.supervision_home, name="supervision"),
    path(
        "supervision/supervisors/<int:pk>/end/",
        supervision.supervisor_end,
        name="supervisor_end",
    ),
    path("supervision/packets/<int:pk>/share/", supervision.share_create, name="share_create"),
    path("supervision/shares/<int:pk>/", supervision.share_detail, name="share_detail"),
    path("supervision/shares/<int:pk>/comment/", supervision.share_comment, name="share_comment"),
    path("supervision/shares/<int:pk>/until/", supervision.share_until, name="share_until"),
    path("supervision/shares/<int:pk>/end/", supervision.share_end, name="share_end"),
    path("supervision/shares/<int:pk>/pdf/", supervision.share_pdf, name="share_pdf"),
    path(
        "supervision/shares/<int:pk>/pdf/again/",
        supervision.share_pdf_again,
        name="share_pdf_again",
    ),
    # The supervisor's side: invitations, and the packets shared with them.
    path("supervising/", supervising.supervising_home, name="supervising"),
    path("supervising/invitations/<str:token>/", supervising.invitation, name="invitation"),
    path("supervising/shares/<uuid:uid>/", supervising.share_read, name="supervising_share"),
    path(
        "supervising/shares/<uuid:uid>/comment/",
        supervising.share_comment,
        name="supervising_comment",
    ),
    path(
        "supervising/shares/<uuid:uid>/sign-off/",
        supervising.share_sign_off,
        name="supervising_sign_off",
    ),
    path("supervising/shares/<uuid:uid>/pdf/", supervising.share_pdf, name="supervising_pdf"),
    # The supervision log: sessions and hours.
    path("hours/", hours.hours_list, name="hours"),
    path("hours/new/", hours.hours_create, name="hours_create"),
    path("hours/<int:pk>/", hours.hours_update, name="hours_update"),
    path("hours/<int:pk>/delete/", hours.hours_delete, name="hours_delete"),
    path("hours/<int:pk>/restore/", hours.hours_restore, name="hours_restore"),
    path("hours/hours.csv", hours.hours_csv, name="hours_csv"),
    path("hours/hours.pdf", hours.hours_pdf, name="hours_pdf"),
    # Where the import page used to be.
    path("import/", RedirectView.as_view(pattern_name="journal:import", permanent=True)),
]
