from django.urls import path

from journal import repair_views, review_views, views

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
        views.entry_revision_restore,
        name="entry_revision_restore",
    ),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/restore/", views.entry_undelete, name="entry_undelete"),
    path("repairs/", repair_views.repair_list, name="repair_list"),
    path("repairs/new/", repair_views.repair_create, name="repair_create"),
    path("repairs/autosave/", repair_views.repair_autosave, name="repair_autosave_new"),
    path("repairs/<int:pk>/", repair_views.repair_detail, name="repair_detail"),
    path("repairs/<int:pk>/edit/", repair_views.repair_update, name="repair_update"),
    path("repairs/<int:pk>/autosave/", repair_views.repair_autosave, name="repair_autosave"),
    path("repairs/<int:pk>/history/", repair_views.repair_history, name="repair_history"),
    path(
        "repairs/<int:pk>/history/<int:revision_pk>/restore/",
        repair_views.repair_revision_restore,
        name="repair_revision_restore",
    ),
    path("repairs/<int:pk>/follow-ups/", repair_views.repair_follow_up, name="repair_follow_up"),
    path("repairs/<int:pk>/delete/", repair_views.repair_delete, name="repair_delete"),
    path("repairs/<int:pk>/restore/", repair_views.repair_undelete, name="repair_undelete"),
    path("entries/<int:pk>/addenda/", review_views.addendum_create, name="addendum_create"),
    path("review/", review_views.review_timeline, name="review"),
    path("review/prompts/", review_views.growth_prompts, name="growth_prompts"),
    path("review/prompts/<int:pk>/", review_views.growth_prompt, name="growth_prompt"),
    path("review/clients/", review_views.client_list, name="client_list"),
    path("review/clients/<str:code>/", review_views.client_detail, name="client_detail"),
    path("search/", review_views.search_view, name="search"),
    path("insights/", review_views.insights_view, name="insights"),
    path("commitments/", repair_views.commitment_list, name="commitment_list"),
    path("commitments/<int:pk>/done/", repair_views.commitment_done, name="commitment_done"),
]
