"""`manage.py demo_certificate build/demo-certificate/demo.p12`: the demo's office certificate,
created once (`make run` signs the demo's berita acara with it)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from musrenbang.demo.certificate import DEMO_SIGNER, office_pkcs12


class Command(BaseCommand):
    help = (
        "Buat sertifikat demo (bukan sertifikat sah) beserta otoritas sertifikatnya sendiri "
        "sebagai berkas PKCS#12, bila belum ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="berkas PKCS#12 yang dibuat, mis. build/demo.p12")
        parser.add_argument(
            "--passphrase",
            default=os.environ.get("SIGNING_PASSPHRASE", ""),
            help="kata sandi berkas (bawaan: SIGNING_PASSPHRASE)",
        )

    def handle(self, *args, path, passphrase, **options):
        target = Path(path)
        if target.exists():
            self.stdout.write(f"Sertifikat demo sudah ada: {target}")
            return
        if not passphrase:
            raise CommandError("Beri kata sandi: --passphrase atau SIGNING_PASSPHRASE.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only, like any file holding a private key.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(office_pkcs12(passphrase=passphrase))
        self.stdout.write(
            self.style.SUCCESS(f"Sertifikat demo dibuat: {target} ({DEMO_SIGNER}, tidak sah).")
        )
