import type { Viewport } from './viewport';

/** Tick steps from days down to microseconds (µs). */
const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8, 9e8,
  18e8, 36e8, 72e8, 108e8, 216e8, 432e8, 864e8, 1728e8, 6048e8,
];

export interface Tick {
  t: number;
  label: string;
  /** The tick starts a new day (or the step is a day or more): drawn stronger. */
  major: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Wall-clock parts of a micros value (the logs' time, read as UTC so nothing shifts it). */
export function parts(t: number) {
  const ms = Math.floor(t / 1000);
  const d = new Date(ms);
  const micro = Math.round(t - ms * 1000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    us: d.getUTCMilliseconds() * 1000 + micro,
  };
}

/** "2023-03-14 05:12:24.461460": a full timestamp for tooltips. */
export function formatFull(t: number): string {
  const p = parts(t);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.us, 6)}`;
}

/** A duration as a person reads it: "812 µs", "2.81 s", "19 min 15 s", "1 d 2 h". */
export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)} ms`;
  const s = us / 1e6;
  if (s < 60) return `${s.toFixed(s < 10 ? 3 : 2)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.round((s % 86400) / 3600)} h`;
}

function label(t: number, step: number): string {
  const p = parts(t);
  if (step >= 864e8) return `${pad(p.mo)}-${pad(p.d)}`;
  if (p.h === 0 && p.mi === 0 && p.s === 0 && p.us === 0) return `${pad(p.mo)}-${pad(p.d)}`;
  if (step >= 6e7) return `${pad(p.h)}:${pad(p.mi)}`;
  if (step >= 1e6) return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
  if (step >= 1e3) return `${pad(p.mi)}:${pad(p.s)}.${pad(Math.floor(p.us / 1000), 3)}`;
  return `${pad(p.s)}.${pad(p.us, 6)}`;
}

/**
 * Ticks for the window: the smallest step that leaves at least `minSpacing` pixels between labels, on
 * round wall-clock boundaries (days start at midnight).
 */
export function ticks(view: Viewport, width: number, minSpacing = 90): { step: number; ticks: Tick[] } {
  const span = view.end - view.start;
  const wanted = (span / Math.max(width, 1)) * minSpacing;
  const step = STEPS.find((s) => s >= wanted) ?? STEPS[STEPS.length - 1] * Math.ceil(wanted / STEPS[STEPS.length - 1]);
  const out: Tick[] = [];
  const first = Math.ceil(view.start / step) * step;
  for (let t = first; t <= view.end && out.length < 1000; t += step) {
    const p = parts(t);
    out.push({ t, label: label(t, step), major: step >= 864e8 || (p.h === 0 && p.mi === 0 && p.s === 0 && p.us === 0) });
  }
  return { step, ticks: out };
}

/** The date (and hour when zoomed in) the ticks are relative to, shown at the axis' left end. */
export function axisContext(view: Viewport, step: number): string {
  const p = parts(view.start);
  const date = `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
  return step < 6e7 ? `${date} ${pad(p.h)}:00` : date;
}
