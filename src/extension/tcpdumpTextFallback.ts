import { execFile } from 'node:child_process';

/**
 * TEMPORARY FALLBACK until src/core/pcap (readCaptureFile) and src/core/format land on main:
 * renders a capture file as text with the system's `tcpdump -nn -tttt -r`. Started with an argument
 * vector (no shell), so the file name is never parsed as a command line.
 */
export function renderCaptureWithSystemTcpdump(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'tcpdump',
      ['-nn', '-tttt', '-r', filePath],
      { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const reason = stderr.split('\n').find((line) => line.startsWith('tcpdump:')) ?? error.message;
          reject(new Error(`cannot read ${filePath}: ${reason}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}
