/** Rows [start, end) to render for a virtualised list: the viewport plus `overscan` rows each side. */
export function visibleRowRange(viewport: HTMLElement, rowCount: number, rowHeight: number, overscan: number): { start: number; end: number } {
  const top = viewport.scrollTop;
  return {
    start: Math.max(0, Math.floor(top / rowHeight) - overscan),
    end: Math.min(rowCount, Math.ceil((top + viewport.clientHeight) / rowHeight) + overscan),
  };
}
