# SPDX-License-Identifier: GPL-3.0-or-later
"""ca_path against a real HTTPS listener on 127.0.0.1, its certificate signed by a CA made here."""

import datetime
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.twilio_community.serverless.plugins.module_utils._core.errors import OptionError, TwilioError
from ansible_collections.twilio_community.serverless.plugins.module_utils._http.client import TwilioClient
from ansible_collections.twilio_community.serverless.plugins.module_utils._options import connection_from_params

from ....conftest import ACCOUNT, SEED, SMALL, TOKEN, SimulatorServer

SERVICE_PATH = "/v1/Services/%s" % SMALL


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _cert(subject, issuer, public_key, signing_key, ca, san=None):
    # The extensions Python 3.13's strict verification requires of a CA and a server certificate.
    now = datetime.datetime.now(datetime.timezone.utc)
    usage = dict(digital_signature=not ca, content_commitment=False, key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(**usage), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
                              critical=False))
    if san:
        builder = (builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A throwaway CA, a server certificate for 127.0.0.1 signed by it, and the simulator serving HTTPS."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name("test CA"), _name("test CA"), ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(_name("127.0.0.1"), ca.subject, key.public_key(), ca_key, ca=False,
                 san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    (folder / "not-pem.txt").write_text("hello\n")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(folder / "server.pem"), str(folder / "server.key"))
    server = SimulatorServer(seed=SEED, ssl_context=context).start()
    try:
        yield server, folder
    finally:
        server.stop()


def client_for(server, monkeypatch, **options):
    # Each test states the CA environment it means; the machine's own must not leak in.
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "TWILIO_SERVERLESS_CA_PATH"):
        monkeypatch.delenv(name, raising=False)
    params = dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=server.base_url, retries=0, request_timeout=5.0,
                  validate_certs=True)
    params.update(options)
    return TwilioClient(connection_from_params(params))


def test_listener_is_https(tls):
    assert tls[0].base_url.startswith("https://127.0.0.1:")


def test_ca_path_verifies_the_host(tls, monkeypatch):
    server, folder = tls
    client = client_for(server, monkeypatch, ca_path=str(folder / "ca.pem"))
    assert client.get(SERVICE_PATH, "service")["sid"] == SMALL


def test_without_ca_path_verification_fails_clearly(tls, monkeypatch):
    server, dummy = tls
    client = client_for(server, monkeypatch)
    with pytest.raises(TwilioError) as info:
        client.get(SERVICE_PATH, "service 'small-app'")
    assert info.value.msg.startswith("TLS verification of 127.0.0.1 failed for service 'small-app': ")
    assert "Give the CA bundle that signs its certificate in ca_path" in info.value.msg
    assert not info.value.retryable


def test_ca_path_wins_over_requests_ca_bundle(tls, monkeypatch):
    server, folder = tls
    client = client_for(server, monkeypatch, ca_path=str(folder / "ca.pem"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(folder / "server.pem"))  # a bundle that cannot verify it
    assert client.get(SERVICE_PATH, "service")["sid"] == SMALL


def test_requests_ca_bundle_is_honoured_without_ca_path(tls, monkeypatch):
    server, folder = tls
    client = client_for(server, monkeypatch)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(folder / "ca.pem"))
    assert client.get(SERVICE_PATH, "service")["sid"] == SMALL


def test_validate_certs_false_wins_even_over_requests_ca_bundle(tls, monkeypatch):
    server, folder = tls
    client = client_for(server, monkeypatch, validate_certs=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(folder / "server.pem"))
    assert client.get(SERVICE_PATH, "service")["sid"] == SMALL


def test_env_fallback(tls, monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.twilio_community.serverless.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC
    server, folder = tls
    monkeypatch.setenv("TWILIO_SERVERLESS_CA_PATH", str(folder / "ca.pem"))
    validated = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({"account_sid": ACCOUNT, "auth_token": TOKEN})
    assert validated.validated_parameters["ca_path"] == str(folder / "ca.pem")


@pytest.mark.parametrize("name, message", [
    ("missing.pem", "is not a file; expected a file of PEM-encoded CA certificates"),
    ("not-pem.txt", "holds no PEM certificate"),
    (".", "is not a file"),
])
def test_bad_ca_path_is_an_option_error(tls, name, message):
    folder = tls[1]
    with pytest.raises(OptionError) as info:
        connection_from_params(dict(account_sid=ACCOUNT, auth_token=TOKEN, ca_path=str(folder / name)))
    assert str(info.value).startswith("ca_path: ") and message in str(info.value)


def test_module_with_validate_certs_false_warns_once(tls, monkeypatch, run_main):
    from ansible_collections.twilio_community.serverless.plugins.modules import serverless_build_info as info
    server = tls[0]
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    result = run_main(info, dict(account_sid=ACCOUNT, auth_token=TOKEN, base_url=server.base_url,
                                 validate_certs=False, service=SMALL, limit=1))
    assert "failed" not in result and len(result["builds"]) == 1
    warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert len(warnings) == 1 and warnings[0].startswith("validate_certs is false")
