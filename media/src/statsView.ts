/**
 * The pcap editor's Statistics tab: asks the host once (the host computes and caches per document),
 * shows progress, then the summary, the per-second chart with spikes, top talkers, destination ports,
 * protocol share, IP/TCP/UDP conversations and the ICMP echo RTT series. A click on a talker,
 * conversation, port, protocol, second or round trip hands a display filter to the packet list.
 */
import type { AddressStat, ConversationStat, PortStat, ProtocolShare } from '../../src/core/stats/captureStatsTypes';
import type { CaptureStatisticsView, StatsEditorMessage, StatsHostMessage } from '../../src/protocol/captureStatisticsProtocol';
import { renderPerSecondChart, renderRttChart, type SeriesMetric } from './statsCharts';
import { percentText, renderStatsTable, type StatsColumn } from './statsTable';
import { el } from './vscodeApi';

const addrField = (a: string): string => (a.includes(':') ? 'ipv6.addr' : 'ip.addr');
const PROTOCOL_FILTERS: Record<ProtocolShare['protocol'], string> = {
  tcp: 'tcp', udp: 'udp', icmp: 'icmp or icmpv6', arp: 'arp', other: 'not (tcp or udp or icmp or icmpv6 or arp)',
};

export function endpointFilter(a: string): string {
  return `${addrField(a)} == ${a}`;
}

export function conversationFilter(c: ConversationStat, transport?: 'tcp' | 'udp'): string {
  const ips = c.a === c.b ? endpointFilter(c.a) : `${endpointFilter(c.a)} && ${endpointFilter(c.b)}`;
  if (!transport || c.aPort === undefined || c.bPort === undefined) return ips;
  const ports = c.aPort === c.bPort ? `${transport}.port == ${c.aPort}` : `${transport}.port == ${c.aPort} && ${transport}.port == ${c.bPort}`;
  return `${ips} && ${ports}`;
}

const seconds = (s: number): string => s.toFixed(3);

function conversationColumns(total: number, withPorts: boolean): StatsColumn<ConversationStat>[] {
  const cols: StatsColumn<ConversationStat>[] = [{ label: 'Address A', value: (c) => c.a }];
  if (withPorts) cols.push({ label: 'Port A', value: (c) => c.aPort ?? 0, text: (c) => String(c.aPort ?? '') });
  cols.push({ label: 'Address B', value: (c) => c.b });
  if (withPorts) cols.push({ label: 'Port B', value: (c) => c.bPort ?? 0, text: (c) => String(c.bPort ?? '') });
  cols.push(
    { label: 'Packets', value: (c) => c.packets },
    { label: '% packets', value: (c) => (total ? (100 * c.packets) / total : 0), text: (c) => percentText(total ? (100 * c.packets) / total : 0) },
    { label: 'Bytes', value: (c) => c.bytes },
    { label: 'Packets A→B', value: (c) => c.aToBPackets },
    { label: 'Bytes A→B', value: (c) => c.aToBBytes },
    { label: 'Packets B→A', value: (c) => c.bToAPackets },
    { label: 'Bytes B→A', value: (c) => c.bToABytes },
    { label: 'Start (s)', value: (c) => c.startSec, text: (c) => seconds(c.startSec) },
    { label: 'Duration (s)', value: (c) => c.durationSec, text: (c) => seconds(c.durationSec) },
  );
  return cols;
}

export class StatsView {
  readonly element = el('div', 'stats');
  private readonly status = el('div', 'stats-status');
  private readonly progress = el('progress', 'stats-progress');
  private readonly content = el('div', 'stats-content');
  private requested = false;
  private data: CaptureStatisticsView | undefined;
  private metric: SeriesMetric = 'packets';

  constructor(private readonly post: (m: StatsEditorMessage) => void, private readonly onFilter: (filter: string) => void) {
    this.progress.max = 100;
    this.progress.value = 0;
    this.status.setAttribute('role', 'status');
    this.element.append(this.status, this.progress, this.content);
  }

