/**
 * The Statistics tab's charts as inline SVG built with DOM calls (no chart library, no inline style:
 * the CSP allows neither inline scripts nor style attributes). One bar per second of the capture
 * (spikes get class "spike") and one bar per ICMP echo round trip (outliers get class "outlier").
 * Geometry is in viewBox units with preserveAspectRatio="none", so the chart fills its CSS box.
 */
import type { EchoRoundTrip, EchoStats, SecondBucket } from '../../src/core/stats/captureStatsTypes';
import { el } from './vscodeApi';

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 100;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function titled<E extends SVGElement>(e: E, text: string): E {
  const t = document.createElementNS(SVG_NS, 'title');
  t.textContent = text;
  e.append(t);
  return e;
}

/**
 * Bars of `values`, each with its tooltip and classes, in a box with a readout line. The chart is one
 * keyboard stop (role slider): ←/→ (Home/End, PageUp/PageDown by 10) move a highlighted bar whose
 * text is the slider's aria-valuetext (screen readers read it on each move) and the readout's text;
 * Enter or Space does what a click on that bar does.
 */
function barChart(className: string, label: string, values: number[], classOf: (i: number) => string, tooltip: (i: number) => string,
  onPick: (i: number) => void): HTMLElement {
  const n = Math.max(1, values.length);
  const max = Math.max(1, ...values);
  const chart = svg('svg', {
    class: className, viewBox: `0 0 ${n} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'slider', tabindex: 0,
    'aria-label': `${label} (arrow keys move, Enter shows the packets)`, 'aria-valuemin': 0, 'aria-valuemax': Math.max(0, values.length - 1),
  });
  const gap = n > 300 ? 0 : 0.15;
  const bars: SVGRectElement[] = [];
  values.forEach((v, i) => {
    const h = v > 0 ? Math.max(0.8, (v / max) * HEIGHT) : 0;
    const bar = svg('rect', { class: classOf(i), x: i + gap / 2, y: HEIGHT - h, width: 1 - gap, height: h });
    bar.dataset.index = String(i);
    // An invisible full-height strip behind makes a low bar easy to click.
    const hit = svg('rect', { class: 'hit', x: i, y: 0, width: 1, height: HEIGHT });
    hit.dataset.index = String(i);
    chart.append(titled(hit, tooltip(i)), titled(bar, tooltip(i)));
    bars.push(bar);
  });
  const readout = el('div', 'stats-chart-readout', 'Focus the chart and use the arrow keys to read each bar.');
  let current = -1;
  const highlight = (i: number): void => {
    if (!values.length) return;
    const next = Math.min(values.length - 1, Math.max(0, i));
    bars[current]?.classList.remove('current');
    current = next;
    bars[current].classList.add('current');
    const text = tooltip(current);
    chart.setAttribute('aria-valuenow', String(current));
    chart.setAttribute('aria-valuetext', text);
    readout.textContent = text;
  };
  chart.addEventListener('focus', () => { if (current < 0) highlight(0); });
  chart.addEventListener('keydown', (e) => {
    const step: Record<string, number> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
    if (e.key in step) highlight(Math.max(0, current) + step[e.key]);
    else if (e.key === 'Home') highlight(0);
    else if (e.key === 'End') highlight(values.length - 1);
    else if ((e.key === 'Enter' || e.key === ' ') && current >= 0) onPick(current);
    else return;
    e.preventDefault();
  });
  chart.addEventListener('click', (e) => {
    const i = Number((e.target as Element).closest('rect')?.getAttribute('data-index'));
    if (!Number.isInteger(i) || i < 0 || i >= values.length) return;
    highlight(i);
    onPick(i);
  });
  const box = el('div', 'stats-chart-box');
  box.append(chart, readout);
  return box;
}

export type SeriesMetric = 'packets' | 'bytes';

/** Beyond this many seconds, one bar sums several (a day of seconds would be 86,400 SVG bars). */
export const MAX_SECOND_BARS = 3000;

interface SecondBin { from: number; to: number; packets: number; bytes: number; spike: boolean }

function binSeconds(buckets: SecondBucket[], size: number): SecondBin[] {
  const bins: SecondBin[] = [];
  for (let i = 0; i < buckets.length; i += size) {
    const part = buckets.slice(i, i + size);
    bins.push({
      from: part[0].second, to: part[part.length - 1].second, spike: part.some((b) => b.spike),
      packets: part.reduce((s, b) => s + b.packets, 0), bytes: part.reduce((s, b) => s + b.bytes, 0),
    });
  }
  return bins;
}

/** `onSeconds(from, to)`: the seconds (inclusive) of the bar clicked. */
export function renderPerSecondChart(buckets: SecondBucket[], metric: SeriesMetric, onSeconds: (from: number, to: number) => void): HTMLElement {
  const size = Math.max(1, Math.ceil(buckets.length / MAX_SECOND_BARS));
  const bins = binSeconds(buckets, size);
  const values = bins.map((b) => (metric === 'packets' ? b.packets : b.bytes));
  const box = barChart('stats-chart per-second', `${metric} per ${size === 1 ? 'second' : `${size} seconds`}`, values,
    (i) => `bar${bins[i].spike ? ' spike' : ''}`,
    (i) => `${size === 1 ? `second ${bins[i].from}` : `seconds ${bins[i].from}–${bins[i].to}`}: ${bins[i].packets.toLocaleString('en-US')} packets, ${bins[i].bytes.toLocaleString('en-US')} bytes${bins[i].spike ? ' — spike' : ''}`,
    (i) => onSeconds(bins[i].from, bins[i].to));
  const peak = Math.max(0, ...values);
  const axis = el('div', 'stats-axis');
  axis.append(el('span', undefined, '0 s'), el('span', undefined, `peak ${peak.toLocaleString('en-US')} ${metric}/${size === 1 ? 's' : `${size} s`}`),
    el('span', undefined, `${buckets.length} s${size > 1 ? ` (${size} s per bar)` : ''}`));
  box.firstElementChild?.after(axis); // chart, axis, readout
  return box;
}

export function renderRttChart(echo: EchoStats, onRoundTrip: (r: EchoRoundTrip) => void): HTMLElement {
  const outliers = new Set(echo.outliers.map((r) => `${r.requestSrc} ${r.requestDst} ${r.id} ${r.seq} ${r.requestSec}`));
  const isOutlier = (r: EchoRoundTrip): boolean => outliers.has(`${r.requestSrc} ${r.requestDst} ${r.id} ${r.seq} ${r.requestSec}`);
  const series = echo.series;
  const box = barChart('stats-chart rtt', 'ICMP echo round-trip times', series.map((r) => r.rttMs),
    (i) => `bar${isOutlier(series[i]) ? ' outlier' : ''}`,
    (i) => `${series[i].requestSrc} → ${series[i].requestDst} id ${series[i].id} seq ${series[i].seq} at ${series[i].requestSec.toFixed(3)} s: ${series[i].rttMs.toFixed(3)} ms`,
    (i) => onRoundTrip(series[i]));
  const axis = el('div', 'stats-axis');
  axis.append(el('span', undefined, 'first echo'), el('span', undefined, `max ${(echo.maxMs ?? 0).toFixed(3)} ms`), el('span', undefined, `${series.length} round trips`));
  box.firstElementChild?.after(axis); // chart, axis, readout
  return box;
}
