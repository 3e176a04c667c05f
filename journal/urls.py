from django.urls import path

from journal import views

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
]
