#!/usr/bin/env bash
# Splits ARCHIVE into OUTDIR/<archive name>.000, .001, … of at most PART_BYTES each (default
# 60 MiB: files reach the bare GPU machines in parts no larger) and writes OUTDIR/MANIFEST with
# each part's size and SHA-256 and the whole archive's, which run-from-bundle.sh checks before it
# reassembles anything. bundle.sh's last step; kept apart so a test can run it on a small payload.
# Needs: coreutils (split, sha256sum, stat).
set -euo pipefail
if (($# < 2)); then echo "usage: $0 ARCHIVE OUTDIR [PART_BYTES]" >&2; exit 2; fi
archive=$1 outdir=$2 part_bytes=${3:-$((60 * 1024 * 1024))}
name=$(basename "$archive")

mkdir -p "$outdir"
rm -f "$outdir/$name".[0-9][0-9][0-9] "$outdir/MANIFEST"
split --bytes="$part_bytes" --numeric-suffixes=0 --suffix-length=3 "$archive" "$outdir/$name."

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
{
  echo "# $name in parts of at most $part_bytes bytes; run-from-bundle.sh checks every line before joining."
  echo "# kind name bytes sha256"
  for part in "$outdir/$name".[0-9][0-9][0-9]; do
    echo "part $(basename "$part") $(size "$part") $(sha "$part")"
  done
  echo "archive $name $(size "$archive") $(sha "$archive")"
} >"$outdir/MANIFEST.tmp"
mv "$outdir/MANIFEST.tmp" "$outdir/MANIFEST"
