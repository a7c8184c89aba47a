"""The UI font, served from the installed font package (fontpkg-heebo) rather than copied."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..request import GviaRequest


@require_GET
@cache_control(max_age=365 * 24 * 3600, public=True, immutable=True)
def ui_font(request: GviaRequest) -> FileResponse:
    try:
        import fontpkg_heebo
    except ImportError:  # the stylesheet falls back to system fonts
        raise Http404("font package not installed")
    path = fontpkg_heebo.ROOT / "files" / "Heebo[wght].ttf"
    if not path.exists():
        raise Http404("font file missing")
    return FileResponse(open(path, "rb"), content_type="font/ttf")
