"""Files for upload tests: small valid ones, and photos and spreadsheets made on the spot."""

import base64
import functools
import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from proposals.spreadsheet import HEADERS

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg=="
)

PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


# Photos made on the spot with Pillow, so that no large binary sits in the repository.

KENARI_GPS = (-6.1862, 106.8505)  # Jl. Kenari, Senen
BANDUNG_GPS = (-6.9147, 107.6098)  # outside DKI Jakarta


@functools.cache
def png_of(width: int, height: int) -> bytes:
    """A one-colour PNG of any size in pixels, itself small (20,000 × 20,000 is 90 kB)."""
    output = io.BytesIO()
    Image.new("1", (width, height), 1).save(output, "PNG")
    return output.getvalue()


def _rational_dms(degrees: float) -> tuple:
    minutes, seconds = divmod(abs(degrees) * 3600, 60)
    whole, minutes = divmod(minutes, 60)
    return (
        IFDRational(int(whole)),
        IFDRational(int(minutes)),
        IFDRational(round(seconds * 100), 100),
    )


def camera_jpeg(
    size: tuple[int, int] = (4000, 3000),
    *,
    model: str = "Kamera Uji X100",
    gps: tuple[float, float] | None = KENARI_GPS,
    orientation: int | None = None,
) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera model and, when given, its GPS
    position and how it was held. Red, with the top-left quarter blue, to see it turned."""
    width, height = size
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((0, 0, 255), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Pabrik Uji"
    exif[ExifTags.Base.Model] = model
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        latitude, longitude = gps
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "S" if latitude < 0 else "N",
            ExifTags.GPS.GPSLatitude: _rational_dms(latitude),
            ExifTags.GPS.GPSLongitudeRef: "W" if longitude < 0 else "E",
            ExifTags.GPS.GPSLongitude: _rational_dms(longitude),
        }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, quality=80)
    return output.getvalue()


# XLSX files written by hand: the least a reader accepts, around a sheet's XML.

_PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Usulan" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx_of(sheet_data: bytes, *, dimension: str | None = None) -> bytes:
    """A one-sheet XLSX (deflated) whose <sheetData> holds `sheet_data`."""
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        sheet += b'<dimension ref="%s"/>' % dimension.encode()
    sheet += b"<sheetData>" + sheet_data + b"</sheetData></worksheet>"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PACKAGE.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return output.getvalue()


def header_row() -> bytes:
    cells = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>'
        % (get_column_letter(index).encode(), escape(header).encode())
        for index, header in enumerate(HEADERS, start=1)
    )
    return b'<row r="1">' + cells + b"</row>"


@functools.cache
def blank_rows_xlsx(count: int, *, dimension: str | None = None) -> bytes:
    """The template's header row, then `count` empty rows: 1.7 million unzip to 29 MB."""
    blank = b"".join(b'<row r="%d"/>' % number for number in range(2, count + 2))
    return xlsx_of(header_row() + blank, dimension=dimension)
