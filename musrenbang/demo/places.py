"""Where the demo's proposals lie: about where each kelurahan of Jakarta Pusat is, so that the
maps of the demo show its proposals in the right part of the city.

The points are approximate centres (to three decimals, some 100 m), not surveyed boundaries; a
proposal is placed within a few hundred metres of its kelurahan's. They are drawn from a seed of
their own, so placing them leaves every other figure of the demo as it was.
"""

import random
from decimal import Decimal

SEED = 2024_0601

# Latitude and longitude of each kelurahan of Kota Administrasi Jakarta Pusat, by name.
KELURAHAN_CENTRES: dict[str, tuple[str, str]] = {
    # Gambir
    "Gambir": ("-6.177", "106.823"),
    "Cideng": ("-6.170", "106.808"),
    "Petojo Utara": ("-6.164", "106.815"),
    "Petojo Selatan": ("-6.173", "106.814"),
    "Kebon Kelapa": ("-6.166", "106.824"),
    "Duri Pulo": ("-6.161", "106.808"),
    # Sawah Besar
    "Pasar Baru": ("-6.162", "106.834"),
    "Karang Anyar": ("-6.153", "106.832"),
    "Kartini": ("-6.153", "106.838"),
    "Gunung Sahari Utara": ("-6.146", "106.837"),
    "Mangga Dua Selatan": ("-6.143", "106.827"),
    # Kemayoran
    "Kemayoran": ("-6.161", "106.848"),
    "Kebon Kosong": ("-6.156", "106.856"),
    "Harapan Mulia": ("-6.164", "106.862"),
    "Serdang": ("-6.152", "106.867"),
    "Gunung Sahari Selatan": ("-6.156", "106.842"),
    "Cempaka Baru": ("-6.159", "106.865"),
    "Sumur Batu": ("-6.162", "106.870"),
    "Utan Panjang": ("-6.168", "106.860"),
    # Senen
    "Senen": ("-6.176", "106.842"),
    "Kenari": ("-6.192", "106.848"),
    "Paseban": ("-6.193", "106.856"),
    "Kramat": ("-6.183", "106.849"),
    "Kwitang": ("-6.183", "106.842"),
    "Bungur": ("-6.171", "106.847"),
    # Cempaka Putih
    "Cempaka Putih Timur": ("-6.178", "106.876"),
    "Cempaka Putih Barat": ("-6.181", "106.866"),
    "Rawasari": ("-6.190", "106.870"),
    # Menteng
    "Menteng": ("-6.196", "106.833"),
    "Pegangsaan": ("-6.202", "106.843"),
    "Cikini": ("-6.190", "106.840"),
    "Gondangdia": ("-6.188", "106.830"),
    "Kebon Sirih": ("-6.183", "106.828"),
    # Tanah Abang
    "Gelora": ("-6.217", "106.803"),
    "Bendungan Hilir": ("-6.210", "106.814"),
    "Karet Tengsin": ("-6.206", "106.818"),
    "Petamburan": ("-6.196", "106.807"),
    "Kebon Melati": ("-6.196", "106.817"),
    "Kebon Kacang": ("-6.188", "106.820"),
    "Kampung Bali": ("-6.184", "106.814"),
    # Johar Baru
    "Johar Baru": ("-6.184", "106.858"),
    "Kampung Rawa": ("-6.180", "106.860"),
    "Galur": ("-6.180", "106.853"),
    "Tanah Tinggi": ("-6.177", "106.853"),
}

# Most RWs mark where the work is; some leave the map alone.
PLACED_SHARE = 0.85
SPREAD = 0.004  # degrees each way, about 450 m


def place(proposals) -> None:
    """Give most of the proposals a point near their kelurahan's centre (in place, unsaved)."""
    rng = random.Random(SEED)
    for proposal in proposals:
        centre = KELURAHAN_CENTRES.get(proposal.rw.parent.name)
        if centre is None or rng.random() >= PLACED_SHARE:
            continue
        latitude, longitude = (Decimal(value) for value in centre)
        proposal.latitude = latitude + _offset(rng)
        proposal.longitude = longitude + _offset(rng)


def _offset(rng: random.Random) -> Decimal:
    return Decimal(round(rng.uniform(-SPREAD, SPREAD), 6)).quantize(Decimal("0.000001"))
