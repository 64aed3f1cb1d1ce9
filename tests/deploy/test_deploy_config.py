"""The shipped production configuration (issue 17 item 3): nginx never serves a protected
file without the app's say, its limits match the app's, the rendered configuration passes
``nginx -t``, and the app hands files to nginx only after the permission check."""

from __future__ import annotations

import gc
import importlib.util
import math
import re
import runpy
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile

from dmk.core.enums import Visibility
from dmk.papers import files as paper_files
from dmk.papers.models import PaperFile
from tests.factories import PaperFactory

DEPLOY = Path(django_settings.BASE_DIR) / "deploy"


def _stack():
    spec = importlib.util.spec_from_file_location("dmk_deploy_stack", DEPLOY / "stack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _locations(conf: str) -> dict[str, str]:
    """``{location argument: its block}`` of an nginx server configuration (flat blocks)."""
    return {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(r"location\s+([^{]+?)\s*\{(.*?)\n\}", conf, flags=re.S)
    }


def _rendered(tmp_path: Path) -> str:
    stack = _stack()
    values = stack.site_values(
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        cache_dir=tmp_path / "cache",
        upstream="unix:/run/dmk/gunicorn.sock",
        conf_dir=tmp_path,
    )
    stack.render_production(tmp_path, values)
    return (tmp_path / "dmk-server.conf").read_text()


def test_the_protected_files_location_is_internal_and_the_only_one_serving_media(tmp_path):
    locations = _locations(_rendered(tmp_path))
    protected = locations[django_settings.X_ACCEL_PREFIX]
    assert re.search(r"^\s*internal;", protected, flags=re.M)
    assert f"alias {tmp_path / 'media'}/;" in protected
    # the media directory is otherwise reachable only for public image renditions
    media_aliases = [
        name for name, block in locations.items() if f"alias {tmp_path / 'media'}" in block
    ]
    assert sorted(media_aliases) == sorted([django_settings.X_ACCEL_PREFIX, "/media/images/"])
    assert "return 404;" in locations["/media/"]


def test_nginx_accepts_no_request_body_larger_than_the_largest_upload_plus_envelope(tmp_path):
    conf = (DEPLOY / "nginx" / "dmk-http.conf.in").read_text()
    (size,) = re.findall(r"client_max_body_size (\d+)m;", conf)
    largest = max(paper_files.MAX_FILE_SIZE, django_settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    assert int(size) == math.ceil(largest / 2**20) + 1


def test_the_proxy_cache_skips_requests_with_a_session_and_honours_the_app(tmp_path):
    root = _locations(_rendered(tmp_path))["/"]
    assert "proxy_cache dmk_pages;" in root
    assert "proxy_cache_bypass $dmk_has_session $dmk_has_auth;" in root
    assert "proxy_no_cache $dmk_has_session $dmk_has_auth;" in root
    assert "proxy_cache_revalidate on;" in root
    # no proxy_cache_valid: only what the app marks cacheable (Cache-Control, X-Accel-Expires)
    assert "proxy_cache_valid" not in (DEPLOY / "nginx" / "dmk-server.conf.in").read_text()
    http = (DEPLOY / "nginx" / "dmk-http.conf.in").read_text()
    assert re.search(r'"~\*\(\^\|;\\s\*\)\(sessionid\|messages\)=" 1;', http)


def test_production_site_speaks_tls_1_2_and_1_3_only_and_redirects_plain_http(tmp_path):
    _rendered(tmp_path)
    site = (tmp_path / "dmk.conf").read_text()
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert "return 301 https://$host$request_uri;" in site
    assert "@" not in re.sub(r"#.*", "", site)


def test_the_rendered_local_configuration_passes_nginx_t(tmp_path):
    stack = _stack()
    conf = stack.render_local(
        tmp_path / "run", port=18999, static_root=tmp_path / "s", media_root=tmp_path / "m"
    )
    result = stack.nginx_test(tmp_path / "run", conf)
    assert result.returncode == 0, result.stderr


# --- the app side: X-Accel-Redirect only after the permission check ------------------------


@pytest.fixture
def paper_with_file(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.X_ACCEL_REDIRECT = True

    def make(visibility: str) -> PaperFile:
        paper = PaperFactory(visibility=visibility)
        paper_file = PaperFile(paper=paper, version=1, original_name="Vorlage Ä.pdf")
        paper_file.content_type = "application/pdf"
        paper_file.size = 8
        paper_file.sha256 = "0" * 64
        paper_file.file.save("vorlage.pdf", ContentFile(b"%PDF-1.7"), save=False)
        paper_file.save()
        return paper_file

    return make


def test_a_public_file_leaves_through_x_accel_redirect_with_its_name(client, paper_with_file):
    paper_file = paper_with_file(Visibility.PUBLIC)
    response = client.get(f"/vorlagen/{paper_file.paper.slug}/download/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + paper_file.file.name
    assert response.content == b""
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Vorlage Ae.pdf\"; filename*=UTF-8''Vorlage%20%C3%84.pdf"
    )


def test_a_file_the_visitor_may_not_see_gets_no_x_accel_redirect(client, paper_with_file):
    paper_file = paper_with_file(Visibility.INTERNAL)
    response = client.get(f"/vorlagen/{paper_file.paper.slug}/download/")
    assert response.status_code == 404
    assert not response.has_header("X-Accel-Redirect")


def test_a_path_outside_the_media_directory_is_never_handed_to_nginx(settings, tmp_path):
    from dmk.core.downloads import accel_path

    settings.MEDIA_ROOT = tmp_path / "media"
    assert accel_path(tmp_path / "media" / "a b.pdf") == "/_protected/a%20b.pdf"
    assert accel_path(tmp_path / "media" / ".." / "secret.txt") is None
    assert accel_path("/etc/passwd") is None


def test_gunicorn_freezes_the_preloaded_app_before_the_workers_fork():
    """deploy/gunicorn.conf.py: ``preload_app`` and, when the master is ready (before any
    fork), ``gc.freeze()`` — so workers' full collections skip the app's objects."""
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    gc.unfreeze()
    try:
        conf["when_ready"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
