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
}

export function readPalette(doc: Document): Palette {
  const css = getComputedStyle(doc.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const fg = v('--vscode-foreground', '#cccccc');
  const red = v('--vscode-charts-red', '#f14c4c');
  return {
    background: v('--vscode-editor-background', '#1e1e1e'),
    foreground: fg,
    muted: v('--vscode-descriptionForeground', '#999999'),
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
      sessionTrouble: v('--vscode-charts-yellow', '#cca700'),
      election: v('--vscode-charts-blue', '#3794ff'),
    },
  };
}
