/**
 * Start/stop time of the test lab (test/lab/support/hypervisorLab.ts), N cycles.
 * Usage: npx tsx bench/labStartStop.ts [cycles=5] [hosts=2] [vmsPerHost=1]
 */
import { startLab } from '../test/lab/support/hypervisorLab';

async function main(): Promise<void> {
  const [cycles, hosts, vmsPerHost] = [Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 2), Number(process.argv[4] ?? 1)];
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const lab = await startLab({ hosts, vmsPerHost });
    starts.push(lab.startMs);
    await lab.stop();
    stops.push(lab.stopMs ?? 0);
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(JSON.stringify({ cycles, hosts, vmsPerHost, startMedianMs: Math.round(med(starts)), startMaxMs: Math.round(Math.max(...starts)),
    stopMedianMs: Math.round(med(stops)), stopMaxMs: Math.round(Math.max(...stops)) }));
}

void main();
