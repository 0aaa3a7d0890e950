import { spawn, execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

/**
 * Writes a real capture of `count` pings to 127.0.0.1, taken by tcpdump on the loopback of a private
 * network namespace (<prefix><pid>e2e, so parallel test processes and the host's own traffic stay out).
 * The namespace is deleted whatever happens.
 */
export async function writePingCapture(file: string, count = 3, namespacePrefix = 'hse'): Promise<void> {
  const ns = `${namespacePrefix}${process.pid}e2e`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const tcpdump = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', 'lo', '-U', '-nn', '-w', file, 'icmp'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => tcpdump.once('exit', (code) => resolve(code)));
    // tcpdump says "listening on lo" once its capture is armed.
    await new Promise<void>((resolve, reject) => {
      tcpdump.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('listening on')) resolve();
      });
      void exited.then((code) => reject(new Error(`tcpdump exited (${code}) before listening: ${stderr}`)));
    });
    execFileSync('ip', ['netns', 'exec', ns, 'ping', '-c', String(count), '-i', '0.2', '-W', '1', '127.0.0.1'],
      { stdio: 'ignore' });
    // -U writes each packet as tcpdump reads it: wait until all of them are in the file (pcap header
    // 24 bytes, each 98-byte echo frame with its 16-byte record header) before stopping tcpdump.
    const expectedBytes = 24 + count * 2 * (16 + 98);
    const deadline = Date.now() + 10_000;
    while (statSync(file, { throwIfNoEntry: false })?.size !== expectedBytes && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    tcpdump.kill('SIGINT'); // tcpdump flushes and closes the file on SIGINT
    await exited;
    if (!stderr.includes(`${count * 2} packets captured`)) {
      throw new Error(`expected ${count * 2} ICMP packets in ${file}; tcpdump said: ${stderr}`);
    }
    if (statSync(file).size === 0) throw new Error(`${file} is empty`);
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}
