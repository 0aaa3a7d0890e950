/**
 * Front-end of Compare Captures: one column per capture in hop order, one row per packet identity.
 * Missing cells, slow segments, copies and rewrites are marked; verdicts, per-segment summaries and
 * host clock offsets sit above the grid. Rows are virtualised and fetched by range from the host.
 */
import { pageStartTimes, reportRowsPainted } from './pageTiming';
import {
  COMPARE_PAGE_SIZE, type CompareColumn, type CompareFilters, type CompareRow, type CompareState, type CompareToHostMessage, type HostClock,
  type HostToCompareMessage, type SegmentSummary,
} from '../../src/protocol/compareProtocol';
import { formatDuration, formatOffsetTime } from './formatDuration';
import { el, getVsCodeApi } from './vscodeApi';
import { visibleRowRange } from './visibleRowRange';
import { RowPageCache } from './rowPageCache';

const ROW_HEIGHT = 36;
const OVERSCAN = 10;

const vscode = getVsCodeApi<CompareState, CompareToHostMessage>();
const state: CompareState = vscode.getState() ?? { filters: { onlyAnomalies: false, flow: '', direction: 'both' }, scrollTop: 0 };

let columns: CompareColumn[] = [];
let view = 0;
let rowCount = 0;
const rowPages = new RowPageCache<CompareRow>(COMPARE_PAGE_SIZE, (start, count) => vscode.postMessage({ type: 'getRows', view, start, count }));

// ---- layout ----
const root = document.getElementById('app') ?? document.body;
const verdictList = el('ul', 'verdicts');
verdictList.setAttribute('aria-label', 'Verdicts');
const clockTable = el('div', 'clocks');
const hostTable = el('div', 'clocks capture-hosts');
const segmentBar = el('div', 'segments');
const toolbar = el('div', 'toolbar');
const anomalies = el('input');
anomalies.type = 'checkbox';
anomalies.id = 'only-anomalies';
const anomaliesLabel = el('label', undefined, 'Only anomalies');
anomaliesLabel.htmlFor = 'only-anomalies';
const flowSelect = el('select', 'flow');
flowSelect.setAttribute('aria-label', 'Flow');
const dirSelect = el('select', 'direction');
dirSelect.setAttribute('aria-label', 'Direction');
for (const [v, t] of [['both', 'Both directions'], ['forward', 'Forward (requests)'], ['reverse', 'Reverse (replies)']] as const) {
  const o = el('option', undefined, t);
  o.value = v;
  dirSelect.append(o);
}
const exportMd = el('button', undefined, 'Copy as Markdown');
const exportCsv = el('button', undefined, 'Export CSV');
const status = el('span', 'status');
toolbar.append(anomalies, anomaliesLabel, flowSelect, dirSelect, exportMd, exportCsv, status);
const header = el('div', 'grid-row header');
const viewport = el('div', 'viewport');
viewport.tabIndex = 0;
viewport.setAttribute('role', 'grid');
const spacer = el('div', 'spacer');
const rowsLayer = el('div', 'rows');
viewport.append(spacer, rowsLayer);
const errorBox = el('div', 'error');
errorBox.setAttribute('role', 'alert');
root.append(errorBox, verdictList, clockTable, hostTable, segmentBar, toolbar, header, viewport);

function gridTemplate(): string {
  return `minmax(18em, 2fr) repeat(${Math.max(1, columns.length)}, minmax(9em, 1fr))`;
}

// ---- model pieces ----
function renderVerdicts(verdicts: string[]): void {
  verdictList.replaceChildren(...(verdicts.length ? verdicts : ['No loss, delay outlier, duplicate or rewrite found.']).map((v) => el('li', undefined, v)));
}

function renderClocks(clocks: HostClock[]): void {
  const rows = clocks.map((c) => {
    const line = el('div', 'clock');
    line.append(el('span', 'host', c.host));
    const input = el('input');
    input.type = 'number';
    input.step = '0.001';
    input.value = (c.offsetNs / 1e6).toFixed(3);
    input.setAttribute('aria-label', `Clock offset of ${c.host} in ms`);
    input.addEventListener('change', () => {
      const ms = Number(input.value);
      if (Number.isFinite(ms)) vscode.postMessage({ type: 'setClockOffset', host: c.host, offsetNs: Math.round(ms * 1e6) });
    });
    line.append(input, el('span', 'unit', `ms ± ${formatDuration(c.uncertaintyNs)}${c.userSet ? ' (set by you)' : ' (estimated)'}`));
    return line;
  });
  clockTable.replaceChildren(...(rows.length ? [el('span', 'title', 'Host clock offsets'), ...rows] : []));
}

