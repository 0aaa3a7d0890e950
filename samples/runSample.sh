#!/usr/bin/env bash
# The README's first command: Hopscope's main job on bundled real captures, no hosts needed.
# 1. one capture printed like `tcpdump -nn` and summarised like capinfos;
# 2. six captures of one ping path (VM A → tap → uplink → other host's uplink → tap → VM B), taken
#    with real tcpdump in network namespaces while an nft rule dropped echo requests 5 and 17 on host B's
#    bridge: `hopscope align` finds the hop order and names the segment that lost them.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=dist/cli.js
echo "== hopscope print samples/two-hop-ping.pcap"
node "$cli" print samples/two-hop-ping.pcap
echo
echo "== hopscope info samples/two-hop-ping.pcap"
node "$cli" info samples/two-hop-ping.pcap
echo
d=samples/path-drop
echo "== hopscope align (six hops of one path, two hosts)"
node "$cli" align --host vmA=$d/vmA-eth0.pcap --host hostA=$d/hostA-tap.pcap,$d/hostA-upl.pcap \
  --host hostB=$d/hostB-upl.pcap,$d/hostB-tap.pcap --host vmB=$d/vmB-eth0.pcap \
  $d/vmA-eth0.pcap $d/hostA-tap.pcap $d/hostA-upl.pcap $d/hostB-upl.pcap $d/hostB-tap.pcap $d/vmB-eth0.pcap
