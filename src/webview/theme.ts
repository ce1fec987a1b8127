import type { ItemStyle } from '../core/timelineModel';

/** Canvas colours read from VS Code's theme variables, so light, dark and high-contrast themes all work. */
export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  border: string;
  overlap: string;
  overlapFill: string;
  errors: string;
  focus: string;
  styles: Record<ItemStyle, string>;
  highContrast: boolean;
  /** Canvas fonts cannot use CSS variables: the editor's font family, resolved. */
  fontFamily: string;
  /**
   * The label colour for text on `fill` drawn at `alpha` over the background: the foreground or the
   * background, whichever contrasts more (an orange fault bar wants dark text, a dim following band light).
   */
  textOn(fill: string, alpha: number): string;
}

export function readPalette(doc: Document): Palette {
  const css = getComputedStyle(doc.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const fg = v('--vscode-foreground', '#cccccc');
  const red = v('--vscode-charts-red', '#f14c4c');
  const background = v('--vscode-editor-background', '#1e1e1e');
  const muted = v('--vscode-descriptionForeground', '#999999');
  return {
    background,
    foreground: fg,
    muted,
    grid: v('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    border: v('--vscode-contrastBorder', v('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    overlap: red,
    overlapFill: red,
    errors: v('--vscode-charts-orange', '#d18616'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    fontFamily: v('--vscode-font-family', 'system-ui, sans-serif'),
    highContrast: doc.body.classList.contains('vscode-high-contrast') || doc.body.classList.contains('vscode-high-contrast-light'),
    styles: {
      leader: v('--vscode-charts-blue', '#3794ff'),
      'zk-leading': v('--vscode-charts-purple', '#b180d7'),
      'zk-following': v('--vscode-charts-green', '#89d185'),
      'zk-looking': v('--vscode-charts-yellow', '#cca700'),
      'zk-observing': v('--vscode-charts-foreground', fg),
      fault: v('--vscode-charts-orange', '#d18616'),
      restart: fg,
      sessionExpired: red,
      // Grey, not red: the expiry was logged by a deposed leader and never took effect.
      sessionExpiredIneffective: v('--vscode-disabledForeground', '#8b8b8b'),
      sessionTrouble: v('--vscode-charts-yellow', '#cca700'),
      election: v('--vscode-charts-blue', '#3794ff'),
      silence: muted,
    },
    textOn: labelColours(doc, fg, background),
  };
}

type Rgb = [number, number, number];

/** `textOn` for a theme: colours parsed by a canvas (whatever CSS syntax the theme uses), answers cached. */
function labelColours(doc: Document, foreground: string, background: string): (fill: string, alpha: number) => string {
  const probe = doc.createElement('canvas').getContext('2d');
  const bg = parseColour(probe, background, [0, 0, 0]);
  const fg = parseColour(probe, foreground, bg);
  const answers = new Map<string, string>();
  return (fill, alpha) => {
    const key = `${fill}|${alpha}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      const f = parseColour(probe, fill, bg);
      if (!f || !bg || !fg) answer = background;
      else {
        const shown = blend(f, bg, alpha);
        answer = contrast(shown, fg) >= contrast(shown, bg) ? foreground : background;
      }
      answers.set(key, answer);
    }
    return answer;
  };
}

/** A CSS colour as the canvas normalises it (`#rrggbb` or `rgba(…)`), a translucent one blended over `under`. */
function parseColour(probe: CanvasRenderingContext2D | null, colour: string, under: Rgb | undefined): Rgb | undefined {
  if (!probe) return undefined;
  probe.fillStyle = '#000000';
  probe.fillStyle = colour; // an unparsable colour leaves black
  const s = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(s);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const fn = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(s);
  if (!fn) return undefined;
  const rgb: Rgb = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
  return blend(rgb, under ?? [0, 0, 0], fn[4] === undefined ? 1 : Number(fn[4]));
}

function blend(top: Rgb, under: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => top[i] * alpha + under[i] * (1 - alpha)) as Rgb;
}

/** WCAG relative luminance and contrast ratio. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