/** The host of each capture, editable: a capture taken on another host than its path says. */
function renderCaptureHosts(): void {
  const rows = columns.map((c) => {
    const line = el('div', 'capture-host');
    line.append(el('span', 'file', c.label.slice(0, c.label.lastIndexOf('@')) || c.label));
    const input = el('input');
    input.type = 'text';
    input.value = c.host;
    input.setAttribute('aria-label', `Host of ${c.label}`);
    input.addEventListener('change', () => {
      const host = input.value.trim();
      if (host && host !== c.host) vscode.postMessage({ type: 'setHost', columnId: c.id, host });
    });
    line.append(input);
    return line;
  });
  hostTable.replaceChildren(...(rows.length ? [el('span', 'title', 'Captured on'), ...rows] : []));
}

function columnLabel(id: number): string {
  return columns.find((c) => c.id === id)?.label ?? `#${id}`;
}

function renderSegments(segments: SegmentSummary[]): void {
  segmentBar.replaceChildren(...segments.map((s) => {
    const box = el('div', `segment${s.lost > 0 ? ' lossy' : ''}`);
    const loss = s.packets ? (100 * s.lost) / s.packets : 0;
    box.append(
      el('div', 'segment-name', `${s.direction === 'forward' ? '→' : '←'} ${columnLabel(s.from)} → ${columnLabel(s.to)}`),
      el('div', 'segment-stats', `${s.packets} pkts · lost ${s.lost} (${loss.toFixed(1)}%) · p50 ${formatDuration(s.p50Ns)} · p99 ${formatDuration(s.p99Ns)} · max ${formatDuration(s.maxNs)}`),
    );
    return box;
  }));
}

let dragFrom = -1;
function renderHeader(): void {
  header.style.gridTemplateColumns = gridTemplate();
  const cells = [el('span', 'cell', 'Packet')];
  columns.forEach((c, i) => {
    const h = el('span', 'cell column', c.label);
    h.title = `${c.file} (${c.host})`;
    h.draggable = true;
    h.tabIndex = 0;
    h.setAttribute('aria-label', `${c.label}; Alt+Left/Right moves the column`);
    h.addEventListener('dragstart', () => { dragFrom = i; });
    h.addEventListener('dragover', (e) => e.preventDefault());
    h.addEventListener('drop', (e) => { e.preventDefault(); moveColumn(dragFrom, i); });
    h.addEventListener('keydown', (e) => {
      if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) moveColumn(i, i + (e.key === 'ArrowLeft' ? -1 : 1));
    });
    cells.push(h);
  });
  header.replaceChildren(...cells);
}

function moveColumn(from: number, to: number): void {
  if (from < 0 || to < 0 || from >= columns.length || to >= columns.length || from === to) return;
  const ids = columns.map((c) => c.id);
  const [moved] = ids.splice(from, 1);
  ids.splice(to, 0, moved);
  vscode.postMessage({ type: 'reorder', columnIds: ids });
}

// ---- rows ----
function rowAt(i: number): CompareRow | undefined {
  return rowPages.rowAt(i);
}

function renderCell(row: CompareRow, col: number): HTMLElement {
  const cell = row.cells[col];
  if (!cell) {
    // Bytes re-segmented by offloads are not missing: shown neutral, with the verdict as the tooltip.
    const covered = row.verdict?.kind === 'segmented' || row.verdict?.kind === 'coalesced';
    const missing = el('span', `cell missing${covered ? ' covered' : ''}`, covered ? '≈' : '—');
    missing.title = row.verdict?.text ?? 'not seen at this hop';
    return missing;
  }
  const c = el('span', `cell present${cell.slow ? ' slow' : ''}${cell.rewrite ? ' rewritten' : ''}`);
  c.dataset.column = String(columns[col].id);
  c.dataset.packet = String(cell.packetNumber);
  const sub = el('span', 'sub');
  if (cell.hopDelayNs !== undefined) sub.append(el('span', 'delay', `${cell.hopDelayNs >= 0 ? '+' : ''}${formatDuration(cell.hopDelayNs)}`));
  if (cell.copies) sub.append(el('span', 'badge copies', `×${cell.copies + 1}`));
  if (cell.rewrite) {
    const r = el('span', 'badge rewrite', 'rewritten');
    r.title = cell.rewrite;
    sub.append(r);
  }
  if (cell.nat) {
    const n = el('span', 'badge nat', 'NAT');
    n.title = cell.nat;
    sub.append(n);
  }
  c.append(el('span', 'time', formatOffsetTime(cell.timeNs)), sub);
  c.title = `packet #${cell.packetNumber} in ${columns[col].file}${cell.rewrite ? `\n${cell.rewrite}` : ''}${cell.nat ? `\nNAT: ${cell.nat}` : ''}`;
  return c;
}