  /** Called when the tab shows: the first time, asks the host. */
  show(): void {
    if (this.requested) return;
    this.requested = true;
    this.status.textContent = 'Computing statistics…';
    this.post({ type: 'getStats' });
  }

  handle(m: StatsHostMessage): void {
    switch (m.type) {
      case 'statsProgress': {
        const pct = m.totalBytes ? Math.floor((100 * m.bytesRead) / m.totalBytes) : 0;
        this.progress.value = pct;
        this.status.textContent = `Computing statistics… ${pct}% (${(m.bytesRead / 1048576).toFixed(1)} of ${(m.totalBytes / 1048576).toFixed(1)} MiB)`;
        break;
      }
      case 'statsError':
        this.progress.classList.add('done');
        this.status.textContent = m.message;
        this.status.classList.add('stats-error');
        this.requested = false; // a later visit asks again
        break;
      case 'stats':
        this.data = m.view;
        this.progress.classList.add('done');
        this.render();
        break;
    }
  }

  private render(): void {
    const v = this.data;
    if (!v) return;
    const s = v.stats;
    this.status.textContent = `${s.packets.toLocaleString('en-US')} packets, ${s.bytes.toLocaleString('en-US')} bytes, ${seconds(s.durationSec)} s`
      + (s.firstTime ? ` (${s.firstTime} – ${s.lastTime})` : '') + (v.warning ? ` — ${v.warning}` : '');
    const f = this.onFilter;
    const sections: HTMLElement[] = [this.renderSeries(v)];
    sections.push(renderStatsTable<AddressStat>({
      id: 'endpoints', title: 'Top talkers', sortColumn: 1, filterOf: (e) => endpointFilter(e.address),
      columns: [
        { label: 'Address', value: (e) => e.address },
        { label: 'Packets', value: (e) => e.packets },
        { label: '% packets', value: (e) => e.percentPackets, text: (e) => percentText(e.percentPackets) },
        { label: 'Bytes', value: (e) => e.bytes },
        { label: '% bytes', value: (e) => e.percentBytes, text: (e) => percentText(e.percentBytes) },
        { label: 'Tx packets', value: (e) => e.txPackets },
        { label: 'Tx bytes', value: (e) => e.txBytes },
        { label: 'Rx packets', value: (e) => e.rxPackets },
        { label: 'Rx bytes', value: (e) => e.rxBytes },
      ],
    }, s.endpoints, v.totalRows.endpoints, f));
    sections.push(renderStatsTable<PortStat>({
      id: 'ports', title: 'Destination ports', sortColumn: 2, filterOf: (p) => `${p.protocol}.dstport == ${p.port}`,
      columns: [
        { label: 'Protocol', value: (p) => p.protocol },
        { label: 'Port', value: (p) => p.port, text: (p) => String(p.port) },
        { label: 'Packets', value: (p) => p.packets },
        { label: '% packets', value: (p) => p.percentPackets, text: (p) => percentText(p.percentPackets) },
        { label: 'Bytes', value: (p) => p.bytes },
      ],
    }, s.ports, v.totalRows.ports, f));
    sections.push(renderStatsTable<ProtocolShare>({
      id: 'protocols', title: 'Protocols', sortColumn: 1, filterOf: (p) => PROTOCOL_FILTERS[p.protocol],
      columns: [
        { label: 'Protocol', value: (p) => p.protocol },
        { label: 'Packets', value: (p) => p.packets },
        { label: '% packets', value: (p) => p.percentPackets, text: (p) => percentText(p.percentPackets) },
        { label: 'Bytes', value: (p) => p.bytes },
        { label: '% bytes', value: (p) => (s.bytes ? (100 * p.bytes) / s.bytes : 0), text: (p) => percentText(s.bytes ? (100 * p.bytes) / s.bytes : 0) },
      ],
    }, s.protocols, s.protocols.length, f));
    for (const [id, title, rows, total, transport] of [
      ['ip-conversations', 'IP conversations', s.ipConversations, v.totalRows.ipConversations, undefined],
      ['tcp-conversations', 'TCP conversations', s.tcpConversations, v.totalRows.tcpConversations, 'tcp'],
      ['udp-conversations', 'UDP conversations', s.udpConversations, v.totalRows.udpConversations, 'udp'],
    ] as const) {
      const cols = conversationColumns(s.packets, transport !== undefined);
      sections.push(renderStatsTable<ConversationStat>({
        id, title, columns: cols, sortColumn: cols.findIndex((c) => c.label === 'Packets'), filterOf: (c) => conversationFilter(c, transport),
      }, rows, total, f));
    }
    sections.push(this.renderEcho(v));
    this.content.replaceChildren(...sections);
  }

