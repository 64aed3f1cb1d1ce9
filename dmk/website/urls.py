from django.urls import path

from dmk.website import feeds, views

app_name = "website"
urlpatterns = [
    path("sitzungen/", views.meeting_index, name="meeting_index"),
    path("sitzungen/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("beschluesse/", views.resolution_index, name="resolution_index"),
    path("beschluesse/<slug:slug>/", views.resolution_detail, name="resolution_detail"),
    path("beschluesse/<slug:slug>/beschluss.pdf", views.resolution_pdf_view, name="resolution_pdf"),
    path("vorlagen/<slug:slug>/", views.paper_detail, name="paper_detail"),
    path("vorlagen/<slug:slug>/download/", views.paper_download, name="paper_download"),
    path("laender/", views.state_index, name="state_index"),
    path("vorsitz/", views.chair_period_index, name="chair_period_index"),
    path("suche/", views.search, name="search"),
    path("feeds/beschluesse/rss/", feeds.ResolutionFeed(), name="resolution_feed_rss"),
    path("feeds/beschluesse/atom/", feeds.ResolutionAtomFeed(), name="resolution_feed_atom"),
    path("feeds/aktuelles/rss/", feeds.NewsFeed(), name="news_feed_rss"),
    path("feeds/aktuelles/atom/", feeds.NewsAtomFeed(), name="news_feed_atom"),
]
