from django.urls import path

from dmk.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("<int:pk>/bearbeiten/", views.conversation_edit, name="conversation_edit"),
    path("<int:pk>/notiz/", views.conversation_note, name="conversation_note"),
    path("<int:pk>/antwort/", views.conversation_reply, name="conversation_reply"),
    path(
        "<int:pk>/anhaenge/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/nachrichten/<int:message_id>/original.eml",
        views.message_source,
        name="message_source",
    ),
]
