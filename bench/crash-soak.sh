#!/usr/bin/env bash
# Crash soak (issue 15 item 8): one long-running `quant sim --speed 0` (the venue survives), and `quant live --lockstep
# --sim-url … --journal J` killed with SIGKILL KILLS times at seeded random moments — right after the Nth candle, order
# or fill event it printed (N in 1..15) — and restarted on the same journal each time. A last run reconciles, trades on
# and is stopped with SIGTERM. Then the venue's truth (/sim/truth), the journal (`quant journal show --json`) and that
# run's summary.json must keep the invariants of tests/Quant.Tests/Reliability/ReliabilityInvariants.cs:
#   1. no client order id placed twice on the venue;   2. every venue order journalled;
#   3. every journal intent final, in the venue's state with the venue's executed quantity (never placed: rejected);
#   4. the journal's fills are the venue's trades, once each, same quantity and price;
#   5. nothing working or locked on the venue; final cash/position (and the journal's last snapshot) = the venue's;
#   6. no 418.
# The same test runs 20 kills in `dotnet test` (CrashTests). Prints counts, then one JSON line like the other benches;
# exits 1 when an invariant is broken.
#
# usage: bench/crash-soak.sh [KILLS (200)] [SEED (20261202)]      needs: dotnet, jq, curl; builds src/Quant if needed
set -euo pipefail
cd "$(dirname "$0")/.."
kills_wanted=${1:-200}
seed=${2:-20261202}
quant=src/Quant/bin/Release/net10.0/quant.dll
for tool in dotnet jq curl; do
  command -v "$tool" > /dev/null || { echo "crash-soak: $tool is needed" >&2; exit 2; }
done
[[ "$kills_wanted" =~ ^[1-9][0-9]*$ ]] || { echo "crash-soak: KILLS must be a positive integer, got '$kills_wanted'" >&2; exit 2; }
[ -f "$quant" ] || dotnet build src/Quant -c Release -v quiet -nologo > /dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/crash-soak.XXXXXX")
sim_pid=
cleanup() {
  # SIGTERM, not SIGINT: a non-interactive shell starts background jobs with SIGINT ignored.
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2> /dev/null; then kill -TERM "$sim_pid"; wait "$sim_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
for v in $(env | grep -o '^QUANT_[A-Z_]*' || true); do unset "$v"; done

# Enough candles that every run meets its trigger; each run moves the market by at most ~45 candles.
history=50
replay=$(( kills_wanted * 45 + 500 ))
(( replay > 8700 )) && replay=8700
head -n $(( 1 + history + replay )) data/BTCUSDT_1h_2024.csv > "$work/btc.csv"
journal="$work/crash.db"

dotnet "$quant" sim --data "$work/btc.csv" --warmup "$history" --speed 0 --port 0 > "$work/sim.out" 2> "$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 600); do grep -q '^Ctrl-C' "$work/sim.out" 2> /dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/sim.out" | head -n 1)
[ -n "$url" ] || { echo "crash-soak: quant sim did not start" >&2; cat "$work/sim.err" >&2; exit 1; }

moments=(candle order fill)
declare -A killed_after=([candle]=0 [order]=0 [fill]=0)
reconciliations=0
settled=0
RANDOM=$seed

