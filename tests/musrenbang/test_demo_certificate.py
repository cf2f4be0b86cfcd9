"""`manage.py demo_certificate`: the demo's office certificate, marked as not valid, made once."""

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command

from musrenbang.demo.certificate import DEMO_MARK, DEMO_SIGNER


def test_it_creates_a_demo_certificate_once(tmp_path, capsys):
    path = tmp_path / "sertifikat" / "demo.p12"
    call_command("demo_certificate", str(path), passphrase="demo")
    created = path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o600
    call_command("demo_certificate", str(path), passphrase="lain")
    assert path.read_bytes() == created
    assert "sudah ada" in capsys.readouterr().out

    key, certificate, (authority,) = pkcs12.load_key_and_certificates(created, b"demo")
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == DEMO_SIGNER
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == DEMO_MARK
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert certificate.issuer == authority.subject
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
