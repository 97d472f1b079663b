/**
 * A vertical splitter between two panes (WAI-ARIA "window splitter"): `role="separator"`, focusable,
 * its value the first pane's share of the width in percent. Arrow keys move it by 2 (Shift: 10),
 * Home and End to the ends; a pointer drags it.
 */
import type { RefObject } from 'preact';
import { useRef } from 'preact/hooks';

export interface SplitterProps {
  /** The first pane's width, in percent of `container`'s. */
  value: number;
  min: number;
  max: number;
  onChange(value: number): void;
  /** The element both panes share: a drag is measured against its width. */
  container: RefObject<HTMLElement | null>;
  /** The id of the pane it resizes. */
  controls: string;
  label: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function Splitter({ value, min, max, onChange, container, controls, label }: SplitterProps) {
  const dragging = useRef(false);
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 10 : 2;
    const next =
      event.key === 'ArrowLeft' || event.key === 'ArrowDown'
        ? value - step
        : event.key === 'ArrowRight' || event.key === 'ArrowUp'
          ? value + step
          : event.key === 'Home'
            ? min
            : event.key === 'End'
              ? max
              : null;
    if (next === null) return;
    event.preventDefault();
    onChange(clamp(next, min, max));
  };
  const moveTo = (clientX: number) => {
    const box = container.current?.getBoundingClientRect();
    if (!box || box.width <= 0) return;
    onChange(clamp(Math.round(((clientX - box.left) / box.width) * 100), min, max));
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be focused or dragged; the ARIA window splitter is a separator that can.
    <div
      class="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-valuenow={Math.round(value)}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={`list ${Math.round(value)}% of the width`}
      aria-controls={controls}
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        dragging.current = true;
        (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
        event.preventDefault();
      }}
      onPointerMove={(event) => {
        if (dragging.current) moveTo(event.clientX);
      }}
      onPointerUp={(event) => {
        dragging.current = false;
        (event.currentTarget as HTMLElement).releasePointerCapture(event.pointerId);
      }}
      onPointerCancel={() => {
        dragging.current = false;
      }}
    />
  );
}
