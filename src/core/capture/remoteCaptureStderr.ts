/**
 * Classifies the lines the remote capture wrapper and tcpdump write on stderr: the wrapper's
 * handshake (`rcap-pid`, `rcap-filter`), tcpdump's banner and closing statistics, and the errors
 * an engineer needs in plain words (sudo, permissions, missing device, filter syntax).
 */
export type RemoteCaptureStderrLine =
  | { kind: 'pid'; wrapperPid: number; timeoutPid: number }
  | { kind: 'filter'; filter: string }
  | { kind: 'listening'; iface: string; linkType: string; snaplen: number }
  | { kind: 'stat'; stat: 'captured' | 'received' | 'dropped'; count: number }
  | { kind: 'error'; code: RemoteCaptureErrorCode; message: string }
  | { kind: 'other'; text: string };

export type RemoteCaptureErrorCode =
  | 'tcpdump-missing' | 'sudo-password' | 'sudo-refused' | 'permission' | 'no-such-device'
  | 'filter-syntax' | 'interface-down' | 'other';

const ERROR_PATTERNS: { re: RegExp; code: RemoteCaptureErrorCode; explain: (m: RegExpExecArray, line: string) => string }[] = [
  { re: /^rcap-error tcpdump-missing/, code: 'tcpdump-missing', explain: () => 'tcpdump is not installed on the host (install the tcpdump package)' },
  { re: /^sudo: (a password is required|a terminal is required)/, code: 'sudo-password', explain: () => 'sudo needs a password on this host; allow passwordless sudo for tcpdump (see docs) or connect as a user with CAP_NET_RAW' },
  { re: /^sudo: .*(not allowed|may not run|is not in the sudoers)/, code: 'sudo-refused', explain: (_m, l) => `sudo refused: ${l.replace(/^sudo: /, '')}` },
  { re: /^(sudo: )?[^:]*:?\s*Sorry, user .* is not allowed/, code: 'sudo-refused', explain: (_m, l) => `sudo refused: ${l}` },
  { re: /^tcpdump: (\S+): You don't have permission|Operation not permitted|permission denied/i, code: 'permission', explain: (_m, l) => `no permission to capture: ${l.replace(/^tcpdump: /, '')}` },
  { re: /^tcpdump: (\S+): No such device exists/, code: 'no-such-device', explain: (m) => `interface ${m[1]} does not exist on the host` },
  { re: /^tcpdump: (\S+): That device is not up/, code: 'interface-down', explain: (m) => `interface ${m[1]} is down` },
  { re: /^tcpdump: (can't parse filter expression: .*|.*syntax error.*)$/, code: 'filter-syntax', explain: (m) => `tcpdump rejected the filter: ${m[1]}` },
];

export function parseRemoteCaptureStderrLine(line: string): RemoteCaptureStderrLine {
  let m = /^rcap-pid (\d+) (\d+)$/.exec(line);
  if (m) return { kind: 'pid', wrapperPid: Number(m[1]), timeoutPid: Number(m[2]) };
  if (line.startsWith('rcap-filter ')) return { kind: 'filter', filter: line.slice('rcap-filter '.length) };
  m = /^(?:tcpdump: )?listening on (\S+), link-type (\S+)(?: \([^)]*\))?, snapshot length (\d+) bytes/.exec(line);
  if (m) return { kind: 'listening', iface: m[1], linkType: m[2], snaplen: Number(m[3]) };
  m = /^(\d+) packets? (captured|received by filter|dropped by kernel)$/.exec(line.trim());
  if (m) {
    const stat = m[2] === 'captured' ? 'captured' : m[2] === 'dropped by kernel' ? 'dropped' : 'received';
    return { kind: 'stat', stat, count: Number(m[1]) };
  }
  for (const p of ERROR_PATTERNS) {
    const e = p.re.exec(line);
    if (e) return { kind: 'error', code: p.code, message: p.explain(e, line) };
  }
  if (/^tcpdump: /.test(line) && !/^tcpdump: (verbose output suppressed|data link type)/.test(line)) {
    return { kind: 'error', code: 'other', message: line };
  }
  return { kind: 'other', text: line };
}
