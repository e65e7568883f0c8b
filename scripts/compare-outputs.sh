#!/usr/bin/env bash
# Runs every command of two builds of Tunnelscope on the same captures and compares their outputs byte
# for byte: a refactoring must change nothing. Differences a change intends are listed in INTENDED
# below (command and capture patterns, with the reason) and reported as such; any other difference
# fails the run (exit 1).
#
#   scripts/compare-outputs.sh BEFORE_DIR AFTER_DIR [EXTRA_CAPTURE...]
#
# BEFORE_DIR and AFTER_DIR are built checkouts (npm run build: dist/src/cli/main.js). The captures are
# AFTER_DIR's samples plus the extra ones (e.g. a 1M-packet capture from test/bench/generate-vxlan.ts).
# Outputs of at most 2 MB are kept (in $OUT, default /tmp/tunnelscope-compare) for diffing; bigger
# ones are compared by SHA-256. Times the commands measure themselves (info's "Dissected in", its
# dissectSeconds and maxRssBytes) and the reports' creation time are masked.
set -u
BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
shift 2
EXTRA=("$@")
OUT=${OUT:-/tmp/tunnelscope-compare}
rm -rf "$OUT"
mkdir -p "$OUT/before" "$OUT/after" "$OUT/written"

# Intended differences: "COMMAND-GLOB|CAPTURE-GLOB|why".
INTENDED=(
  'vteps*|*|the one learning model: local learning (local, migrate events; local FDB entries) and ageing (age events)'
  'report-html|*|the report lists the learning events, now with local learning'
  'report-json|*|the report embeds the vteps document, now with local learning'
  'dissect-text|*nvgre*|one tenant printer: NVGRE VSIDs in hex (nvgre:0x001234), as the tenants command names them'
  'replay-vtep-192.168.100.2*|*vxlan-vm-migration*|the replayed VTEP learns locally: VM2 leaving it is a move, no longer a first learn'
)

identical=0
intended=0
unexpected=0

intended_reason() {
  local name=$1 capture=$2 entry pattern cpattern why
  for entry in "${INTENDED[@]}"; do
    IFS='|' read -r pattern cpattern why <<<"$entry"
    # shellcheck disable=SC2053
    if [[ $name == $pattern && $capture == $cpattern ]]; then
      echo "$why"
      return 0
    fi
  done
  return 1
}

mask() {
  sed -E 's/^Dissected in [0-9.]+ s$/Dissected in (masked) s/; s/"(dissectSeconds|maxRssBytes)": [0-9.e+-]+/"\1": 0/;
    s/"generatedAt": *"[^"]*"/"generatedAt":"(masked)"/; s/made by Tunnelscope on [0-9-]+ [0-9:]+ UTC/made by Tunnelscope on (masked)/'
}

# compare NAME LABEL ARGS...: runs the command of each build (from AFTER's directory, so relative paths
# read the same files), keeps stdout, stderr and the exit status, and compares them. An argument
# containing @FILE@ names a file the command writes (@FILE@.html): it is compared with the output.
compare() {
  local name=$1 label=$2
  shift 2
  local side dir file
  for side in before after; do
    dir=$BEFORE
    [ "$side" = after ] && dir=$AFTER
    file="$OUT/$side/$label.$name"
    # The same path for both builds, so that messages naming it compare equal.
    (cd "$AFTER" && node "$dir/dist/src/cli/main.js" "${@//@FILE@/$OUT/written/$label.$name}" 2>"$file.err" | mask >"$file"; echo "exit ${PIPESTATUS[0]}" >>"$file.err")
    # A file the command wrote (report, export) is compared as part of its output.
    for written in "$OUT/written/$label.$name".*; do
      [ -e "$written" ] || continue
      case $written in
        *.pcap | *.pcapng) cat "$written" >>"$file" ;;
        *) mask <"$written" >>"$file" ;;
      esac
      rm "$written"
    done
  done
  local b="$OUT/before/$label.$name" a="$OUT/after/$label.$name"
  if cmp -s "$b" "$a" && cmp -s "$b.err" "$a.err"; then
    identical=$((identical + 1))
  else
    local why
    if why=$(intended_reason "$name" "$label"); then
      intended=$((intended + 1))
      printf 'intended   %-28s %-32s %s\n' "$name" "$label" "$why"
    else
      unexpected=$((unexpected + 1))
      printf 'DIFFERENT  %-28s %-32s\n' "$name" "$label"
      diff "$b.err" "$a.err" | head -5
      diff "$b" "$a" | head -10
    fi
  fi
  # Keep small outputs for reading, only hashes of big ones.
  for f in "$b" "$a"; do
    if [ "$(stat -c %s "$f")" -gt 2000000 ]; then sha256sum "$f" | cut -d' ' -f1 >"$f.sha256"; rm "$f"; fi
  done
}

