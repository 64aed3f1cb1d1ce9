"""Download names with an ASCII fallback and ``filename*`` (issue 18 item 5, RFC 6266)."""

from __future__ import annotations

from django.http import HttpResponse

from dmk.core.downloads import ascii_filename, attach_filename, content_disposition


def test_a_name_with_umlauts_and_an_en_dash_gets_both_filename_parameters():
    header = content_disposition("Übersicht – Länderbericht für Köln.pdf")
    assert header == (
        'attachment; filename="Uebersicht - Laenderbericht fuer Koeln.pdf"; '
        "filename*=UTF-8''%C3%9Cbersicht%20%E2%80%93%20L%C3%A4nderbericht%20f%C3%BCr%20K%C3%B6ln.pdf"
    )


def test_a_decomposed_name_is_sent_composed():
    assert content_disposition("Mu\u0308ller.vcf", inline=True) == (
        "inline; filename=\"Mueller.vcf\"; filename*=UTF-8''M%C3%BCller.vcf"
    )


def test_the_ascii_fallback_cannot_break_out_of_its_quotes():
    assert ascii_filename('a"b\\c%d\r\n.pdf') == "a_b_c_d__.pdf"
    assert ascii_filename("東京") == "__"
    assert ascii_filename("") == "download"


def test_attach_filename_sets_the_header_and_returns_the_response():
    response = HttpResponse(b"x")
    assert attach_filename(response, "Café.txt") is response
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Cafe.txt\"; filename*=UTF-8''Caf%C3%A9.txt"
    )
