#!/usr/bin/env bash
# Makes samples/two-hop-ping.pcap from real traffic (root needed): namespace A pings B through a
# router namespace R; tcpdump captures on both of R's links and mergecap interleaves the two hops,
# so each ICMP packet appears twice (before and after R: other MACs, TTL one lower).
set -euo pipefail
OUT=${1:-$(cd "$(dirname "$0")" && pwd)/two-hop-ping.pcap}
P=hsd$$; A=${P}a; R=${P}r; B=${P}b
TMP=$(mktemp -d /tmp/hopscope-sample-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in "$A" "$R" "$B"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
wait_for() { local what=$1; shift; for _ in $(seq 1 200); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.05; done; echo "timed out: $what" >&2; return 1; }
for ns in "$A" "$R" "$B"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add "${P}1" netns "$A" address 02:00:00:20:0a:01 type veth peer name "${P}2" netns "$R" address 02:00:00:20:0a:02
ip link add "${P}3" netns "$R" address 02:00:00:20:0b:01 type veth peer name "${P}4" netns "$B" address 02:00:00:20:0b:02
ip -n "$A" addr add 10.201.10.1/24 dev "${P}1"; ip -n "$R" addr add 10.201.10.254/24 dev "${P}2"
ip -n "$R" addr add 10.201.11.254/24 dev "${P}3"; ip -n "$B" addr add 10.201.11.2/24 dev "${P}4"
for l in "$A ${P}1" "$R ${P}2" "$R ${P}3" "$B ${P}4"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n "$A" route add default via 10.201.10.254; ip -n "$B" route add default via 10.201.11.254
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
for l in "$A ${P}1" "$R ${P}2" "$R ${P}3" "$B ${P}4"; do set -- $l; wait_for carrier sh -c "ip -n $1 link show dev $2 | grep -q LOWER_UP"; done
for i in 2 3; do
  ip netns exec "$R" tcpdump -U --immediate-mode -i "${P}$i" -w "$TMP/hop$i.pcap" icmp or arp 2>"$TMP/td$i.err" &
  PIDS+=($!)
  wait_for "tcpdump $i" grep -q 'listening on' "$TMP/td$i.err"
done
ip netns exec "$A" ping -c 3 -i 0.2 10.201.11.2 >/dev/null
sleep 0.3 # let tcpdump take the last packets (see recipes/lab.md)
for p in "${PIDS[@]}"; do kill -INT "$p"; wait "$p" || true; done
PIDS=()
mergecap -F pcap -w "$OUT" "$TMP/hop2.pcap" "$TMP/hop3.pcap"
ls -l "$OUT"
