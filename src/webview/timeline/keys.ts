/** What a key does in the timeline: pan, scroll, zoom, fit, step through overlaps, open or explain the selected one. */
export type KeyAction =
  | { kind: 'pan'; fraction: number }
  | { kind: 'scroll'; pixels: number }
  | { kind: 'zoom'; factor: number }
  | { kind: 'fit' }
  | { kind: 'step'; by: 1 | -1 }
  | { kind: 'open' }
  | { kind: 'explain' };

/** Pixels an arrow key scrolls the lanes by. */
const SCROLL_STEP = 80;

/** The timeline's keys (README: arrows pan and scroll, `+` `−` zoom, Home fits, n / p step, Enter opens, e explains). */
export function keyAction(key: string): KeyAction | undefined {
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'pan', fraction: -0.1 };
    case 'ArrowRight':
      return { kind: 'pan', fraction: 0.1 };
    case 'ArrowUp':
      return { kind: 'scroll', pixels: -SCROLL_STEP };
    case 'ArrowDown':
      return { kind: 'scroll', pixels: SCROLL_STEP };
    case '+':
    case '=':
      return { kind: 'zoom', factor: 0.5 };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 2 };
    case 'Home':
    case '0':
      return { kind: 'fit' };
    case 'n':
      return { kind: 'step', by: 1 };
    case 'p':
      return { kind: 'step', by: -1 };
    case 'Enter':
      return { kind: 'open' };
    case 'e':
      return { kind: 'explain' };
    default:
      return undefined;
  }
}
