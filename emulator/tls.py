"""``--tls``: a local certificate authority in the data dir and the server certificate it issues.

aws-amplify v6 always opens its subscriptions with ``wss://``, and a browser page served over
HTTPS may only call HTTPS and WSS endpoints, so the emulator can serve TLS on its one port.
The server certificate names ``localhost``, ``127.0.0.1`` and ``::1`` (and ``--host`` when it
names a host) and is signed by a CA that exists only in this data dir: trust that CA once
(``NODE_EXTRA_CA_CERTS`` for Node, the system or browser store for browsers) and every restart
stays trusted. The CA is made once and kept; the server certificate is reused while it is valid
for these names and this CA, and made again otherwise.

Written with ``cryptography`` (already a dependency): a tool such as mkcert would be one more
binary for every user and CI machine to install.
"""

from __future__ import annotations

import ipaddress
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from emulator.auth.generated import read_or_create

TLS_DIR = "tls"
CA_KEY_FILE = "ca-key.pem"
CA_CERT_FILE = "ca.pem"
SERVER_FILE = "server.pem"  # the server certificate, then the CA certificate, then the server's key
CA_DAYS = 3650
SERVER_DAYS = 365
RENEW_WITHIN = timedelta(days=30)
ALWAYS_NAMED = ("localhost", "127.0.0.1", "::1")
_ANY_ADDRESS = ("", "0.0.0.0", "::")


class TlsError(Exception):
    """The TLS files in the data dir cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class TlsFiles:
    """What uvicorn loads (``server``) and what clients must trust (``ca_cert``)."""

    ca_cert: Path
    server: Path


def ca_cert_path(data_dir: Path) -> Path:
    """Where the CA certificate clients trust lives (absolute: it is printed for copy and paste)."""
    return (data_dir / TLS_DIR / CA_CERT_FILE).resolve()


def server_names(host: str) -> tuple[str, ...]:
    """The names the server certificate covers: the loopback names, and ``host`` when it names one."""
    names = list(ALWAYS_NAMED)
    if host not in _ANY_ADDRESS and host not in names:
        names.append(host)
    return tuple(names)


def ensure_tls(data_dir: Path, host: str) -> TlsFiles:
    """The CA (made once) and a server certificate for ``host`` (made when missing, stale or for other names)."""
    folder = data_dir / TLS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = _private_key(read_or_create(folder / CA_KEY_FILE, _new_key_pem), folder / CA_KEY_FILE)
    ca_path = folder / CA_CERT_FILE
    ca_cert = _certificate(read_or_create(ca_path, lambda: _ca_certificate(ca_key).public_bytes(serialization.Encoding.PEM)), ca_path)
    if ca_cert.public_key() != ca_key.public_key():
        raise TlsError(f"{ca_path} does not belong to {folder / CA_KEY_FILE}; remove the folder {folder} to make a "
                       "new CA (clients then have to trust the new one)")
    server_path = folder / SERVER_FILE
    names = server_names(host)
    if not _server_file_usable(server_path, ca_cert, names):
        _write_private(server_path, _server_pem(ca_key, ca_cert, names))
    return TlsFiles(ca_cert=ca_path.resolve(), server=server_path.resolve())


# ---------------------------------------------------------------------------------------------
# Making the certificates


def _new_key_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _private_key(pem: bytes, path: Path) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise TlsError(f"{path}: not a PEM private key ({exc}); remove the folder {path.parent} to make a new CA") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TlsError(f"{path}: not an EC private key; remove the folder {path.parent} to make a new CA")
    return key


def _certificate(pem: bytes, path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise TlsError(f"{path}: not a PEM certificate ({exc}); remove the folder {path.parent} to make a new CA") from exc


def _ca_certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = datetime.now(UTC)
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "appsync-emulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"appsync-emulator local CA {now:%Y-%m-%d %H:%M:%S}"),
    ])
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _key_usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False, decipher_only=False,
    )


def _alternative_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _server_pem(ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, names: tuple[str, ...]) -> bytes:
    """A server certificate for ``names`` signed by the CA, followed by the CA certificate and the key."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([_alternative_name(n) for n in names]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return b"".join([
        cert.public_bytes(serialization.Encoding.PEM),
        ca_cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    ])


def _server_file_usable(path: Path, ca_cert: x509.Certificate, names: tuple[str, ...]) -> bool:
    """True when ``path`` holds a certificate of this CA, for all ``names``, valid for a while yet, and its key."""
    try:
        pem = path.read_bytes()
        cert = x509.load_pem_x509_certificates(pem)[0]
        key = serialization.load_pem_private_key(pem[pem.index(b"-----BEGIN PRIVATE KEY-----"):], password=None)
        cert.verify_directly_issued_by(ca_cert)
        covered = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    wanted = {_alternative_name(n) for n in names}
    fresh = cert.not_valid_after_utc - datetime.now(UTC) > RENEW_WITHIN
    return key.public_key() == cert.public_key() and fresh and wanted <= set(covered)


def _write_private(path: Path, content: bytes) -> None:
    """Replace ``path`` whole, readable by the owner only (it holds a private key)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
