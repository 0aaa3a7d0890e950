/**
 * The figures the capture-engine issue asks for, side by side: our reader + dissect + identity
 * against tcpdump -nn -r, tshark, pcap-parser and cat (ceiling) in packets per CPU-second, peak RSS,
 * `hopscope print --tttt` against tcpdump writing the same text, and peak RSS at two file sizes.
 */
export interface MeasuredRow { name: string; packets: number; seconds: number; cpuSeconds: number; peakRssKb: number; note: string }

const TARGETS: Array<[contender: string, label: string, target: number | undefined]> = [
  ['tcpdump -nn -r', 'vs tcpdump -nn -r', 10],
  ['tcpdump -nn -r (TZ=UTC)', 'vs tcpdump -nn -r (TZ=UTC)', undefined],
  ['tshark -T fields (3 fields)', 'vs tshark -T fields', 50],
  ['pcap-parser (npm)', 'vs pcap-parser (npm, reader only)', undefined],
  ['cat (warm cache, ceiling)', 'vs cat (ceiling)', undefined],
];

function rate(r: MeasuredRow): number { return r.packets / r.cpuSeconds; }
/** Packets per wall-clock second (the issue's "packets/s"; only meaningful on an idle machine). */
function wallRate(r: MeasuredRow): number { return r.packets / r.seconds; }
function fmtRate(n: number): string { return Math.round(n).toLocaleString('en-US'); }
function mb(kb: number): string { return `${(kb / 1024).toFixed(0)} MB`; }

/**
 * Packets per CPU-second after start-up: the CPU-time difference of a run on the whole file and one on
 * a prefix (the same fixed cost in both: process start, module load, JIT warm-up). Also that fixed cost.
 */
function steadyState(whole: MeasuredRow, prefix: MeasuredRow): { rate: number; fixedSeconds: number } | undefined {
  const dp = whole.packets - prefix.packets;
  const dt = whole.cpuSeconds - prefix.cpuSeconds;
  if (dp <= 0 || !(dt > 0)) return undefined;
  const rate = dp / dt;
  return { rate, fixedSeconds: whole.cpuSeconds - whole.packets / rate };
}

/** The fixed cost in ms; /usr/bin/time counts in 10 ms steps, so a few ms either side of 0 reads as ~0. */
function fixedMs(seconds: number): string {
  return seconds < 0.015 ? '~0 ms' : `${(seconds * 1000).toFixed(0)} ms`;
}

export function printRatioReport(rows: MeasuredRow[], ours: string, oursPrefix: string, tcpdumpPrefix?: string): void {
  const by = (name: string): MeasuredRow | undefined => rows.find((r) => r.name === name);
  const o = by(ours);
  if (!o) { console.log(`\n(ratio report: no '${ours}' row)`); return; }
  console.log(`\nRatios (packets per CPU-second, user+sys, best of the runs; wall ratio: packets per wall-clock second, meaningful on an idle machine only; ours = ${ours}: ${fmtRate(rate(o))} pkt/CPU-s, ${fmtRate(wallRate(o))} pkt/s, peak RSS ${mb(o.peakRssKb)})`);
  console.log(`${'comparison'.padEnd(36)} ${'theirs pkt/CPU-s'.padStart(17)} ${'ratio'.padStart(9)} ${'wall ratio'.padStart(10)} ${'target'.padStart(7)}  ${'their RSS'.padStart(9)}  note`);
  for (const [name, label, target] of TARGETS) {
    const t = by(name);
    if (!t) continue;
    const ratio = rate(o) / rate(t);
    const wallRatio = wallRate(o) / wallRate(t);
    const fmt = (x: number): string => `${x.toFixed(x < 1 ? 3 : 1)}x`;
    // Both measures: CPU time (robust on a shared machine) and packets per wall second (the issue's words).
    const verdict = target === undefined ? '' : ` CPU ${ratio >= target ? 'met' : 'NOT met'}, wall ${wallRatio >= target ? 'met' : 'NOT met'}`;
    console.log(`${label.padEnd(36)} ${fmtRate(rate(t)).padStart(17)} ${fmt(ratio).padStart(9)} ${fmt(wallRatio).padStart(10)} ${(target === undefined ? '' : `>=${target}x`).padStart(7)}  ${mb(t.peakRssKb).padStart(9)}  ${t.note.trim()}${verdict}`);
  }
  const p = by('hopscope print --tttt');
  const tp = by('tcpdump -nn -tttt -r (TZ=UTC)');
  if (p && tp) {
    const ratio = rate(p) / rate(tp);
    console.log(`${'print --tttt vs tcpdump -nn -tttt -r'.padEnd(36)} ${fmtRate(rate(tp)).padStart(17)} ${`${ratio.toFixed(2)}x`.padStart(9)} ${'>=1x'.padStart(7)}  ${mb(tp.peakRssKb).padStart(9)}  ours ${fmtRate(rate(p))} pkt/CPU-s, RSS ${mb(p.peakRssKb)}, same text to /dev/null${ratio >= 1 ? ' met' : ' NOT met'}`);
  }
  const small = by(oursPrefix);
  const tcpdump = by('tcpdump -nn -r');
  const tcpdumpSmall = tcpdumpPrefix === undefined ? undefined : by(tcpdumpPrefix);
  const oursSteady = small ? steadyState(o, small) : undefined;
  if (small && oursSteady) {
    // Secondary figure: the headline above is the whole process (what a user's run costs).
    const theirs = tcpdump && tcpdumpSmall ? steadyState(tcpdump, tcpdumpSmall) : undefined;
    const vs = theirs
      ? `${fmtRate(theirs.rate).padStart(17)} ${`${(oursSteady.rate / theirs.rate).toFixed(1)}x`.padStart(9)}`
      : `${'(no probe)'.padStart(17)} ${''.padStart(9)}`;
    console.log(`${'steady state vs tcpdump -nn -r'.padEnd(36)} ${vs} ${''.padStart(7)}  ${''.padStart(9)}  after start-up, from the ${small.packets / 1000}k and ${o.packets / 1000}k runs' CPU difference: ours ${fmtRate(oursSteady.rate)} pkt/CPU-s + ${fixedMs(oursSteady.fixedSeconds)} fixed${theirs ? `, tcpdump + ${fixedMs(theirs.fixedSeconds)} fixed` : ''} (secondary figure; the target is the whole-process ratio)`);
  }
  if (small) {
    console.log(`${'peak RSS vs file size'.padEnd(36)} ${`${small.packets / 1000}k: ${mb(small.peakRssKb)}`.padStart(17)} ${`${o.packets / 1000}k: ${mb(o.peakRssKb)}`.padStart(17)}  target < 100 MB and flat${o.peakRssKb < 100 * 1024 && o.peakRssKb < small.peakRssKb * 1.25 ? ' met' : ' NOT met'}`);
  }
}
