#!/usr/bin/env bash
# A self-signed certificate for trying the mock over HTTPS (browsers will warn; accept it once):
#   scripts/make-cert.sh [folder]        (default build/tls), then
#   scripts/run.sh --tls-cert build/tls/cert.pem --tls-key build/tls/key.pem
set -euo pipefail
dir=${1:-build/tls}
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
echo "--tls-cert $dir/cert.pem --tls-key $dir/key.pem"
