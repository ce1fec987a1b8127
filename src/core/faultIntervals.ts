import type { BundleIndex, LogEvent } from './model';
import { nodeResolver } from './nodeAliases';
import type { Micros } from './time';

type FaultEvent = Extract<LogEvent, { kind: 'fault' }>;

/** An injected fault from its command to the restore that undid it (or the end of the fault log). */
export interface FaultInterval {
  /** The node that owns the target address; the host the command ran on when the target is unknown. */
  node?: string;
  target?: string;
  host?: string;
  tool: string;
  detail: string;
  start: Micros;
  end: Micros;
  /** True when no restore was logged: the fault lasts until the bundle's logs end. */
  open: boolean;
  /** The node whose log recorded the fault (the fault runner's): its times are on that node's clock. */
  clockNode: string;
  file: string;
  line: number;
  text: string;
  endFile?: string;
  endLine?: number;
  endText?: string;
}

/**
 * Pairs injections with restores: `RESTORE_IPTABLES` (or an `iptables -D/-F`) undoes every iptables fault
 * still in effect, `tcdel` every tc fault, `kill -CONT` a `kill -STOP`. A fault never restored lasts until
 * the last line of the bundle (the runner may stop logging long before the damage ends).
 */
export function faultIntervals(bundle: BundleIndex): FaultInterval[] {
  const resolve = nodeResolver(bundle.nodes);
  const out: FaultInterval[] = [];
  const bundleEnd = lastTimeOf(bundle);
  bundle.files.forEach((f) => {
    const faults = f.events.filter((e): e is FaultEvent => e.kind === 'fault');
    if (faults.length === 0) return;
    const active: FaultInterval[] = [];
    for (const e of faults) {
      if (e.action === 'inject') {
        const node = (e.target && resolve.byAddress(e.target)) || (e.host && resolve.byAddress(e.host)) || undefined;
        active.push({
          node,
          target: e.target,
          host: e.host,
          tool: e.tool,
          detail: e.detail,
          start: e.time,
          end: e.time,
          open: true,
          clockNode: f.node,
          file: f.path,
          line: e.line,
          text: e.text,
        });
        continue;
      }
      for (let i = active.length - 1; i >= 0; i--) {
        const a = active[i];
        if (a.tool !== e.tool || (e.target && a.target && e.target !== a.target)) continue;
        out.push({ ...a, end: e.time, open: false, endFile: f.path, endLine: e.line, endText: e.text });
        active.splice(i, 1);
      }
    }
    for (const a of active) out.push({ ...a, end: Math.max(bundleEnd ?? a.start, f.lastTime ?? a.start, a.start) });
  });
  return out.sort((a, b) => a.start - b.start || a.line - b.line);
}

/** The latest line time of the bundle's files (copies and skipped files aside). */
function lastTimeOf(bundle: BundleIndex): Micros | undefined {
  let end: Micros | undefined;
  for (const f of bundle.files) {
    if (f.skipped || f.duplicateOf || f.lastTime === undefined) continue;
    end = end === undefined ? f.lastTime : Math.max(end, f.lastTime);
  }
  return end;
}
