#!/usr/bin/env bash
# Runs the GPU check from a bundle made by bundle.sh, on a bare machine: no .NET, no network, the
# NVIDIA driver present, CUDA 13 and cuDNN 9 only as the Python wheels (`nvidia-*`) of the python3
# on the PATH. Copy this script beside the parts and MANIFEST, then:
#   ./run-from-bundle.sh                  # CUDA required: any failure, or CPU fallback, exits non-zero
#   ./run-from-bundle.sh --device auto    # no GPU here: runs the same path on CPU, says so, exits 0
# Steps: checks each part's size and SHA-256 against MANIFEST (naming every missing or corrupt
# part), joins them and checks the whole archive, unpacks it into an empty folder (--into DIR,
# default ./cluster-gpu beside the parts) with xz or, without it, python3's lzma, puts the wheels'
# library folders on LD_LIBRARY_PATH, checks with ldd that ONNX Runtime's CUDA provider resolves
# every library (naming the missing), then runs the check (tests/Cluster.Benchmarks/GpuCheck.cs),
# which writes a Markdown report to gpu-check.md beside the parts.
# --join-only FILE stops after writing the verified archive to FILE (the suite tests this part).
# Arguments after -- go to the check program (e.g. -- --seconds 5).
# Needs: bash, coreutils, tar, and xz or python3; python3 for the CUDA wheels; ldd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
device=cuda into=$here/cluster-gpu join_only=
extra=()
while (($#)); do
  case $1 in
    --device) device=$2; shift 2 ;;
    --into) into=$2; shift 2 ;;
    --join-only) join_only=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: $0 [--device cuda|auto] [--into DIR] [--join-only FILE] [-- check options]" >&2; exit 2 ;;
  esac
done
[[ $device == cuda || $device == auto ]] || { echo "run-from-bundle: --device must be cuda or auto" >&2; exit 2; }
say() { echo "run-from-bundle: $*" >&2; }
manifest=$here/MANIFEST
[[ -f $manifest ]] || { say "no MANIFEST beside this script ($here)"; exit 1; }

# Every problem is listed before giving up, so one look tells which parts to copy again.
verify_parts() {
  local kind name bytes sha problems=0 actual
  while read -r kind name bytes sha; do
    [[ $kind == part ]] || continue
    if [[ ! -f $here/$name ]]; then
      say "part $name is missing"; problems=$((problems + 1)); continue
    fi
    actual=$(stat -c %s "$here/$name")
    if [[ $actual != "$bytes" ]]; then
      say "part $name is corrupt: $actual bytes, MANIFEST says $bytes"; problems=$((problems + 1)); continue
    fi
    actual=$(sha256sum "$here/$name" | cut -d' ' -f1)
    if [[ $actual != "$sha" ]]; then
      say "part $name is corrupt: SHA-256 $actual, MANIFEST says $sha"; problems=$((problems + 1))
    fi
  done <"$manifest"
  if ((problems)); then say "$problems part(s) missing or corrupt; copy them again"; return 1; fi
}

join_parts() {
  local target=$1 kind name bytes sha archive_bytes= archive_sha=
  : >"$target.tmp"
  while read -r kind name bytes sha; do
    case $kind in
      part) cat "$here/$name" >>"$target.tmp" ;;
      archive) archive_bytes=$bytes archive_sha=$sha ;;
    esac
  done <"$manifest"
  if [[ $(stat -c %s "$target.tmp") != "$archive_bytes" || $(sha256sum "$target.tmp" | cut -d' ' -f1) != "$archive_sha" ]]; then
    rm -f "$target.tmp"; say "the joined archive does not match MANIFEST's size and SHA-256"; return 1
  fi
  mv "$target.tmp" "$target"
}

unpack() {
  local archive=$1 dir=$2
  if command -v xz >/dev/null && command -v tar >/dev/null; then
    tar -xJf "$archive" -C "$dir"
  else
    say "no xz here: unpacking with python3's lzma"
    python3 -c '
import sys, tarfile
with tarfile.open(sys.argv[1], "r:xz") as t:
    t.extractall(sys.argv[2], **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
' "$archive" "$dir"
  fi
}

# The nvidia-* wheels install into the `nvidia` namespace package, one folder per library family
# (nvidia/cublas/lib, or nvidia/cu13/lib for CUDA 13 wheels); every folder holding a shared library counts.
wheel_library_dirs() {
  command -v python3 >/dev/null || return 0
  python3 -c '
import os
try:
    import nvidia
except ImportError:
    raise SystemExit(0)
dirs = []
for root in list(nvidia.__path__):
    for path, _, files in os.walk(root):
        if path not in dirs and any(".so" in f for f in files):
            dirs.append(path)
print(":".join(dirs))
'
}

verify_parts
if [[ -n $join_only ]]; then join_parts "$join_only"; say "joined into $join_only"; exit 0; fi

if [[ -e $into && -n $(ls -A "$into") ]]; then say "$into is not empty; remove it or pass --into DIR"; exit 1; fi
mkdir -p "$into"
into=$(cd "$into" && pwd)
started=$SECONDS
join_parts "$into/.bundle.tar.xz"
unpack "$into/.bundle.tar.xz" "$into"
rm -f "$into/.bundle.tar.xz"
say "verified, joined and unpacked into $into in $((SECONDS - started)) s"
app=$into/app

wheels=$(wheel_library_dirs)
if [[ -n $wheels ]]; then say "CUDA libraries from the Python wheels: $wheels"; else say "no nvidia-* Python wheels found (python3: $(command -v python3 || echo none))"; fi
export LD_LIBRARY_PATH=$app${wheels:+:$wheels}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# ldd sees the libraries the CUDA provider links to; cuDNN is opened at run time, so it is looked up apart.
missing=$(ldd "$app/libonnxruntime_providers_cuda.so" | awk '/not found/ {print $1}' | tr '\n' ' ')
# Read once: `ldconfig -p | grep -q` would fail under pipefail when grep stops reading early.
known=$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null || true)
cudnn_found=
for dir in ${LD_LIBRARY_PATH//:/ }; do [[ -e $dir/libcudnn.so.9 ]] && cudnn_found=1; done
[[ -n $cudnn_found || $known == *"libcudnn.so.9 "* ]] || missing+="libcudnn.so.9 "
if [[ -n $missing ]]; then
  if [[ $device == cuda ]]; then say "FAIL: the CUDA provider cannot load; not found: $missing"; exit 1; fi
  say "CPU fallback expected: the CUDA provider cannot load; not found: $missing"
else
  say "ldd: libonnxruntime_providers_cuda.so resolves every library"
fi
if [[ $device == cuda ]] && ! nvidia-smi -L >&2; then say "FAIL: no NVIDIA GPU visible (nvidia-smi missing or failing)"; exit 1; fi

# .NET needs ICU for cultures unless told to run invariant; the check formats numbers invariantly anyway.
if [[ $known != *libicuuc* ]]; then
  say "no ICU libraries here: running .NET with invariant globalization"
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
fi
status=0
"$app/Cluster.Benchmarks" --gpu-check --device "$device" --silo "$app/Cluster.Silo" --models "$into/models" \
  --out "$here/gpu-check.md" "${extra[@]}" || status=$?
say "check finished with exit code $status in $((SECONDS - started)) s; report: $here/gpu-check.md"
exit "$status"