function render(): void {
  spacer.style.height = `${rowCount * ROW_HEIGHT}px`;
  const { start, end } = visibleRowRange(viewport, rowCount, ROW_HEIGHT, OVERSCAN);
  const frag = document.createDocumentFragment();
  for (let i = start; i < end; i++) {
    const r = rowAt(i);
    if (!r) {
      rowPages.request(i);
      continue;
    }
    const line = el('div', `grid-row${r.verdict ? ` anomaly verdict-${r.verdict.kind}` : ''}`);
    line.style.top = `${i * ROW_HEIGHT}px`;
    line.style.gridTemplateColumns = gridTemplate();
    line.dataset.row = String(r.id);
    const summary = el('span', 'cell summary');
    summary.append(el('span', 'dir', r.direction === 'forward' ? '→' : '←'), el('span', 'text', r.summary));
    const verdict = r.verdict ? el('span', 'verdict', r.verdict.text) : undefined;
    if (verdict) summary.append(verdict);
    const lost = r.verdict?.lostBetween;
    const seen = lost ? r.cells[columns.findIndex((c) => c.id === lost[0])] : null;
    if (verdict && lost && seen) {
      // Ask the host which nwfilter rule would drop this packet at the vNIC it was lost leaving or entering.
      const why = el('a', 'explain-loss', 'why?');
      why.title = 'nwfilter rule that drops this packet (when one of the two hops is a VM\'s vNIC)';
      why.setAttribute('role', 'button');
      why.addEventListener('click', (ev) => {
        ev.stopPropagation();
        vscode.postMessage({ type: 'explainLoss', seenColumnId: lost[0], nextColumnId: lost[1], packetNumber: seen.packetNumber });
      });
      verdict.append(why);
    }
    line.append(summary, ...columns.map((_c, k) => renderCell(r, k)));
    frag.append(line);
  }
  rowsLayer.replaceChildren(frag);
  status.textContent = `${rowCount.toLocaleString()} packets`;
  if (rowsLayer.childElementCount > 0) reportRowsPainted((m) => vscode.postMessage(m));
}

function sendFilters(): void {
  vscode.setState(state);
  vscode.postMessage({ type: 'setFilters', filters: state.filters });
}

anomalies.checked = state.filters.onlyAnomalies;
dirSelect.value = state.filters.direction;
anomalies.addEventListener('change', () => { state.filters = { ...state.filters, onlyAnomalies: anomalies.checked }; sendFilters(); });
dirSelect.addEventListener('change', () => { state.filters = { ...state.filters, direction: dirSelect.value as CompareFilters['direction'] }; sendFilters(); });
flowSelect.addEventListener('change', () => { state.filters = { ...state.filters, flow: flowSelect.value }; sendFilters(); });
exportMd.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown' }));
exportCsv.addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
viewport.addEventListener('scroll', () => { render(); state.scrollTop = viewport.scrollTop; vscode.setState(state); });
viewport.addEventListener('click', (e) => {
  const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell.present');
  if (cell?.dataset.column) vscode.postMessage({ type: 'reveal', columnId: Number(cell.dataset.column), packetNumber: Number(cell.dataset.packet) });
});
viewport.addEventListener('keydown', (e) => {
  const step: Record<string, number> = { ArrowDown: ROW_HEIGHT, ArrowUp: -ROW_HEIGHT, PageDown: viewport.clientHeight, PageUp: -viewport.clientHeight };
  if (e.key in step) { e.preventDefault(); viewport.scrollTop += step[e.key]; }
});
window.addEventListener('resize', render);

window.addEventListener('message', (event: MessageEvent<HostToCompareMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'model': {
      columns = m.columns;
      renderVerdicts(m.verdicts);
      renderClocks(m.clocks);
      renderSegments(m.segments);
      renderHeader();
      renderCaptureHosts();
      const flows = ['', ...m.flows];
      flowSelect.replaceChildren(...flows.map((f) => { const o = el('option', undefined, f || 'All flows'); o.value = f; return o; }));
      flowSelect.value = flows.includes(state.filters.flow) ? state.filters.flow : '';
      errorBox.textContent = '';
      break;
    }
    case 'view':
      view = m.view;
      rowCount = m.count;
      rowPages.clear();
      if (m.rows) rowPages.store(0, m.rows);
      render();
      break;
    case 'rows':
      if (m.view !== view) break;
      rowPages.store(m.start, m.rows);
      render();
      break;
    case 'error':
      errorBox.textContent = m.message;
      break;
    case 'persist':
      state.session = m.session;
      // The extension host's copy wins: after a browser reload the page's own state can be older.
      if (m.filters) {
        state.filters = m.filters;
        anomalies.checked = m.filters.onlyAnomalies;
        dirSelect.value = m.filters.direction;
        if ([...flowSelect.options].some((o) => o.value === m.filters?.flow)) flowSelect.value = m.filters.flow;
      }
      vscode.setState(state);
      break;
  }
});

viewport.scrollTop = state.scrollTop;
vscode.postMessage({ type: 'ready', ...pageStartTimes('compare.js') });
