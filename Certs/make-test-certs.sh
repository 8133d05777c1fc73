#!/usr/bin/env bash
# Makes a throw-away test PKI for ReplyIntent's TLS tests (NEVER for production):
#   ca.pem / ca.key           a test certificate authority
#   server.pem / server.key   a server certificate for localhost, 127.0.0.1, ::1 and
#                             *.test.google.fr (the interop clients' server_host_override)
#   client.pem / client.key   a client certificate (mutual TLS), signed by the same CA
# into the directory given as $1 (default: the directory of this script).
# Idempotent: existing files are kept while they verify against ca.pem and stay valid for
# another 30 days; otherwise everything is made anew. Keys are EC P-256 (fast handshakes).
set -euo pipefail

dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
mkdir -p "$dir"
cd "$dir"

files=(ca.pem ca.key server.pem server.key client.pem client.key)
complete=1
for file in "${files[@]}"; do [[ -s "$file" ]] || complete=0; done
if [[ $complete == 1 ]] \
    && openssl verify -CAfile ca.pem server.pem client.pem >/dev/null 2>&1 \
    && openssl x509 -checkend 2592000 -noout -in server.pem >/dev/null 2>&1 \
    && openssl x509 -checkend 2592000 -noout -in client.pem >/dev/null 2>&1; then
    exit 0
fi

# Build in a private temporary directory, then move into place, so that concurrent runs
# never see half-written files.
work="$(mktemp -d "$dir/.make-test-certs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
umask 077

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey "$work/ca.key"
openssl req -x509 -new -key "$work/ca.key" -sha256 -days 3650 \
    -subj "/O=ReplyIntent Test/CN=ReplyIntent Test CA (not for production)" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$work/ca.pem"

sign() {  # sign <name> <subject> <extensions>
    newkey "$work/$1.key"
    openssl req -new -key "$work/$1.key" -subj "$2" -out "$work/$1.csr"
    printf '%b' "$3" > "$work/$1.ext"
    openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 \
        -extfile "$work/$1.ext" -out "$work/$1.pem" 2>/dev/null
}

sign server "/O=ReplyIntent Test/CN=localhost" \
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,DNS:*.test.google.fr\n"
sign client "/O=ReplyIntent Test/CN=replyintent-test-client" \
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"

openssl verify -CAfile "$work/ca.pem" "$work/server.pem" "$work/client.pem" >/dev/null
chmod 644 "$work"/*.pem
chmod 600 "$work"/*.key
for file in "${files[@]}"; do mv -f "$work/$file" "$dir/$file"; done
echo "test certificates written to $dir (test use only)"
