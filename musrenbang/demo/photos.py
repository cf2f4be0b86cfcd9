"""The demo's site photos: a street, a drain or goods handed over, drawn with Pillow from a seed."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1024, 768
CAPTION_HEIGHT = 64
WALLS = [(231, 211, 176), (214, 226, 232), (240, 232, 214), (205, 222, 196), (236, 205, 190)]
ROOFS = [(160, 72, 52), (128, 64, 48), (92, 100, 112), (176, 96, 60)]
# Which scene fits the catalogue sector of the proposal.
SCENES = {
    "Jalan": "street",
    "Penerangan jalan": "street",
    "Lalu lintas": "street",
    "Saluran air": "drain",
    "Sanitasi": "drain",
}


def site_photo(*, sector: str, caption: str, seed: int) -> bytes:
    """A JPEG of about 60–120 kB: the scene for `sector`, with the caption strip at its foot."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    horizon = 300 + rng.randint(-25, 25)
    _sky(draw, horizon)
    _houses(draw, rng, horizon)
    scene = SCENES.get(sector, "goods")
    {"street": _street, "drain": _drain, "goods": _goods}[scene](draw, rng, horizon)
    _caption(draw, caption)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=78, optimize=True)
    return out.getvalue()


def _sky(draw, horizon: int) -> None:
    for y in range(horizon):
        shade = y * 60 // horizon
        draw.line([(0, y), (WIDTH, y)], fill=(120 + shade, 168 + shade // 2, 222))


def _houses(draw, rng: random.Random, horizon: int) -> None:
    """A row of narrow kampung houses along the horizon, each with a roof, door and windows."""
    x = -rng.randint(0, 60)
    while x < WIDTH:
        width, height = rng.randint(110, 180), rng.randint(110, 190)
        top = horizon - height
        draw.rectangle([x, top, x + width, horizon + 30], fill=rng.choice(WALLS))
        draw.polygon(
            [(x - 8, top), (x + width // 2, top - 40), (x + width + 8, top)],
            fill=rng.choice(ROOFS),
        )
        for wx in range(x + 14, x + width - 30, 46):
            draw.rectangle([wx, top + 24, wx + 26, top + 56], fill=(70, 90, 110))
        door = x + width // 2 - 14
        draw.rectangle([door, horizon - 40, door + 28, horizon + 30], fill=(110, 74, 50))
        x += width + rng.randint(4, 16)


def _street(draw, rng: random.Random, horizon: int) -> None:
    """A freshly cast concrete lane running away between the houses, with its kerbs."""
    ground = horizon + 30
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=(128, 124, 112))
    middle = WIDTH // 2 + rng.randint(-40, 40)
    draw.polygon(
        [(middle - 70, ground), (middle + 70, ground), (WIDTH, HEIGHT), (0, HEIGHT)],
        fill=(196, 196, 190),
    )
    for side in (-1, 1):
        draw.line(
            [(middle + side * 70, ground), (WIDTH // 2 + side * 560, HEIGHT)],
            fill=(240, 240, 236),
            width=9,
        )
    for i in range(7):  # the joints of the concrete slabs
        y = ground + int((HEIGHT - ground) * (i / 7) ** 1.6)
        half = 70 + (y - ground) * (WIDTH // 2 + 560 - 70) // (HEIGHT - ground)
        draw.line([(middle - half, y), (middle + half, y)], fill=(170, 170, 164), width=2)
    pole = rng.choice([120, WIDTH - 140])
    draw.rectangle([pole, horizon - 120, pole + 8, ground + 80], fill=(80, 80, 84))
    draw.rectangle([pole - 30, horizon - 126, pole + 8, horizon - 116], fill=(80, 80, 84))


def _drain(draw, rng: random.Random, horizon: int) -> None:
    """A rebuilt concrete drain along the lane, water running, its cover slabs at the side."""
    ground = horizon + 30
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=(150, 146, 134))
    left = WIDTH // 2 - 40 + rng.randint(-30, 30)
    draw.polygon(
        [(left, ground), (left + 60, ground), (left + 420, HEIGHT), (left - 260, HEIGHT)],
        fill=(206, 204, 196),
    )
    draw.polygon(
        [(left + 10, ground), (left + 50, ground), (left + 330, HEIGHT), (left - 170, HEIGHT)],
        fill=(62, 96, 92),
    )
    for i in range(10):  # ripples
        y = ground + 20 + i * (HEIGHT - ground - 30) // 10
        span = 20 + (y - ground) * 230 // (HEIGHT - ground)
        draw.line(
            [(left + 30 - span // 2, y), (left + 30 + span // 3, y)], fill=(96, 132, 126), width=2
        )
    for i in range(4):  # cover slabs waiting to be laid
        x, y = WIDTH - 330 + i * 70, HEIGHT - 150 - i * 18
        draw.rectangle(
            [x, y, x + 60, y + 90], fill=(184, 182, 174), outline=(120, 118, 110), width=3
        )


def _goods(draw, rng: random.Random, horizon: int) -> None:
    """Goods handed over at the RW secretariat: a tiled floor, boxes and a tent frame."""
    ground = horizon + 30
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=(214, 206, 190))
    for x in range(-400, WIDTH + 400, 90):
        draw.line(
            [(WIDTH // 2 + (x - WIDTH // 2) // 4, ground), (x, HEIGHT)],
            fill=(190, 182, 166),
            width=2,
        )
    draw.polygon(
        [
            (180, ground - 170),
            (WIDTH - 180, ground - 170),
            (WIDTH - 120, ground - 110),
            (120, ground - 110),
        ],
        fill=(38, 92, 160),
    )
    for x in (140, WIDTH - 150):
        draw.rectangle([x, ground - 110, x + 10, ground + 160], fill=(150, 150, 156))
    for i in range(rng.randint(4, 6)):
        x = 220 + i * 105 + rng.randint(-10, 10)
        size = rng.randint(80, 120)
        draw.rectangle(
            [x, HEIGHT - 120 - size, x + size, HEIGHT - 120],
            fill=(196, 150, 96),
            outline=(140, 100, 60),
            width=3,
        )
        draw.line(
            [(x, HEIGHT - 120 - size // 2), (x + size, HEIGHT - 120 - size // 2)],
            fill=(150, 110, 70),
            width=2,
        )


def _caption(draw, caption: str) -> None:
    top = HEIGHT - CAPTION_HEIGHT
    draw.rectangle([0, top, WIDTH, HEIGHT], fill=(24, 30, 38))
    try:  # the fonts the PDFs need are installed; Pillow's own lacks the em dash
        font = ImageFont.truetype("DejaVuSans.ttf", 24)
    except OSError:
        font = ImageFont.load_default(size=24)
    draw.text((24, top + 17), caption, font=font, fill=(255, 255, 255))
