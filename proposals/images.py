"""Photos as they are kept: refused past 40 megapixels (read from the header, before decoding);
otherwise turned upright, at most 2,000 px on the longest side, and stripped of their metadata.

The stored copy is the only one: the original, with the camera's EXIF (model, time, position),
is not kept. Only the GPS position survives, and only as a proposal's coordinates (see
services.attachment_add), when it falls inside DKI Jakarta.
"""

import contextlib
import math
import warnings
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from proposals.plausible import LATITUDE_BOUNDS, LONGITUDE_BOUNDS

MAX_PIXELS = 40_000_000
MAX_SIDE = 2_000
JPEG_QUALITY = 85

# Pillow warns past this and raises past twice it; _open turns the warning into an error too, so
# any image over the limit is refused from its header, before a pixel is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# What a damaged image raises in Pillow, while opening or decoding.
# Pillow's plugins fail on damaged data in many ways, an IndexError among them.
_DAMAGED = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError)


class ImageRefused(Exception):
    """The file is no photo that can be kept; the message says why, in the official's language."""


@dataclass(frozen=True)
class Photo:
    """A photo as stored, and where the camera says it was taken (inside DKI Jakarta, or None)."""

    content: bytes
    content_type: str
    location: tuple[Decimal, Decimal] | None


def image_check(data: bytes, name: str) -> None:
    """Refuse an image too large in pixels or visibly damaged, without decoding it."""
    with _open(data, name) as image:
        try:
            image.verify()
        except _DAMAGED as error:
            raise _damaged(name) from error


def photo_prepare(data: bytes, name: str) -> Photo:
    """The photo as it is kept: upright, within MAX_SIDE, as JPEG (PNG if it has transparency),
    without EXIF or comments. Raises ImageRefused for what image_check refuses, or if the
    pixels cannot be decoded."""
    with _open(data, name) as image:
        try:
            # Pillow resizes these pixel by pixel, coarsely: give them levels first.
            if image.mode == "1":
                image = image.convert("L")
            elif image.mode == "P":
                image = image.convert("RGBA" if image.has_transparency_data else "RGB")
            # A JPEG is decoded straight at a reduced scale where it can be (Pillow's draft).
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            image, location = _upright(image)
            content, content_type = _encoded(image)
        except _DAMAGED as error:
            raise _damaged(name) from error
    return Photo(content=content, content_type=content_type, location=location)


def _open(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=["JPEG", "PNG"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(name) from error
    except _DAMAGED as error:
        raise _damaged(name) from error
    width, height = image.size
    if width * height > MAX_PIXELS:  # should Pillow's limit ever be changed elsewhere
        image.close()
        raise _too_large(name)
    return image


def _too_large(name: str) -> ImageRefused:
    return ImageRefused(
        _(
            "Gambar %(name)s lebih dari %(max)s megapiksel. Perkecil gambar (mis. menjadi "
            "4000 × 3000 piksel) lalu unggah lagi."
        )
        % {"name": name, "max": MAX_PIXELS // 1_000_000}
    )


def _damaged(name: str) -> ImageRefused:
    return ImageRefused(_("Gambar %(name)s rusak atau tidak lengkap.") % {"name": name})


def _upright(image: Image.Image) -> tuple[Image.Image, tuple[Decimal, Decimal] | None]:
    """The image turned as the camera says it was held, and the camera's position."""
    # EXIF can be damaged in more ways than Pillow has exceptions for: a damaged position is
    # dropped, a damaged orientation leaves the photo as drawn; neither refuses the upload.
    try:
        location = _location(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))
    except Exception:
        location = None
    with contextlib.suppress(Exception):
        image = ImageOps.exif_transpose(image)
    return image, location


def _location(gps: dict) -> tuple[Decimal, Decimal] | None:
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is None or longitude is None:
        return None
    # Where the proposal form accepts coordinates: inside DKI Jakarta, Kepulauan Seribu included.
    inside = (
        LATITUDE_BOUNDS[0] <= latitude <= LATITUDE_BOUNDS[1]
        and LONGITUDE_BOUNDS[0] <= longitude <= LONGITUDE_BOUNDS[1]
    )
    return (latitude, longitude) if inside else None


def _degrees(value, ref) -> Decimal | None:
    """EXIF degrees, minutes and seconds with their hemisphere (N/S/E/W) as signed degrees."""
    if not value or ref is None:
        return None
    degrees = sum(float(part) / 60**index for index, part in enumerate(value[:3]))
    if not math.isfinite(degrees):
        return None
    hemisphere = (ref.decode("ascii", "replace") if isinstance(ref, bytes) else str(ref)).strip()
    if hemisphere.upper() in ("S", "W"):
        degrees = -degrees
    return Decimal(f"{degrees:.6f}")


def _encoded(image: Image.Image) -> tuple[bytes, str]:
    if image.has_transparency_data:
        kept = image.convert("RGBA")
        if kept.getchannel("A").getextrema()[0] < 255:
            return _saved(kept, "PNG", image), "image/png"
    jpeg = image.convert("RGB")
    return _saved(jpeg, "JPEG", image, quality=JPEG_QUALITY, optimize=True), "image/jpeg"


def _saved(image: Image.Image, fmt: str, source: Image.Image, **options) -> bytes:
    # Nothing of the original's metadata is written (Pillow would carry its comment over), but
    # its colour profile, when the colours are still the ones it describes.
    icc_profile = source.info.get("icc_profile") if source.mode == image.mode else None
    image.info = {}
    output = BytesIO()
    image.save(output, fmt, icc_profile=icc_profile, **options)
    return output.getvalue()
