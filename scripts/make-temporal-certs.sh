#!/usr/bin/env bash
# Makes the certificates for mutual TLS between lisplan and its Temporal server:
#
#   ca.pem                 the CA that signs the others, and that both sides trust
#   server.pem/-key.pem    the Temporal server (frontend and its internal services), for the
#                          names "temporal", "localhost" and 127.0.0.1, plus $TEMPORAL_CERT_NAMES
#   lisplan.pem/-key.pem   lisplan's worker, API and CLI
#   operator.pem/-key.pem  the Temporal Web UI and the temporal CLI in the server's container
#
# into the folder given (default certs/temporal, which git ignores). The CA's key stays there
# too, for the next certificate; keep the folder off shared disks and back it up like a secret.
# An existing folder is refused rather than overwritten: running workloads trust its CA.
#
#   scripts/make-temporal-certs.sh [dir]        TEMPORAL_CERT_NAMES="DNS:temporal.example.se" ...
#   CERT_DAYS=825 (the leaf certificates), CA_DAYS=3650
#
# docker-compose.yml mounts the files read-only; the containers run as uid 1000, so the keys
# (mode 0600) must belong to that uid: run this as it, or chown the folder afterwards.
set -euo pipefail

dir=${1:-certs/temporal}
cert_days=${CERT_DAYS:-825}
ca_days=${CA_DAYS:-3650}
extra_names=${TEMPORAL_CERT_NAMES:-}

if [ -e "$dir/ca.pem" ]; then
  echo "make-temporal-certs: $dir/ca.pem exists; remove the folder first to make a new CA" >&2
  exit 1
fi
mkdir -p "$dir"
chmod 700 "$dir"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# name, subject, extendedKeyUsage, subjectAltName (may be empty)
leaf() {
  local name=$1 subject=$2 usage=$3 san=$4 ext
  ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
    if [ -n "$san" ]; then echo "subjectAltName=$san"; fi
  } >"$ext"
  key "$dir/$name-key.pem"
  openssl req -new -key "$dir/$name-key.pem" -subj "$subject" -out "$dir/$name.csr"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -CAcreateserial \
    -days "$cert_days" -sha256 -extfile "$ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$ext"
}

key "$dir/ca-key.pem"
openssl req -x509 -new -key "$dir/ca-key.pem" -sha256 -days "$ca_days" -subj "/O=lisplan/CN=lisplan Temporal CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem"

# The server's certificate is also its client certificate towards its own internal services
# (internode mTLS), hence clientAuth beside serverAuth.
leaf server "/O=lisplan/CN=temporal" "serverAuth,clientAuth" "DNS:temporal,DNS:localhost,IP:127.0.0.1${extra_names:+,$extra_names}"
leaf lisplan "/O=lisplan/CN=lisplan" "clientAuth" ""
leaf operator "/O=lisplan/CN=temporal-operator" "clientAuth" ""

# Certificates are public; the keys stay 0600.
chmod 644 "$dir"/*.pem
chmod 600 "$dir"/*-key.pem
rm -f "$dir/ca.srl"
echo "make-temporal-certs: CA, server, lisplan and operator certificates in $dir (valid $cert_days days)"
