#!/bin/bash
# Installs the Debian packages ReplyIntent needs to build and run (and, with --test, to run the
# whole test suite against the C++ and Python gRPC peers). Installs only what is missing.
set -euo pipefail
pkgs=(libnghttp2-dev libprotobuf-c-dev protobuf-c-compiler libssl-dev zlib1g-dev pkg-config grpc-proto openssl libsqlite3-dev libpq-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(nghttp2-client nghttp2-server libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev
         g++ python3-venv procps postgresql nginx)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
