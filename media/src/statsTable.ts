/**
 * A sortable table of the Statistics tab. Cells get their text with textContent (addresses and ports
 * come from packets) and their raw number in data-value, which sorting uses. A row with a display
 * filter is clickable (and Enter-able) and hands the filter to `onFilter`.
 */
import { el } from './vscodeApi';

export interface StatsColumn<Row> {
  label: string;
  /** Number for numeric columns (sorted descending first, right-aligned), text otherwise. */
  value(row: Row): number | string;
  /** Display text; default: numbers with thousands separators, text as is. */
  text?(row: Row): string;
}

export interface StatsTableOptions<Row> {
  id: string;
  title: string;
  columns: StatsColumn<Row>[];
  /** Display filter selecting a row's packets (undefined: the row is not clickable). */
  filterOf?(row: Row): string | undefined;
  /** Index of the column sorted first (descending for numbers). */
  sortColumn: number;
}

const numberText = (n: number): string => n.toLocaleString('en-US');

export function percentText(p: number): string {
  return `${p.toFixed(2)}%`;
}

export function renderStatsTable<Row>(o: StatsTableOptions<Row>, rows: Row[], totalRows: number, onFilter: (filter: string) => void): HTMLElement {
  const section = el('section', 'stats-section');
  section.dataset.section = o.id;
  const heading = el('h3', undefined, o.title);
  if (totalRows > rows.length) heading.append(el('span', 'stats-note', ` (top ${rows.length} of ${numberText(totalRows)})`));
  const table = el('table', 'stats-table');
  table.dataset.table = o.id;
  const head = el('thead');
  const headRow = el('tr');
  const body = el('tbody');
  let sortCol = o.sortColumn;
  let descending = true;

  const fill = (): void => {
    const col = o.columns[sortCol];
    const sorted = [...rows].sort((x, y) => {
      const a = col.value(x), b = col.value(y);
      const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { numeric: true });
      return descending ? -c : c;
    });
    const frag = document.createDocumentFragment();
    for (const r of sorted) {
      const tr = el('tr');
      for (const c of o.columns) {
        const v = c.value(r);
        const td = el('td', typeof v === 'number' ? 'num' : undefined, c.text ? c.text(r) : typeof v === 'number' ? numberText(v) : v);
        td.dataset.value = String(v);
        tr.append(td);
      }
      const filter = o.filterOf?.(r);
      if (filter !== undefined) {
        tr.dataset.filter = filter;
        tr.tabIndex = 0;
        tr.classList.add('filterable');
        tr.title = `Show these packets: ${filter}`;
      }
      frag.append(tr);
    }
    body.replaceChildren(frag);
    headRow.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort', i === sortCol ? (descending ? 'descending' : 'ascending') : 'none'));
  };

  o.columns.forEach((c, i) => {
    const th = el('th', undefined, c.label);
    th.tabIndex = 0;
    th.title = 'Sort';
    const sort = (): void => {
      if (sortCol === i) descending = !descending;
      else { sortCol = i; descending = typeof (rows[0] ? c.value(rows[0]) : 0) === 'number'; }
      fill();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
    headRow.append(th);
  });
  head.append(headRow);
  const pick = (e: Event): void => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-filter]');
    if (tr?.dataset.filter !== undefined) onFilter(tr.dataset.filter);
  };
  body.addEventListener('click', pick);
  body.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(e); });
  table.append(head, body);
  fill();
  section.append(heading, rows.length ? table : el('p', 'stats-note', 'None in this capture.'));
  return section;
}
