import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from musrenbang.demo import demo_load

DEFAULT_PASSWORD = "musrenbang2024"


class Command(BaseCommand):
    help = (
        "Muat data demo Jakarta Pusat: wilayah, 386 RW, UKPD teknis dan pengguna untuk setiap "
        "peran. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Jalankan walaupun DEBUG mati (produksi)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG mati: data demo tidak dimuat ke basis data produksi. "
                "Pakai --force bila memang dimaksudkan."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        counts = demo_load(password=password)
        self.stdout.write(
            "Demo Jakarta Pusat: {kecamatan} kecamatan, {kelurahan} kelurahan, {rw} RW, "
            "{ukpd} UKPD teknis, {users} pengguna (DKI: {kelurahan_dki} kelurahan); "
            "{catalogue} item kamus usulan, {proposals} usulan 2024 ({surveys} disurvei), "
            "{sessions} sidang ({sessions_closed} ditutup); {decisions} keputusan akhir, "
            "{realisations} realisasi ({done} selesai); musrenbang {next_year} dibuka dengan "
            "{carried} usulan bawaan dari 2024 dan {pokir} pokir DPRD.".format(**counts)
        )
        self.stdout.write(
            "Pengguna demo: admin, suban, dewan, camat.senen, lurah.kramat, rw.kenari.001, "
            "ukpd.binamarga, dprd.jakartapusat, …"
        )
        self.stdout.write(self.style.SUCCESS(f"Kata sandi semua pengguna demo: {password}"))
