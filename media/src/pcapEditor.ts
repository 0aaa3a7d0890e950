/**
 * Front-end of the pcap editor: a virtualised packet list (only the rows in view exist in the DOM,
 * fetched from the host by page), a display-filter box, and the selected packet's layer tree and hex
 * dump. Every string that came from a packet is set with textContent.
 */
import { pageStartTimes, reportRowsPainted } from './pageTiming';
import {
  PCAP_EDITOR_PAGE_SIZE, type EditorToHostMessage, type HostToEditorMessage, type LayerNode, type PacketRow, type PcapEditorState, type TimeFormat,
} from '../../src/protocol/pcapEditorProtocol';
import { formatPacketTime } from './packetTime';
import { StatsView } from './statsView';
import { FollowStreamButton, packetRowContext } from './followStreamButton';
import { el, getVsCodeApi } from './vscodeApi';
import { visibleRowRange } from './visibleRowRange';
import { RowPageCache } from './rowPageCache';

const ROW_HEIGHT = 20;
const PAGE_SIZE = PCAP_EDITOR_PAGE_SIZE;
const OVERSCAN = 15;
const HEX_LIMIT = 65536;

const vscode = getVsCodeApi<PcapEditorState, EditorToHostMessage>();
const saved = vscode.getState();
const state: PcapEditorState = saved ?? { filter: '', selected: 0, scrollTop: 0, timeFormat: 'absolute' };

let view = 0;
let rowCount = 0;
let first = { sec: 0, nsec: 0 };
/** The host has the list (indexing done, or a view applied): rows can be asked for; before, they could not be served. */
let listReady = false;
const rowPages = new RowPageCache<PacketRow>(PAGE_SIZE, (start, count) => vscode.postMessage({ type: 'getRows', view, start, count }));

// ---- layout ----
const root = document.getElementById('app') ?? document.body;
const toolbar = el('div', 'toolbar');
const filterInput = el('input', 'filter');
filterInput.type = 'text';
filterInput.placeholder = 'Display filter, e.g. ip.addr == 10.0.0.1 and not tcp.port == 22';
filterInput.setAttribute('aria-label', 'Display filter');
filterInput.value = state.filter;
const applyButton = el('button', 'apply', 'Apply');
const timeSelect = el('select', 'time-format');
timeSelect.setAttribute('aria-label', 'Time format');
for (const [value, label] of [['absolute', 'Absolute time'], ['relative', 'Since first packet'], ['delta', 'Since previous']] as const) {
  const o = el('option', undefined, label);
  o.value = value;
  timeSelect.append(o);
}
timeSelect.value = state.timeFormat;
const gotoInput = el('input', 'goto');
gotoInput.type = 'number';
gotoInput.min = '1';
gotoInput.placeholder = 'Go to packet';
gotoInput.setAttribute('aria-label', 'Go to packet');
const status = el('span', 'status');
const filterError = el('div', 'filter-error');
filterError.setAttribute('role', 'alert');
const statsButton = el('button', 'stats-toggle', 'Statistics');
statsButton.setAttribute('aria-pressed', 'false');
toolbar.append(filterInput, applyButton, timeSelect, gotoInput, statsButton, status);

