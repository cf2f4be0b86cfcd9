"""Photos of proposals and surveys: refused past 40 megapixels with a message (never a server
error), otherwise stored upright, at most 2,000 px, without the camera's EXIF."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from proposals.images import MAX_PIXELS, ImageRefused, image_check, photo_prepare
from proposals.models import Attachment, Proposal, Survey
from proposals.services import WorkflowError, attachment_add
from tests.proposals.files import BANDUNG_GPS, KENARI_GPS, camera_jpeg, png_of
from tests.proposals.test_views import form_data

TOO_LARGE = "lebih dari 40 megapiksel"


def stored(attachment: Attachment) -> Image.Image:
    with attachment.file.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
    image.load()
    return image


def survey_data(**overrides) -> dict:
    return {
        "surveyed_on": timezone.localdate().isoformat(),
        "findings": "Jalan rusak sedang.",
        "recommendation": "recommended",
        "revised_volume": "100",
        **overrides,
    }


def test_a_decompression_bomb_is_refused_on_the_proposal_form(
    client, rw_kenari_001, cycle, betonisasi
):
    bomb = png_of(20_000, 20_000)
    assert len(bomb) < 100_000
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        {**form_data(betonisasi), "uploads": [SimpleUploadedFile("bom.png", bomb)]},
    )
    assert response.status_code == 200
    assert "Gambar bom.png lebih dari 40 megapiksel" in response.content.decode()
    assert response.context["form"].errors["uploads"]
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()


def test_a_decompression_bomb_is_refused_on_the_survey_form(
    client, ukpd_binamarga, proposal_kenari
):
    client.force_login(ukpd_binamarga)
    response = client.post(
        reverse("proposals:survey", args=[proposal_kenari.pk]),
        {**survey_data(), "photo": SimpleUploadedFile("bom.png", png_of(20_000, 20_000))},
    )
    assert response.status_code == 200
    assert "Gambar bom.png lebih dari 40 megapiksel" in response.content.decode()
    assert response.context["form"].errors["photo"]
    assert not Survey.objects.exists()
    assert not Attachment.objects.exists()
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.recommendation == ""


def test_an_image_of_144_megapixels_is_refused_not_downscaled(draft_kenari, rw_kenari_001):
    """12,000 × 12,000 is past the limit of 40 megapixels: refused from its header alone."""
    upload = SimpleUploadedFile("besar.png", png_of(12_000, 12_000))
    with pytest.raises(WorkflowError, match=TOO_LARGE):
        attachment_add(proposal=draft_kenari, upload=upload, by=rw_kenari_001)
    assert not Attachment.objects.exists()


def test_an_image_of_exactly_40_megapixels_is_kept_downscaled():
    assert MAX_PIXELS == 8_000 * 5_000
    photo = photo_prepare(png_of(8_000, 5_000), "batas.png")
    assert Image.open(io.BytesIO(photo.content)).size == (2_000, 1_250)


def test_a_camera_photo_is_stored_at_2000_px_without_its_exif(
    client, rw_kenari_001, cycle, betonisasi
):
    original = camera_jpeg((4000, 3000))
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        {
            **form_data(betonisasi, latitude="-6.180000", longitude="106.840000"),
            "uploads": [SimpleUploadedFile("jalan.jpg", original)],
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    photo = proposal.attachments.get()
    image = stored(photo)
    assert (image.format, image.size) == ("JPEG", (2000, 1500))
    assert not image.getexif()
    served = b"".join(client.get(photo.get_absolute_url()).streaming_content)
    assert b"Kamera Uji" not in served
    assert b"Pabrik Uji" not in served
    assert (photo.content_type, photo.size) == ("image/jpeg", len(served))
    assert len(served) < len(original)
    # The coordinates the RW typed stay: the photo's position only fills missing ones.
    assert (proposal.latitude, proposal.longitude) == (Decimal("-6.18"), Decimal("106.84"))


def test_the_photo_is_turned_as_the_camera_was_held(draft_kenari, rw_kenari_001):
    # Orientation 6: the camera was turned a quarter clockwise; the picture is 3000 × 4000.
    upload = SimpleUploadedFile("tegak.jpg", camera_jpeg((4000, 3000), orientation=6))
    image = stored(attachment_add(proposal=draft_kenari, upload=upload, by=rw_kenari_001))
    assert image.size == (1500, 2000)
    assert not image.getexif()
    # The blue top-left quarter of the sensor is the top right of the upright picture.
    red, _green, blue = image.getpixel((1400, 100))
    assert blue > 200 and red < 50
    red, _green, blue = image.getpixel((100, 100))
    assert red > 150 and blue < 80


@pytest.mark.parametrize(
    ("gps", "expected"),
    [
        (KENARI_GPS, (Decimal("-6.186200"), Decimal("106.850500"))),
        (BANDUNG_GPS, (None, None)),  # outside DKI Jakarta: not the proposal's place
        (None, (None, None)),
    ],
    ids=["kenari", "bandung", "no-gps"],
)
def test_the_photos_position_fills_missing_coordinates_inside_jakarta(
    client, rw_kenari_001, cycle, betonisasi, gps, expected
):
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        {
            **form_data(betonisasi, latitude="", longitude=""),
            "uploads": [SimpleUploadedFile("lokasi.jpg", camera_jpeg((800, 600), gps=gps))],
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == expected


def test_a_survey_photo_is_downscaled_and_leaves_the_coordinates(
    client, ukpd_binamarga, proposal_kenari
):
    client.force_login(ukpd_binamarga)
    response = client.post(
        reverse("proposals:survey", args=[proposal_kenari.pk]),
        {**survey_data(), "photo": SimpleUploadedFile("survei.jpg", camera_jpeg((4000, 3000)))},
    )
    assert response.status_code == 302
    survey = Survey.objects.select_related("photo").get()
    image = stored(survey.photo)
    assert image.size == (2000, 1500)
    assert not image.getexif()
    proposal_kenari.refresh_from_db()
    assert (proposal_kenari.latitude, proposal_kenari.longitude) == (None, None)


def test_a_png_with_transparency_stays_png(draft_kenari, rw_kenari_001):
    output = io.BytesIO()
    drawing = Image.new("RGBA", (2400, 1200), (0, 128, 0, 255))
    drawing.paste((0, 0, 0, 0), (0, 0, 600, 600))
    drawing.save(output, "PNG")
    upload = SimpleUploadedFile("denah.png", output.getvalue())
    attachment = attachment_add(proposal=draft_kenari, upload=upload, by=rw_kenari_001)
    image = stored(attachment)
    assert (attachment.content_type, image.format, image.mode) == ("image/png", "PNG", "RGBA")
    assert image.size == (2000, 1000)
    assert image.getpixel((10, 10))[3] == 0


def test_a_damaged_gps_position_is_dropped_and_the_photo_kept():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: 7}
    output = io.BytesIO()
    Image.new("RGB", (400, 300), "red").save(output, "JPEG", exif=exif)
    photo = photo_prepare(output.getvalue(), "gps-rusak.jpg")
    assert photo.location is None
    assert Image.open(io.BytesIO(photo.content)).size == (300, 400)  # still turned upright


SMALL_PHOTOS = [camera_jpeg((64, 48), orientation=3), png_of(64, 48)]


@pytest.mark.filterwarnings("ignore:(Tag data|Truncated File|Corrupt EXIF):UserWarning")
@settings(max_examples=200, deadline=None, database=None)
@given(
    photo=st.sampled_from(SMALL_PHOTOS),
    damage=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 10_000),
)
def test_a_damaged_photo_is_kept_or_refused_with_a_message(photo, damage, cut):
    """Bytes changed anywhere (EXIF included) or cut off: never an error other than the refusal."""
    data = bytearray(photo)
    for position, value in damage:
        data[position % len(data)] = value
    data = bytes(data[: max(len(data) - cut, 16)])
    try:
        image_check(data, "rusak.jpg")
        kept = photo_prepare(data, "rusak.jpg")
    except ImageRefused as refused:
        assert str(refused).startswith("Gambar rusak.jpg ")
    else:
        assert Image.open(io.BytesIO(kept.content)).size[0] <= 2000
