"""A certificate authority and an office certificate of its own, as a PKCS#12 file: the demo
signs its berita acara with one (`manage.py demo_certificate`), the tests with throwaway ones.

Never a real certificate: a deployment gets its office's from a certification authority (README).
"""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

# The demo's names say on every signature that it is not valid. RFC 5280 bounds a common name
# at 64 characters: the office's full name goes in the organisational unit.
DEMO_MARK = "DEMO — TIDAK SAH"
DEMO_SIGNER = f"{DEMO_MARK} (Suku Badan Perencanaan Jakarta Pusat)"
DEMO_OFFICE = "Suku Badan Perencanaan Pembangunan Kota Adm. Jakarta Pusat"
DEMO_AUTHORITY = f"{DEMO_MARK} Otoritas Sertifikat Demo Musrenbang"


def _name(common_name: str, organization: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    return x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(*, signs_documents: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signs_documents,
        content_commitment=signs_documents,  # nonRepudiation, which pyHanko asks of a signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signs_documents,
        crl_sign=not signs_documents,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(subject, issuer, public_key, issuer_key, *, authority: bool, days: int):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(
            x509.BasicConstraints(ca=authority, path_length=0 if authority else None),
            critical=True,
        )
        .add_extension(_key_usage(signs_documents=not authority), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def office_pkcs12(
    *,
    passphrase: str,
    signer: str = DEMO_SIGNER,
    office: str = DEMO_OFFICE,
    authority: str = DEMO_AUTHORITY,
    organization: str = DEMO_MARK,
) -> bytes:
    """A new authority (RSA 2048) and the office certificate it issues (digitalSignature and
    nonRepudiation), with the office's key, as a PKCS#12 file locked by the passphrase."""
    authority_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    authority_name = _name(authority, organization)
    authority_cert = _certificate(
        authority_name,
        authority_name,
        authority_key.public_key(),
        authority_key,
        authority=True,
        days=10 * 365,
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(
        _name(signer, organization, office),
        authority_name,
        key.public_key(),
        authority_key,
        authority=False,
        days=5 * 365,
    )
    return pkcs12.serialize_key_and_certificates(
        signer.encode(),
        key,
        cert,
        [authority_cert],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