const header = el('div', 'row header');
for (const h of ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']) header.append(el('span', 'cell', h));
const viewport = el('div', 'viewport');
viewport.tabIndex = 0;
viewport.setAttribute('role', 'grid');
viewport.setAttribute('aria-label', 'Packets');
const spacer = el('div', 'spacer');
const rowsLayer = el('div', 'rows');
viewport.append(spacer, rowsLayer);

const details = el('div', 'details');
const tree = el('div', 'tree');
tree.setAttribute('role', 'tree');
const hex = el('pre', 'hex');
const followButton = new FollowStreamButton((m) => vscode.postMessage(m));
details.append(followButton.element, tree, hex);
const statsView = new StatsView((m) => vscode.postMessage(m), (filter) => {
  filterInput.value = filter;
  setTab('packets');
  applyFilter();
});
root.append(toolbar, filterError, header, viewport, details, statsView.element);

/** Packets or Statistics: CSS hides the other one (root class). */
function setTab(tab: 'packets' | 'statistics'): void {
  state.tab = tab;
  persist();
  root.classList.toggle('tab-statistics', tab === 'statistics');
  statsButton.setAttribute('aria-pressed', String(tab === 'statistics'));
  if (tab === 'statistics') statsView.show();
  else render();
}

// ---- data ----
function rowAt(i: number): PacketRow | undefined {
  return rowPages.rowAt(i);
}

function timeText(i: number, r: PacketRow): string {
  if (state.timeFormat === 'absolute') return formatPacketTime('absolute', r.tsSec, r.tsNsec, 0, 0);
  if (state.timeFormat === 'relative') return formatPacketTime('relative', r.tsSec, r.tsNsec, first.sec, first.nsec);
  const prev = i > 0 ? rowAt(i - 1) : undefined;
  if (i > 0 && !prev) return '';
  return formatPacketTime('delta', r.tsSec, r.tsNsec, prev?.tsSec ?? r.tsSec, prev?.tsNsec ?? r.tsNsec);
}

function render(): void {
  spacer.style.height = `${rowCount * ROW_HEIGHT}px`;
  const { start, end } = visibleRowRange(viewport, rowCount, ROW_HEIGHT, OVERSCAN);
  const frag = document.createDocumentFragment();
  for (let i = start; i < end; i++) {
    const r = rowAt(i);
    if (!r) { if (listReady) rowPages.request(i); continue; }
    const row = el('div', 'row');
    row.style.top = `${i * ROW_HEIGHT}px`;
    row.dataset.number = String(r.number);
    row.dataset.index = String(i);
    row.setAttribute('role', 'row');
    row.dataset.vscodeContext = packetRowContext(r.number);
    if (r.number === state.selected) row.classList.add('selected');
    row.classList.add(`proto-${r.protocol.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
    for (const text of [String(r.number), timeText(i, r), r.source, r.destination, r.protocol, String(r.length), r.info]) {
      row.append(el('span', 'cell', text));
    }
    frag.append(row);
  }
  rowsLayer.replaceChildren(frag);
  if (rowsLayer.childElementCount > 0) reportRowsPainted((m) => vscode.postMessage(m));
  status.textContent = state.filter ? `${rowCount.toLocaleString()} packets match` : `${rowCount.toLocaleString()} packets`;
}

function persist(): void {
  vscode.setState(state);
}

function select(number: number, index?: number): void {
  state.selected = number;
  persist();
  vscode.postMessage({ type: 'select', number });
  if (index !== undefined) scrollIntoView(index);
  render();
}

function scrollIntoView(index: number): void {
  const top = index * ROW_HEIGHT;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
}

function selectedIndex(): number {
  return rowPages.findIndex((r) => r.number === state.selected);
}

function moveSelection(delta: number): void {
  const cur = selectedIndex();
  const next = Math.max(0, Math.min(rowCount - 1, (cur < 0 ? Math.floor(viewport.scrollTop / ROW_HEIGHT) : cur) + delta));
  const r = rowAt(next);
  if (r) select(r.number, next);
  else { scrollIntoView(next); render(); }
}

// ---- details ----
function renderLayer(node: LayerNode, depth: number): HTMLElement {
  const item = el('div', 'node');
  item.setAttribute('role', 'treeitem');
  const label = el('span', 'label', node.label);
  label.tabIndex = 0;
  label.style.paddingLeft = `${depth * 14}px`;
  label.addEventListener('click', () => {
    for (const s of tree.querySelectorAll('.label.active')) s.classList.remove('active');
    label.classList.add('active');
    highlightBytes(node.start, node.length);
  });
  item.append(label);
  for (const c of node.children ?? []) item.append(renderLayer(c, depth + 1));
  return item;
}

let hexBytes: Uint8Array = new Uint8Array(0);
function renderHex(bytes: Uint8Array): void {
  hexBytes = bytes;
  const frag = document.createDocumentFragment();
  const n = Math.min(bytes.length, HEX_LIMIT);
  for (let off = 0; off < n; off += 16) {
    const line = el('div', 'hexline');
    line.append(el('span', 'offset', off.toString(16).padStart(4, '0')));
    let ascii = '';
    for (let i = off; i < off + 16; i++) {
      const b = i < n ? bytes[i] : -1;
      const s = el('span', 'byte', b < 0 ? '  ' : b.toString(16).padStart(2, '0'));
      s.dataset.i = String(i);
      line.append(s);
      ascii += b < 0 ? ' ' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    line.append(el('span', 'ascii', ascii));
    frag.append(line);
  }
  if (bytes.length > HEX_LIMIT) frag.append(el('div', 'note', `… ${bytes.length - HEX_LIMIT} more bytes not shown`));
  hex.replaceChildren(frag);
}

function highlightBytes(start: number, length: number): void {
  for (const s of hex.querySelectorAll('.byte.hl')) s.classList.remove('hl');
  if (start < 0) return;
  for (let i = start; i < Math.min(start + length, hexBytes.length, HEX_LIMIT); i++) {
    hex.querySelector(`.byte[data-i="${i}"]`)?.classList.add('hl');
  }
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---- events ----
function applyFilter(): void {
  state.filter = filterInput.value;
  persist();
  filterError.textContent = '';
  vscode.postMessage({ type: 'applyFilter', text: filterInput.value });
}

filterInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyFilter(); });
applyButton.addEventListener('click', applyFilter);
statsButton.addEventListener('click', () => setTab(state.tab === 'statistics' ? 'packets' : 'statistics'));
timeSelect.addEventListener('change', () => { state.timeFormat = timeSelect.value as TimeFormat; persist(); render(); });
gotoInput.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  const n = Number(gotoInput.value);
  if (Number.isInteger(n) && n >= 1) vscode.postMessage({ type: 'goto', number: n });
});
let scrollSave = 0;
viewport.addEventListener('scroll', () => {
  render();
  clearTimeout(scrollSave);
  scrollSave = window.setTimeout(() => { state.scrollTop = viewport.scrollTop; persist(); }, 200);
});
viewport.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
  if (row?.dataset.number) select(Number(row.dataset.number), Number(row.dataset.index));
});
viewport.addEventListener('keydown', (e) => {
  const pageRows = Math.max(1, Math.floor(viewport.clientHeight / ROW_HEIGHT) - 1);
  const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows, End: rowCount, Home: -rowCount };
  if (e.key in moves) { e.preventDefault(); moveSelection(moves[e.key]); }
});
window.addEventListener('resize', render);

window.addEventListener('message', (event: MessageEvent<HostToEditorMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      first = { sec: m.firstTsSec, nsec: m.firstTsNsec };
      document.title = m.fileName;
      break;
    case 'progress':
      if (m.done) listReady = true;
      if (view === 0 && !state.filter) { rowCount = m.packetCount; rowPages.forgetPageOf(rowCount - 1); }
      if (m.firstRows && view === 0) {
        rowPages.store(0, m.firstRows);
        if (m.firstRows.length && state.timeFormat === 'relative' && first.sec === 0) first = { sec: m.firstRows[0].tsSec, nsec: m.firstRows[0].tsNsec };
      }
      if (m.error) { filterError.textContent = m.error; filterError.classList.add('file-error'); }
      if (m.done && m.packetCount > 0 && first.sec === 0 && !m.firstRows) vscode.postMessage({ type: 'getRows', view, start: 0, count: PAGE_SIZE });
      render();
      break;
    case 'rows': {
      if (m.view !== view) break;
      const page = rowPages.store(m.start, m.rows);
      if (page === 0 && m.rows.length && state.timeFormat === 'relative' && first.sec === 0) first = { sec: m.rows[0].tsSec, nsec: m.rows[0].tsNsec };
      render();
      break;
    }
    case 'view':
      listReady = true;
      view = m.view;
      rowCount = m.count;
      rowPages.clear();
      viewport.scrollTop = 0;
      render();
      break;
    case 'filterError': {
      filterError.textContent = `${m.message}\n${filterInput.value}\n${' '.repeat(m.position)}^`;
      break;
    }
    case 'detail':
      tree.replaceChildren(...m.layers.map((l) => renderLayer(l, 0)));
      renderHex(decodeBase64(m.bytesBase64));
      followButton.show(m.number, m.layers);
      break;
    case 'followed':
      if (m.error !== undefined) { filterError.textContent = m.error; break; }
      if (m.filter !== undefined) { filterInput.value = m.filter; setTab('packets'); applyFilter(); }
      break;
    case 'reveal':
      if (m.index < 0) {
        filterError.textContent = `packet ${m.number} is not in the current view${state.filter ? ' (hidden by the filter)' : ''}`;
        break;
      }
      state.selected = m.number;
      persist();
      scrollIntoView(m.index);
      render();
      break;
    case 'statsProgress':
    case 'stats':
    case 'statsError':
      statsView.handle(m);
      break;
  }
});

viewport.scrollTop = state.scrollTop;
render();
vscode.postMessage({ type: 'ready', ...pageStartTimes('pcapEditor.js') });
if (state.filter) applyFilter();
if (state.tab === 'statistics') setTab('statistics');
