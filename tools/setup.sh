#!/usr/bin/env bash
# Installs every Debian package the project needs. Idempotent: when everything is present it
# changes nothing and does not touch the network.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config   # toolchain
  libsystemc-dev                                  # SystemC 2.3.4: the cycle-level model
  libboost-program-options-dev                    # the enos command line
  nlohmann-json3-dev                              # JSON configs and reports
  catch2                                          # tests (Catch2 v2)
  python3                                         # bench helper scripts
  libtorch-dev zlib1g-dev                         # models/, enos train (LibTorch 1.13 CPU)
  libssl-dev                                      # SHA-256 of the model zoo's checkpoints
  dataset-fashion-mnist                           # Fashion-MNIST in /usr/share/datasets
  python3-pil python3-numpy                       # the CIFAR-10 JPEG → binary converter
  clang-14 libclang-rt-14-dev                     # the libFuzzer targets (fuzz/, docs/fuzzing.md)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
