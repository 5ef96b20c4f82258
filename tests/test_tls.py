"""``--tls``: the local CA and server certificate (emulator/tls.py), the setting and the flag."""

from __future__ import annotations

import os
import socket
import ssl
import stat
import threading
from pathlib import Path

import pytest
from cryptography import x509

from emulator.cli import build_parser, resolve_settings
from emulator.client_config import client_api, gen1_flat_keys, update_amplify_outputs
from emulator.settings import ConfigError, Settings, load_config
from emulator.tls import TLS_DIR, TlsError, ensure_tls, server_names


def handshake(files_server: Path, ca: Path, server_hostname: str) -> str:
    """A real TLS handshake over loopback: the server loads ``server.pem``, the client trusts only ``ca``."""
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(files_server)
    client_context = ssl.create_default_context(cafile=str(ca))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        errors: list[BaseException] = []

        def serve() -> None:
            connection, _ = listener.accept()
            try:
                with server_context.wrap_socket(connection, server_side=True) as tls:
                    tls.sendall(b"ok")
            except (ssl.SSLError, OSError) as exc:
                errors.append(exc)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with socket.create_connection(listener.getsockname()) as raw:
            with client_context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                answer = tls.recv(2).decode()
        thread.join(5)
    return answer


def test_the_certificate_is_trusted_through_the_ca_for_every_loopback_name(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path, "127.0.0.1")
    for name in ("localhost", "127.0.0.1", "::1"):
        assert handshake(files.server, files.ca_cert, name) == "ok"
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(files.server, files.ca_cert, "example.com")


def test_ca_is_made_once_and_the_server_certificate_reused(tmp_path: Path) -> None:
    first = ensure_tls(tmp_path, "127.0.0.1")
    ca, server = first.ca_cert.read_bytes(), first.server.read_bytes()
    second = ensure_tls(tmp_path, "127.0.0.1")
    assert second.ca_cert.read_bytes() == ca and second.server.read_bytes() == server
    for name in ("ca-key.pem", "server.pem"):  # private keys: owner only
        assert stat.S_IMODE(os.stat(tmp_path / TLS_DIR / name).st_mode) == 0o600


def test_another_host_gets_a_new_certificate_from_the_same_ca(tmp_path: Path) -> None:
    first = ensure_tls(tmp_path, "127.0.0.1")
    ca, server = first.ca_cert.read_bytes(), first.server.read_bytes()
    files = ensure_tls(tmp_path, "devbox.internal")
    assert files.ca_cert.read_bytes() == ca and files.server.read_bytes() != server
    assert handshake(files.server, files.ca_cert, "devbox.internal") == "ok"


def test_a_certificate_of_another_ca_is_replaced(tmp_path: Path) -> None:
    other = ensure_tls(tmp_path / "other", "127.0.0.1")
    ours = tmp_path / "ours"
    ensure_tls(ours, "127.0.0.1")
    (ours / TLS_DIR / "server.pem").write_bytes(other.server.read_bytes())
    files = ensure_tls(ours, "127.0.0.1")
    assert handshake(files.server, files.ca_cert, "localhost") == "ok"


def test_names_cover_loopback_and_a_named_host_only() -> None:
    assert server_names("127.0.0.1") == ("localhost", "127.0.0.1", "::1")
    assert server_names("0.0.0.0") == ("localhost", "127.0.0.1", "::1")
    assert server_names("192.168.1.20") == ("localhost", "127.0.0.1", "::1", "192.168.1.20")


def test_the_ca_certificate_is_a_ca_and_the_server_one_is_not(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path, "127.0.0.1")
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    leaf = x509.load_pem_x509_certificates(files.server.read_bytes())[0]
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    leaf.verify_directly_issued_by(ca)


@pytest.mark.parametrize("damaged", ["ca-key.pem", "ca.pem"])
def test_a_damaged_ca_file_is_named(tmp_path: Path, damaged: str) -> None:
    ensure_tls(tmp_path, "127.0.0.1")
    (tmp_path / TLS_DIR / damaged).write_text("not pem")
    with pytest.raises(TlsError, match=rf"{damaged}: not a PEM"):
        ensure_tls(tmp_path, "127.0.0.1")


def test_a_ca_certificate_of_another_key_is_refused(tmp_path: Path) -> None:
    ensure_tls(tmp_path / "a", "127.0.0.1")
    ensure_tls(tmp_path / "b", "127.0.0.1")
    (tmp_path / "a" / TLS_DIR / "ca.pem").write_bytes((tmp_path / "b" / TLS_DIR / "ca.pem").read_bytes())
    with pytest.raises(TlsError, match="does not belong to"):
        ensure_tls(tmp_path / "a", "127.0.0.1")


# --- the setting -------------------------------------------------------------------------------


def test_tls_is_off_by_default_and_on_with_the_flag_or_the_config_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_settings(build_parser().parse_args(["serve", "s.graphql"])).tls is False
    assert resolve_settings(build_parser().parse_args(["serve", "s.graphql", "--tls"])).tls is True
    config = tmp_path / "appsync-emulator.toml"
    config.write_text("tls = true\n")
    assert load_config(config).tls is True
    config.write_text('tls = "yes"\n')
    with pytest.raises(ConfigError, match="key 'tls' must be true or false"):
        load_config(config)


def test_client_config_points_at_https_with_tls() -> None:
    api = client_api(Settings(tls=True, port=20002))
    assert api.graphql_url == "https://127.0.0.1:20002/graphql"
    assert update_amplify_outputs(None, api)["data"]["url"] == "https://127.0.0.1:20002/graphql"
    assert "aws_appsync_dangerously_connect_to_http_endpoint_for_testing" not in gen1_flat_keys(api)
    assert gen1_flat_keys(client_api(Settings()))["aws_appsync_graphqlEndpoint"].startswith("http://")
