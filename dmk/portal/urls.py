from django.urls import path

from dmk.portal import (
    contacts,
    nominations,
    views,
    views_calendar,
    views_exchange,
    views_followups,
    views_handover,
    views_meetings,
    views_minutes,
    views_reminders,
    views_search,
    views_voting,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # issue 13: search of the internal documentation system (dmk/portal/views_search.py)
    path("suche/", views_search.search_page, name="search"),
    path("suche/schnell/", views_search.search_quick, name="search_quick"),
    path("kontakte/", contacts.contact_list, name="contact_list"),
    path("kontakte/ich/", contacts.my_contact, name="my_contact"),
    path("kontakte/kontakte.vcf", contacts.contact_list_vcard, name="contact_list_vcard"),
    path("kontakte/kontakte.csv", contacts.contact_list_csv, name="contact_list_csv"),
    path("kontakte/kontakte.xlsx", contacts.contact_list_xlsx, name="contact_list_xlsx"),
    path("kontakte/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("kontakte/<int:pk>/vcard.vcf", contacts.contact_vcard, name="contact_vcard"),
    path("kontakte/<int:pk>/loeschen/", contacts.contact_erase, name="contact_erase"),
    path("meine-daten/", contacts.my_data, name="my_data"),
    path("nominierungen/", nominations.nomination_index, name="nomination_index"),
    path("nominierungen/<str:code>/", nominations.nomination_edit, name="nomination_edit"),
    # issue 3 item 4: chair-period handover (dmk/portal/views_handover.py)
    path("vorsitz/uebergabe/", views_handover.handover, name="handover"),
    # issue 6: session cockpit and voting (dmk/portal/views_voting.py)
    path("sitzungsleitung/<slug:slug>/", views_voting.cockpit, name="voting_cockpit"),
    path(
        "sitzungsleitung/<slug:slug>/anwesenheit/",
        views_voting.cockpit_attendance,
        name="voting_cockpit_attendance",
    ),
    path(
        "sitzungsleitung/<slug:slug>/top/<int:item_id>/abstimmung/",
        views_voting.cockpit_ballot_open,
        name="voting_cockpit_open",
    ),
    path(
        "sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/schliessen/",
        views_voting.cockpit_ballot_close,
        name="voting_cockpit_close",
    ),
    path(
        "sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/erfassen/",
        views_voting.cockpit_vote_record,
        name="voting_cockpit_record",
    ),
    path(
        "sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/beschluss/",
        views_voting.cockpit_resolution_adopt,
        name="voting_cockpit_adopt",
    ),
    path(
        "sitzungsleitung/<slug:slug>/beschluss/<int:resolution_id>/veroeffentlichen/",
        views_voting.cockpit_resolution_release,
        name="voting_cockpit_release",
    ),
    path(
        "sitzungsleitung/<slug:slug>/uebertragung/",
        views_voting.cockpit_transfer_create,
        name="voting_cockpit_transfer",
    ),
    path(
        "sitzungsleitung/<slug:slug>/uebertragung/<int:transfer_id>/widerrufen/",
        views_voting.cockpit_transfer_revoke,
        name="voting_cockpit_transfer_revoke",
    ),
    path("abstimmung/<int:ballot_id>/", views_voting.ballot_page, name="voting_ballot"),
    path("abstimmung/<int:ballot_id>/stand/", views_voting.ballot_status, name="voting_status"),
    path(
        "abstimmung/<int:ballot_id>/erklaerung/",
        views_voting.ballot_declaration,
        name="voting_declaration",
    ),
    # issue 6 item 6: follow-ups of resolutions (dmk/portal/views_followups.py)
    path("nachverfolgung/", views_followups.followup_index, name="followup_index"),
    path(
        "nachverfolgung/<int:pk>/status/",
        views_followups.followup_status,
        name="followup_status",
    ),
    path("umlaufverfahren/", views_voting.written_index, name="written_index"),
    path("umlaufverfahren/<int:pk>/", views_voting.written_detail, name="written_detail"),
    path(
        "umlaufverfahren/<int:pk>/nachweis.pdf",
        views_voting.written_proof,
        name="written_proof",
    ),
    # issue 5: preparing a meeting (dmk/portal/views_meetings.py)
    path("sitzungen/", views_meetings.meeting_index, name="meeting_index"),
    path("sitzungen/neu/", views_meetings.meeting_new, name="meeting_new"),
    path("sitzungen/<slug:slug>/", views_meetings.meeting_detail, name="meeting_detail"),
    path(
        "sitzungen/<slug:slug>/status/",
        views_meetings.meeting_state_change,
        name="meeting_state",
    ),
    path(
        "sitzungen/<slug:slug>/verlegen/",
        views_meetings.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path(
        "sitzungen/<slug:slug>/tagesordnung/neu/",
        views_meetings.agenda_item_new,
        name="meeting_agenda_item_new",
    ),
    path(
        "sitzungen/<slug:slug>/tagesordnung/<int:item_id>/",
        views_meetings.agenda_item_edit,
        name="meeting_agenda_item_edit",
    ),
    path(
        "sitzungen/<slug:slug>/tagesordnung/<int:item_id>/verschieben/",
        views_meetings.agenda_item_move,
        name="meeting_agenda_item_move",
    ),
    path(
        "sitzungen/<slug:slug>/tagesordnung/<int:item_id>/entfernen/",
        views_meetings.agenda_item_delete,
        name="meeting_agenda_item_delete",
    ),
    path(
        "sitzungen/<slug:slug>/vorlagen/<int:consultation_id>/",
        views_meetings.consultation_decide,
        name="meeting_consultation_decide",
    ),
    path(
        "sitzungen/<slug:slug>/anmeldung/",
        views_meetings.attendance_edit,
        name="meeting_attendance",
    ),
    path(
        "sitzungen/<slug:slug>/anwesenheit/",
        views_meetings.attendance_overview,
        name="meeting_attendance_board",
    ),
    # issue 5 item 4: reminders to Länder (dmk/portal/views_reminders.py)
    path(
        "sitzungen/<slug:slug>/erinnerung/",
        views_reminders.meeting_remind,
        name="meeting_remind",
    ),
    # issue 12: minutes and meeting pack (dmk/portal/views_minutes.py)
    path("sitzungen/<slug:slug>/protokoll/", views_minutes.minutes_detail, name="minutes_detail"),
    path(
        "sitzungen/<slug:slug>/protokoll/vergleich/",
        views_minutes.minutes_diff,
        name="minutes_diff",
    ),
    path("sitzungen/<slug:slug>/protokoll.pdf", views_minutes.minutes_pdf_view, name="minutes_pdf"),
    path("sitzungen/<slug:slug>/sitzungsmappe/", views_minutes.pack_status, name="pack_status"),
    path(
        "sitzungen/<slug:slug>/sitzungsmappe.pdf", views_minutes.pack_download, name="pack_download"
    ),
    path("vorlagen/", views_meetings.paper_index, name="paper_index"),
    path("vorlagen/neu/", views_meetings.paper_new, name="paper_new"),
    path("vorlagen/<slug:slug>/", views_meetings.paper_detail, name="paper_detail"),
    path("vorlagen/<slug:slug>/bearbeiten/", views_meetings.paper_edit, name="paper_edit"),
    path("vorlagen/<slug:slug>/datei/", views_meetings.paper_file_upload, name="paper_upload"),
    path(
        "vorlagen/<slug:slug>/mitantrag/",
        views_meetings.paper_sponsor_invite,
        name="paper_sponsor_invite",
    ),
    path(
        "vorlagen/<slug:slug>/mitantrag/<int:sponsor_id>/antwort/",
        views_meetings.paper_sponsor_answer,
        name="paper_sponsor_answer",
    ),
    path("vorlagen/<slug:slug>/einreichen/", views_meetings.paper_submit_view, name="paper_submit"),
    path(
        "vorlagen/<slug:slug>/dateien/<int:file_id>/",
        views_meetings.paper_file_download,
        name="paper_file_download",
    ),
    # issue 5 item 5: personal calendar feed (dmk/portal/views_calendar.py)
    path("kalender/", views_calendar.calendar_page, name="calendar"),
    # issue 14: data exchange platform (dmk/portal/views_exchange.py)
    path("austausch/", views_exchange.exchange_index, name="exchange_index"),
    path(
        "austausch/sitzung/<slug:slug>/", views_exchange.exchange_meeting, name="exchange_meeting"
    ),
    path(
        "austausch/<slug:workspace>/", views_exchange.exchange_workspace, name="exchange_workspace"
    ),
    path(
        "austausch/<slug:workspace>/ordner/<int:folder>/",
        views_exchange.exchange_folder,
        name="exchange_folder",
    ),
    path(
        "austausch/<slug:workspace>/ordner-anlegen/",
        views_exchange.exchange_folder_create,
        name="exchange_folder_create",
    ),
    path(
        "austausch/<slug:workspace>/hochladen/",
        views_exchange.exchange_upload,
        name="exchange_upload",
    ),
    path(
        "austausch/<slug:workspace>/datei/<int:file>/",
        views_exchange.exchange_file,
        name="exchange_file",
    ),
    path(
        "austausch/<slug:workspace>/datei/<int:file>/download/",
        views_exchange.exchange_download,
        name="exchange_download",
    ),
    path("austausch/<slug:workspace>/zip/", views_exchange.exchange_zip, name="exchange_zip"),
    path(
        "austausch/<slug:workspace>/papierkorb/",
        views_exchange.exchange_trash,
        name="exchange_trash",
    ),
    path(
        "austausch/<slug:workspace>/aktivitaet/",
        views_exchange.exchange_activity,
        name="exchange_activity",
    ),
    path("austausch/<slug:workspace>/tus/", views_exchange.exchange_tus, name="exchange_tus"),
    path(
        "austausch/<slug:workspace>/tus/<uuid:upload>/",
        views_exchange.exchange_tus_upload,
        name="exchange_tus_upload",
    ),
    path(
        "austausch/<slug:workspace>/stellungnahmen/neu/",
        views_exchange.exchange_statement_new,
        name="exchange_statement_new",
    ),
    path(
        "austausch/<slug:workspace>/stellungnahmen/<int:pk>/",
        views_exchange.exchange_statement,
        name="exchange_statement",
    ),
    path(
        "austausch/<slug:workspace>/stellungnahmen/<int:pk>/stellungnahme.pdf",
        views_exchange.exchange_statement_pdf,
        name="exchange_statement_pdf",
    ),
]
