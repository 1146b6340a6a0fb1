// A table body that renders only the rows in view (plus a margin), so a list of thousands of
// objects costs the same to draw as a list of fifty. Rows have a fixed height for that reason.
import { useState, type ReactNode } from 'react';

export const ROW_HEIGHT = 28;
const OVERSCAN = 10;

export function VirtualRows<T>(props: {
  items: readonly T[];
  header: ReactNode;
  colSpan: number;
  height: number;
  renderRow(item: T, index: number): ReactNode;
  testId?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const count = Math.ceil(props.height / ROW_HEIGHT) + 2 * OVERSCAN;
  const last = Math.min(props.items.length, first + count);
  const above = first * ROW_HEIGHT;
  const below = (props.items.length - last) * ROW_HEIGHT;
  return (
    <div className="vscroll" style={{ maxHeight: props.height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid={props.testId}>
      <table className="grid">
        <thead>{props.header}</thead>
        <tbody>
          {above > 0 && (
            <tr style={{ height: above }} aria-hidden>
              <td colSpan={props.colSpan} />
            </tr>
          )}
          {props.items.slice(first, last).map((item, i) => props.renderRow(item, first + i))}
          {below > 0 && (
            <tr style={{ height: below }} aria-hidden>
              <td colSpan={props.colSpan} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
