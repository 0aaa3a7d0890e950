/**
 * Messages between the Compare Captures webview and the extension host. The host runs the
 * alignment engine and turns its result into this view model; the page shows one column per
 * capture in hop order and one row per packet identity, fetched by range like the pcap editor.
 */
import type { PageStartTimes, PageTimingMessage } from './startupTimingProtocol';

export type Direction = 'forward' | 'reverse';

/** Rows per page the page asks for; the host sends the first page with the view (no request round trip). */
export const COMPARE_PAGE_SIZE = 200;

export interface CompareColumn {
  /** Stable id of the capture (its index in the alignment input). */
  id: number;
  /** `iface@host`, as engineers name a hop. */
  label: string;
  host: string;
  file: string;
}

export type VerdictKind =
  | 'lost' | 'delayed' | 'duplicated' | 'rewritten' | 'reply-missing' | 'one-way'
  /** Seen before and after a capture point but not on it (the capture missed it). */
  | 'not-captured'
  /** Offload super-segment larger than the MTU (GSO/TSO/GRO). */
  | 'super-segment'
  /** Information: the bytes crossed a hop as smaller segments (GSO/TSO) or one larger one (GRO). */
  | 'segmented' | 'coalesced'
  /** Addresses/ports rewritten between two hops (NAT). */
  | 'nat'
  /** Information: forwarded by a router (TTL -1, new MACs). */
  | 'routed';

export interface CompareCell {
  /** Clock-corrected time, ns since the first packet of the comparison. */
  timeNs: number;
  /** Delay since the previous hop on this row's path, ns; absent at the first hop. */
  hopDelayNs?: number;
  /** The segment into this hop is an outlier for its own delay distribution. */
  slow?: boolean;
  /** Extra copies seen on this capture (e.g. `-i any` bridge + port). */
  copies?: number;
  /** What changed at this hop, e.g. `dst MAC 52:54:00:aa:… → 52:54:00:bb:…`. */
  rewrite?: string;
  /** Addresses/ports rewritten at this hop (NAT), e.g. `src 10.0.0.5:43210 → 203.0.113.7:43210`. */
  nat?: string;
  /** 1-based packet number in that capture file, to reveal it. */
  packetNumber: number;
}

export interface CompareRow {
  id: number;
  direction: Direction;
  flow: string;
  /** One-line description (`ICMP echo request id 7 seq 12`). */
  summary: string;
  /** One entry per column, in column order; null where the packet was not seen. */
  cells: (CompareCell | null)[];
  verdict?: {
    kind: VerdictKind; text: string;
    /** For 'lost': the column (id) where the packet was last seen and the next hop it never reached. */
    lostBetween?: [number, number];
  };
}

export interface SegmentSummary {
  /** Column ids of the segment's ends, in path order for this direction. */
  from: number;
  to: number;
  direction: Direction;
  packets: number;
  lost: number;
  p50Ns: number;
  p99Ns: number;
  maxNs: number;
}

export interface HostClock {
  host: string;
  offsetNs: number;
  uncertaintyNs: number;
  /** True when the user set it rather than the estimate. */
  userSet: boolean;
}

export interface CompareFilters {
  onlyAnomalies: boolean;
  flow: string;
  direction: Direction | 'both';
}

export type HostToCompareMessage =
  | { type: 'model'; columns: CompareColumn[]; segments: SegmentSummary[]; clocks: HostClock[]; verdicts: string[]; flows: string[] }
  /** `rows`: the view's first page (rows 0…COMPARE_PAGE_SIZE-1), sent with it so the page shows them at once. */
  | { type: 'view'; view: number; count: number; rows?: CompareRow[] }
  | { type: 'rows'; view: number; start: number; rows: CompareRow[] }
  | { type: 'error'; message: string }
  /** What the host needs to rebuild the comparison after a reload; the page keeps it in its state. */
  | { type: 'persist'; session: CompareSession; filters?: CompareFilters };

export type CompareToHostMessage =
  /** With when the page's document, script and its run started (start-up timeline). */
  | ({ type: 'ready' } & PageStartTimes)
  | PageTimingMessage
  | { type: 'getRows'; view: number; start: number; count: number }
  | { type: 'setFilters'; filters: CompareFilters }
  | { type: 'reorder'; columnIds: number[] }
  | { type: 'setClockOffset'; host: string; offsetNs: number }
  /** The host a capture was taken on (its clock group), when its path says otherwise. */
  | { type: 'setHost'; columnId: number; host: string }
  | { type: 'reveal'; columnId: number; packetNumber: number }
  | { type: 'export'; format: 'markdown' | 'csv' }
  /** "Why?" on a lost row: the nwfilter rule that would drop its packet (last seen cell's packet). */
  | { type: 'explainLoss'; seenColumnId: number; nextColumnId: number; packetNumber: number };

/** The comparison's inputs: capture files (paths), the user's hop order and clock offsets. */
export interface CompareSession {
  files: string[];
  /** Column ids (indexes in `files`) in the user's hop order, or null for the inferred one. */
  order: number[] | null;
  /** Host → clock offset in ns set by the user. */
  clocks: [string, number][];
  /** Column id → host set by the user (absent in sessions saved before hosts were editable). */
  hosts?: [number, string][];
  /** Identifies the panel's session in the extension host's own copy (compareSessionStore). */
  id?: string;
}

export interface CompareState {
  filters: CompareFilters;
  scrollTop: number;
  session?: CompareSession;
}
