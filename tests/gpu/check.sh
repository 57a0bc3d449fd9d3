#!/usr/bin/env bash
# GPU machine check (never run by CI): builds, serves the PaddleOCR classifier on a silo with
# Inference:Device=cuda, checks the CUDA provider is in use and outputs match the CPU provider's
# (relative error <= 1e-3), and prints GPU vs CPU throughput at batch 1, 8, 64.
# Needs: an NVIDIA GPU and driver, CUDA 13 and cuDNN 9 libraries on the loader path, .NET 10, npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L; then
  echo "FAIL: no NVIDIA GPU visible (nvidia-smi missing or failing)"; exit 1
fi
dotnet build -c Release tests/Cluster.Benchmarks -v quiet -nologo
exec dotnet run -c Release --no-build --project tests/Cluster.Benchmarks -- --gpu-check
