#!/usr/bin/env bash
# GPU check from source, on a machine with the .NET 10 SDK (bare GPU machines: bundle.sh and
# run-from-bundle.sh instead). Builds, fetches the PaddleOCR classifier and recognizer, and runs
# the check program (tests/Cluster.Benchmarks/GpuCheck.cs): CUDA provider in use, outputs equal to
# the CPU provider's within 1e-3, GPU vs CPU throughput raw and through a silo with
# Inference:Device=cuda, the silo's GPU memory budget and a replica's footprint. Never run by CI.
# Arguments go to the check: --device auto runs on the CPU where CUDA is not usable and exits 0.
# Needs: .NET 10, npm (first run), an NVIDIA GPU and driver, CUDA 13 and cuDNN 9 on the loader path.
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/gpu/fetch-models.sh .cache/models
dotnet build -c Release tests/Cluster.Benchmarks -v quiet -nologo
exec dotnet run -c Release --no-build --project tests/Cluster.Benchmarks -- --gpu-check --models .cache/models "$@"