# Runs `quant live` with stdout through a FIFO; stops it (signal $1) after the $3-th line of JSON type $2. Returns the
# exit status in $run_status, whether the trigger was met in $run_triggered, and a stall (killed) in $run_stalled.
run_live() {
  local signal=$1 type=$2 nth=$3 seen=0 line
  shift 3
  rm -f "$work/out.fifo"
  mkfifo "$work/out.fifo"
  dotnet "$quant" live --sim-url "$url" --lockstep --journal "$journal" --param fast=2,slow=3 --json-events "$@" \
    > "$work/out.fifo" 2> "$work/live.err" &
  local pid=$!
  run_triggered=0
  # A run that prints nothing for 60 s is stalled (in lockstep every market event makes lines): the read times out.
  while IFS= read -r -t 60 line; do
    # After SIGTERM the run stops gracefully and still writes: keep reading to the end (a closed pipe would fail it).
    (( run_triggered == 1 )) && continue
    if [[ "$line" == *'"what":"reconciliation: '* ]]; then
      reconciliations=$(( reconciliations + 1 ))
      local n=${line#*orders checked, }
      settled=$(( settled + ${n%% settled*} ))
    fi
    if [[ "$line" == *"\"type\":\"$type\""* ]]; then
      seen=$(( seen + 1 ))
      if (( seen == nth )); then
        kill "-$signal" "$pid"
        run_triggered=1
        [ "$signal" = KILL ] && break
      fi
    fi
  done < "$work/out.fifo"
  run_stalled=0
  if (( run_triggered == 0 )) && kill -0 "$pid" 2> /dev/null; then
    run_stalled=1
    kill -KILL "$pid"
  fi
  run_status=0
  wait "$pid" 2> /dev/null || run_status=$?
}

kills=0
while (( kills < kills_wanted )); do
  moment=${moments[RANDOM % 3]}
  nth=$(( RANDOM % 15 + 1 ))
  run_live KILL "$moment" "$nth"
  if (( run_stalled == 1 )); then
    echo "crash-soak: run $(( kills + 1 )) printed nothing for 60 s (a lockstep stall); simulator: $(curl -s -H "X-MBX-APIKEY: sim-api-key" "$url/sim/state")" >&2
    exit 1
  fi
  if (( run_triggered == 0 )); then
    echo "crash-soak: run $(( kills + 1 )) ended by itself (exit $run_status) before its ${nth}th $moment" >&2
    tail -n 20 "$work/live.err" >&2
    exit 1
  fi
  (( run_status == 137 )) || { echo "crash-soak: run $(( kills + 1 )) exit $run_status after SIGKILL (expected 137)" >&2; exit 1; }
  killed_after[$moment]=$(( killed_after[$moment] + 1 ))
  kills=$(( kills + 1 ))
  (( kills % 20 == 0 )) && echo "crash-soak: $kills kills" >&2
done

# The last run: reconciles what the kills left, trades 20 candles, stops gracefully.
mkdir -p "$work/last"
run_live TERM candle 20 --out "$work/last"
(( run_status == 0 )) || { echo "crash-soak: the run after the last kill exited $run_status" >&2; tail -n 20 "$work/live.err" >&2; exit 1; }

# Files, not arguments: after hundreds of kills the truth and the journal outgrow the command line (ARG_MAX).
curl -sf -H "X-MBX-APIKEY: sim-api-key" "$url/sim/truth" > "$work/truth.json"
dotnet "$quant" journal show --journal "$journal" --json > "$work/journal.json"
truth=$(cat "$work/truth.json")
journal_json=$(cat "$work/journal.json")

violations=$(jq -n --slurpfile T "$work/truth.json" --slurpfile J "$work/journal.json" --slurpfile S "$work/last/summary.json" '
  $T[0] as $t | $J[0] as $j | $S[0] as $s
  | ($t.placed | map({key: .clientOrderId, value: .orderId}) | from_entries) as $placed
  | ($t.orders | map({key: (.orderId | tostring), value: .}) | from_entries) as $vo
  | ($t.trades | map({key: (.id | tostring), value: .}) | from_entries) as $vt
  | ($j.orders | map({key: .client_order_id, value: .}) | from_entries) as $jo
  | ($t.balances | map({key: .asset, value: {free: (.free | tonumber), locked: (.locked | tonumber)}}) | from_entries) as $b
  | [ ($t.placements | to_entries[] | select(.value != 1) | "placed \(.value) times: \(.key)"),
      ($t.placed[] | select($jo[.clientOrderId] == null) | "on the venue but not journalled: \(.clientOrderId)"),
      ($j.orders[] | . as $o | $placed[$o.client_order_id] as $vid
        | if ($o.state | IN("filled", "canceled", "rejected", "expired") | not) then "not final: \($o.client_order_id) \($o.state)"
          elif $vid == null then (if $o.state != "rejected" then "never on the venue but \($o.state): \($o.client_order_id)" else empty end)
          else $vo[$vid | tostring] as $v
            | if ($v.status | ascii_downcase) != $o.state then "\($o.client_order_id): journal \($o.state), venue \($v.status)"
              elif ($v.executedQty | tonumber) != $o.filled then "\($o.client_order_id): journal filled \($o.filled), venue \($v.executedQty)"
              else empty end
          end),
      ($j.fills | group_by(.trade_id)[] | select(length > 1) | "trade journalled twice: \(.[0].trade_id)"),
      ([$j.fills[].trade_id] as $ids | $t.trades[] | . as $tr | select(($ids | index($tr.id)) == null) | "venue trade not journalled: \($tr.id)"),
      ($j.fills[] | . as $f | $vt[$f.trade_id | tostring] as $v
        | if $v == null then "journal fill is no venue trade: \($f.trade_id)"
          elif ($v.qty | tonumber) != $f.quantity or ($v.price | tonumber) != $f.price then "fill \($f.trade_id): journal \($f.quantity) @ \($f.price), venue \($v.qty) @ \($v.price)"
          else empty end),
      ($t.orders[] | select(.status == "NEW" or .status == "PARTIALLY_FILLED") | "still working on the venue: \(.clientOrderId)"),
      ($t.balances[] | select((.locked | tonumber) != 0) | "locked on the venue: \(.asset) \(.locked)"),
      (if $b.USDT.free != $s.final_cash then "final cash: run \($s.final_cash), venue \($b.USDT.free)" else empty end),
      (if ($b.BTC.free + $b.BTC.locked) != $s.final_position then "final position: run \($s.final_position), venue \($b.BTC.free + $b.BTC.locked)" else empty end),
      ($j.snapshots[-1] | if . == null then "no snapshot in the journal"
        elif .quote != $b.USDT.free or .base != ($b.BTC.free + $b.BTC.locked) then "last snapshot \(.base) / \(.quote), venue \($b.BTC.free + $b.BTC.locked) / \($b.USDT.free)"
        else empty end),
      (if $t.requests.refused_418 != 0 then "418 answered \($t.requests.refused_418) times" else empty end)
    ]')
count=$(jq 'length' <<< "$violations")
placed=$(jq '.placed | length' <<< "$truth")
trades=$(jq '.trades | length' <<< "$truth")
intents=$(jq '.orders | length' <<< "$journal_json")
never_sent=$(jq -n --slurpfile T "$work/truth.json" --slurpfile J "$work/journal.json" '$T[0] as $t | [$J[0].orders[] | select($t.placements[.client_order_id] == null)] | length')

echo "SIGKILLs $kills (seed $seed): right after a candle ${killed_after[candle]}, an order event ${killed_after[order]}, a fill ${killed_after[fill]}; then one run stopped by SIGTERM"
echo "orders placed on the venue $placed, trades $trades, journal intents $intents (killed before they were sent: $never_sent)"
echo "restart reconciliation ran $reconciliations times and settled $settled orders"
if (( count > 0 )); then
  echo "invariants broken ($count):"
  jq -r '.[:40][] | "  " + .' <<< "$violations"
else
  echo "invariants: all 6 kept"
fi

jq -cn --argjson kills "$kills" --argjson wanted "$kills_wanted" --argjson seed "$seed" --argjson placed "$placed" \
  --argjson trades "$trades" --argjson intents "$intents" --argjson never "$never_sent" --argjson rec "$reconciliations" \
  --argjson settled "$settled" --argjson violations "$count" \
  --argjson candle "${killed_after[candle]}" --argjson order "${killed_after[order]}" --argjson fill "${killed_after[fill]}" \
  '{bench: "crash-soak", value: $kills, unit: "kills", baseline: $wanted, ratio: ($kills / $wanted), seed: $seed,
    killed_after_candle: $candle, killed_after_order: $order, killed_after_fill: $fill, orders_placed: $placed,
    trades: $trades, journal_intents: $intents, intents_never_sent: $never, reconciliations: $rec,
    settled_by_reconciliation: $settled, invariant_violations: $violations}'
(( count == 0 ))
