#!/usr/bin/env bash
# Builds the GPU check bundle for bare GPU machines (no .NET, no network; files arrive in parts of
# at most 60 MiB): a self-contained linux-x64 Release publish of the silo and of the check program
# (tests/Cluster.Benchmarks, --gpu-check) merged into one app/ folder, ONNX Runtime's GPU native
# libraries (they come with the publish), and the two PaddleOCR test models in models/, packed with
# tar, compressed with xz and split into OUTDIR/cluster-gpu.tar.xz.000, .001, … with OUTDIR/MANIFEST
# (sizes and SHA-256s) and OUTDIR/run-from-bundle.sh, which is all a GPU machine needs. See
# docs/BENCHMARKS.md ("GPU check from a bundle") for the sequence on the machine.
# Not trimmed: Orleans finds serializers, grains and options by reflection, so IL trimming is
# unsafe here; only files that nothing loads are left out (debugger and dump helpers, the
# TensorRT provider, XML docs, PDBs, satellite resources other than English).
# Needs: the .NET 10 SDK, npm on the first run (the models, cached in .cache/models), tar, xz.
set -euo pipefail
if (($# != 1)); then echo "usage: $0 OUTDIR" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/cluster-gpu-bundle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
started=$SECONDS
say() { echo "bundle: $*" >&2; }

publish() {
  dotnet publish "$root/$1" -c Release -r linux-x64 --self-contained -o "$2" -v quiet -nologo \
    -p:DebugType=none -p:SatelliteResourceLanguages=en
}
publish Silo "$stage/silo"
publish tests/Cluster.Benchmarks "$stage/check"
say "published in $((SECONDS - started)) s"

# One folder for both apps, so the runtime and ONNX Runtime (~330 MB) travel once. The check
# program references the silo, so every file the two share must be the same build.
app=$stage/bundle/app
mkdir -p "$app"
cp -a "$stage/silo/." "$app/"
(cd "$stage/check" && find . -type f) | while read -r file; do
  if [[ -e $app/$file ]] && ! cmp -s "$stage/check/$file" "$app/$file"; then
    say "the silo's and the check's publish differ in $file; cannot share one folder"; exit 1
  fi
done
cp -a "$stage/check/." "$app/"
rm -f "$app/createdump" "$app/libmscordaccore.so" "$app/libmscordbi.so" \
  "$app/libonnxruntime_providers_tensorrt.so" "$app"/*.xml

"$here/fetch-models.sh"
mkdir -p "$stage/bundle/models"
cp "$root/.cache/models/ch_ppocr_mobile_v2.0_cls_infer.onnx" "$root/.cache/models/ch_PP-OCRv4_rec_infer.onnx" "$stage/bundle/models/"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$([[ -n $(git -C "$root" status --porcelain 2>/dev/null) ]] && echo " (with uncommitted changes)" || true)
echo "cluster GPU check bundle, commit $commit$dirty, built $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$stage/bundle/BUNDLE"

packed=$SECONDS
tar -C "$stage/bundle" --sort=name --owner=0 --group=0 --numeric-owner -cf - . | xz -T0 -6 >"$stage/cluster-gpu.tar.xz"
say "packed $(du -sb "$stage/bundle" | cut -f1) bytes into $(stat -c %s "$stage/cluster-gpu.tar.xz") in $((SECONDS - packed)) s"
"$here/split-parts.sh" "$stage/cluster-gpu.tar.xz" "$out"
cp "$here/run-from-bundle.sh" "$out/"
say "$(grep -c '^part ' "$out/MANIFEST") parts in $out, $((SECONDS - started)) s in all:"
ls -l "$out" >&2
