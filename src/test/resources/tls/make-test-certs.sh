#!/usr/bin/env bash
# make-test-certs.sh DIR: the test PKI, made with openssl into DIR (created if missing). Used by
# .ci/run (before RabbitMQ starts, which reads the files) and by support.TestCertificates, so
# both get the same certificates from one recipe.
#
#   ca.pem, ca-key.pem                        the test CA the tests trust (TLS_CA_FILE)
#   server.pem, server-key.pem                signed by it, SAN DNS:localhost, IP:127.0.0.1
#   wrong-host.pem, wrong-host-key.pem        signed by it, SAN DNS:wrong-host.invalid only
#   untrusted-ca.pem                          a second CA nobody trusts
#   untrusted-server.pem, untrusted-server-key.pem   signed by that one, same SANs as server.pem
#
# Keys are unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), which redis-server, RabbitMQ (Erlang
# ssl) and Python's ssl module all read. Everything is world-readable: RabbitMQ runs as the
# `rabbitmq` user, and these are throwaway test keys.
set -euo pipefail

dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Short-lived on purpose: a fresh set is made per CI run or test JVM.
days=30

# ca NAME CN: a self-signed CA certificate NAME.pem with key NAME-key.pem.
ca() {
  openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days "$days" \
    -subj "/CN=$2" -keyout "$1-key.pem" -out "$1.pem" \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -addext 'subjectKeyIdentifier=hash' 2>/dev/null
}

# leaf NAME CA SAN: a server certificate NAME.pem (key NAME-key.pem) signed by CA for SAN.
# Host name checks (RFC 6125, Java's HTTPS endpoint identification) look at the SAN only.
leaf() {
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj '/CN=enrollment test server' \
    -keyout "$1-key.pem" -out "$tmp/$1.csr" 2>/dev/null
  printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' \
    'extendedKeyUsage=serverAuth' \
    'authorityKeyIdentifier=keyid' \
    "subjectAltName=$3" >"$tmp/$1.ext"
  openssl x509 -req -sha256 -days "$days" -in "$tmp/$1.csr" -CA "$2.pem" -CAkey "$2-key.pem" \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$tmp/$1.ext" -out "$1.pem" 2>/dev/null
}

ca ca 'Enrollment Test CA'
leaf server ca 'DNS:localhost,IP:127.0.0.1'
leaf wrong-host ca 'DNS:wrong-host.invalid'
ca untrusted-ca 'Untrusted Test CA'
leaf untrusted-server untrusted-ca 'DNS:localhost,IP:127.0.0.1'
rm -f untrusted-ca-key.pem   # nothing signs with it again

chmod 0755 .
chmod 0644 ./*.pem