captures=()
# SAMPLES=0 compares only the extra captures.
if [ "${SAMPLES:-1}" != 0 ]; then
  while IFS= read -r f; do captures+=("$f"); done < <(cd "$AFTER" && ls samples/*.pcap samples/*.pcapng samples/ovs-gre/*.pcapng 2>/dev/null)
fi
captures+=("${EXTRA[@]}")

for capture in "${captures[@]}"; do
  label=$(basename "$capture" | sed -E 's/\.(pcap|pcapng)$//')
  echo "== $capture" >&2
  frames=$(cd "$AFTER" && node dist/src/cli/main.js info --format json "$capture" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).frames))')
  tenant=$(cd "$AFTER" && node dist/src/cli/main.js tenants -T json "$capture" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s).tenants.find(t=>!t.keyless);console.log(t?`${t.type}:${t.id}`:"")})')
  compare dissect-text "$label" dissect "$capture"
  compare dissect-jsonl "$label" dissect -T jsonl "$capture"
  compare dissect-filter "$label" dissect -Y 'tenant && ip' "$capture"
  compare info-text "$label" info "$capture"
  compare info-json "$label" info --format json "$capture"
  compare tenants-text "$label" tenants "$capture"
  compare tenants-json "$label" tenants -T json "$capture"
  compare vteps-text "$label" vteps "$capture"
  compare vteps-json "$label" vteps -T json "$capture"
  compare vteps-at "$label" vteps --at $(((frames + 1) / 2)) "$capture"
  for format in html csv json; do
    compare "report-$format" "$label" report "$capture" --out "@FILE@.$format"
  done
  if [ -n "$tenant" ]; then
    compare export "$label" export "$capture" --tenant "$tenant" -w @FILE@.pcapng
    compare export-decap "$label" export "$capture" --tenant "$tenant" --decap -w @FILE@.pcapng
  fi
  case $capture in
    samples/ovs-gre/host*.pcapng)
      compare replay-flows "$label" replay "$capture" --flows samples/ovs-gre/flows.txt --bridge samples/ovs-gre/bridge.json
      compare replay-flows-jsonl "$label" replay "$capture" --flows samples/ovs-gre/flows.txt --bridge samples/ovs-gre/bridge.json --format jsonl ;;
    samples/vxlan-*.pcapng)
      for vtep in 192.168.100.1 192.168.100.2 192.168.100.3; do
        compare "replay-vtep-$vtep" "$label" replay "$capture" --local-vtep "$vtep"
        compare "replay-vtep-$vtep-jsonl" "$label" replay "$capture" --local-vtep "$vtep" --format jsonl
      done ;;
  esac
done

[ "${SAMPLES:-1}" = 0 ] && set -- && MICROFLOWS=() || MICROFLOWS=('in_port=1,dl_src=00:00:00:00:01:01,dl_dst=ff:ff:ff:ff:ff:ff,arp' 'in_port=2,tun_id=0x1,dl_src=00:00:00:00:02:01,dl_dst=00:00:00:00:01:01,arp,arp_op=2')
for microflow in "${MICROFLOWS[@]}"; do
  label=$(echo "$microflow" | tr -c 'a-z0-9' '_' | cut -c1-40)
  compare trace "$label" trace --flows samples/ovs-gre/flows.txt --bridge samples/ovs-gre/bridge.json "$microflow"
  compare trace-json "$label" trace --flows samples/ovs-gre/flows.txt --bridge samples/ovs-gre/bridge.json --format json "$microflow"
  compare trace-generate "$label" trace --flows samples/ovs-gre/flows.txt --generate "$microflow" "$microflow"
done

echo "$identical identical, $intended intended differences, $unexpected unexpected differences (outputs in $OUT)"
[ "$unexpected" -eq 0 ]
