"""{% map_attrs %}: what static/js/map.js needs to draw a map, as data attributes of its element.

The tile server and its credit come from the settings (MAP_TILE_URL, MAP_ATTRIBUTION), the
bounds from the same constants the proposal form checks coordinates against, and the words the
map shows from the active language.
"""

from django import template
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.translation import gettext as _

from proposals.plausible import LATITUDE_BOUNDS, LONGITUDE_BOUNDS

register = template.Library()

# The view a map opens on before it has a point: mainland Jakarta, whole, on a phone.
HOME = "-6.2,106.845,11"


def _labels() -> dict[str, str]:
    # The placeholders %(n)s, %(lat)s and %(lon)s are filled in by the browser.
    return {
        "zoom-in": _("Perbesar"),
        "zoom-out": _("Perkecil"),
        "close": _("Tutup"),
        "tiles-failed": _("Peta dasar tidak dapat dimuat; titik tetap tampil di atas latar polos."),
        "count": _("Usulan di peta: %(n)s."),
        "capped": _(
            "Hanya %(n)s usulan terbaru yang ditampilkan; persempit saringan untuk melihat sisanya."
        ),
        "none": _("Tidak ada usulan dengan titik lokasi."),
        "failed": _("Titik usulan tidak dapat dimuat. Muat ulang halaman untuk mencoba lagi."),
        "marker": _("Titik lokasi usulan"),
        "picked": _("Lokasi dipilih: lintang %(lat)s, bujur %(lon)s."),
        "outside": _("Titik itu di luar wilayah DKI Jakarta; pilih titik di dalamnya."),
        "locating": _("Mencari lokasi Anda…"),
        "locate-failed": _(
            "Lokasi Anda tidak dapat dibaca. Izinkan akses lokasi di peramban, atau ketuk peta."
        ),
    }


@register.simple_tag
def map_attrs():
    """The data attributes of a map element: tiles, credit, bounds, opening view and words."""
    attrs = {
        "data-tiles": settings.MAP_TILE_URL,
        "data-attribution": settings.MAP_ATTRIBUTION,
        "data-attribution-url": settings.MAP_ATTRIBUTION_URL,
        # south, west, north, east
        "data-bounds": ",".join(
            str(edge)
            for edge in (
                LATITUDE_BOUNDS[0],
                LONGITUDE_BOUNDS[0],
                LATITUDE_BOUNDS[1],
                LONGITUDE_BOUNDS[1],
            )
        ),
        "data-home": HOME,
    }
    attrs.update({f"data-label-{name}": text for name, text in _labels().items()})
    return flatatt(attrs)
