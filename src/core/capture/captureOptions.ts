/** What the user asked for when starting a capture on one interface. */
export interface CaptureOptions {
  /** Interface on the remote host (validated by `validateInterfaceName`). */
  iface: string;
  /** BPF filter text; '' captures everything. */
  filter: string;
  /** Bytes kept per packet (tcpdump -s); 0 means tcpdump's default (262144). */
  snaplen: number;
  /** Stop after this many packets (tcpdump -c); 0 = no limit. */
  maxPackets: number;
  /** Hard ceiling in seconds enforced on the remote host by `timeout`; never 0. */
  maxDurationSec: number;
  /** Stop when the saved file reaches this many bytes (enforced locally); 0 = no limit. */
  maxFileBytes: number;
}

/** Safe defaults for a production host: bounded in time and size, full packets. */
export const DEFAULT_CAPTURE_LIMITS = {
  snaplen: 262144,
  maxPackets: 100_000,
  maxDurationSec: 600,
  maxFileBytes: 200 * 1024 * 1024,
} as const;

/** Seconds without a heartbeat line after which the remote watchdog stops tcpdump. */
export const REMOTE_HEARTBEAT_TIMEOUT_SEC = 15;
/** How often the client sends a heartbeat line; well under the timeout above. */
export const HEARTBEAT_INTERVAL_MS = 5000;