  private renderSeries(v: CaptureStatisticsView): HTMLElement {
    const section = el('section', 'stats-section');
    section.dataset.section = 'per-second';
    const p = v.stats.perSecond;
    const heading = el('h3', undefined, 'Per second');
    const metric = el('select', 'stats-metric');
    metric.setAttribute('aria-label', 'Chart metric');
    for (const m of ['packets', 'bytes'] as const) {
      const o = el('option', undefined, m);
      o.value = m;
      metric.append(o);
    }
    metric.value = this.metric;
    metric.addEventListener('change', () => { this.metric = metric.value as SeriesMetric; this.render(); });
    const spikes = p.spikeSeconds.length
      ? `Spikes (above median + 5·MAD and 2 × median): second${p.spikeSeconds.length > 1 ? 's' : ''} ${p.spikeSeconds.slice(0, 20).join(', ')}${p.spikeSeconds.length > 20 ? ', …' : ''}.`
      : 'No spikes.';
    const note = el('p', 'stats-note', `Median ${p.medianPackets} packets/s, ${p.medianBytes} bytes/s. ${spikes} Click a second, or focus the chart and use the arrow keys and Enter, to show its packets.`);
    const chart = renderPerSecondChart(p.buckets, this.metric, (from, to) => {
      const seconds = v.secondPackets.slice(from, to + 1).filter((r) => r.first > 0);
      if (seconds.length) this.onFilter(`frame.number >= ${Math.min(...seconds.map((r) => r.first))} && frame.number <= ${Math.max(...seconds.map((r) => r.last))}`);
    });
    section.append(heading, metric, note, chart);
    return section;
  }

  private renderEcho(v: CaptureStatisticsView): HTMLElement {
    const e = v.stats.icmpEcho;
    const section = el('section', 'stats-section');
    section.dataset.section = 'icmp-rtt';
    section.append(el('h3', undefined, 'ICMP echo round trips'));
    const ms = (x: number | undefined): string => (x === undefined ? '–' : `${x.toFixed(3)} ms`);
    const summary = el('p', 'stats-rtt-summary',
      `${e.requests} requests, ${e.replies} replies, ${e.unanswered} unanswered; min ${ms(e.minMs)}, median ${ms(e.medianMs)}, avg ${ms(e.avgMs)}, p99 ${ms(e.p99Ms)}, max ${ms(e.maxMs)}`
      + (e.outliers.length ? `; ${e.outliers.length} outlier${e.outliers.length > 1 ? 's' : ''} (slowest ${ms(e.outliers[0].rttMs)})` : ''));
    section.append(summary);
    if (e.series.length) {
      section.append(renderRttChart(e, (r) => this.onFilter(r.ipVersion === 4
        ? `icmp.ident == ${r.id} && icmp.seq == ${r.seq} && ip.addr == ${r.requestSrc} && ip.addr == ${r.requestDst}`
        : `icmpv6 && ipv6.addr == ${r.requestSrc} && ipv6.addr == ${r.requestDst}`)));
    }
    return section;
  }
}
