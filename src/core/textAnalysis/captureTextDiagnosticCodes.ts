/**
 * The findings the capture-text analysis reports. Codes are stable (docs/diagnostics.md lists
 * them with what to do); severities follow how often the finding means a real fault.
 */
export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export const CAPTURE_TEXT_CODES = {
  'tcp-retransmission': { code: 'HS101', severity: 'warning' },
  'tcp-syn-retransmission': { code: 'HS102', severity: 'warning' },
  'tcp-reset': { code: 'HS103', severity: 'warning' },
  'tcp-zero-window': { code: 'HS104', severity: 'warning' },
  'tcp-no-syn-ack': { code: 'HS105', severity: 'error' },
  'icmp-unreachable': { code: 'HS201', severity: 'warning' },
  'icmp-time-exceeded': { code: 'HS202', severity: 'warning' },
  'arp-no-reply': { code: 'HS301', severity: 'error' },
  'dhcp-no-offer': { code: 'HS302', severity: 'error' },
  'dns-no-response': { code: 'HS303', severity: 'warning' },
  'bad-checksum': { code: 'HS401', severity: 'information' },
  'duplicate-packet': { code: 'HS402', severity: 'information' },
  'truncated-packet': { code: 'HS403', severity: 'information' },
} as const satisfies Record<string, { code: string; severity: FindingSeverity }>;

export type FindingName = keyof typeof CAPTURE_TEXT_CODES;

export interface CaptureTextFinding {
  name: FindingName;
  code: string;
  severity: FindingSeverity;
  /** Zero-based first and last line of the record the finding is about. */
  line: number;
  endLine: number;
  message: string;
  /** The conversation's BPF filter, for "Capture only this flow". */
  bpf?: string;
}
