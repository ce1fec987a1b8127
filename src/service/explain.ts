import { actorId, hostOf } from '../core/actor';
import { judgeExpiry, verdictWords } from '../core/expiryVerdict';
import type { LogEvent } from '../core/model';
import { ROLE } from '../core/rules/roleRules';
import type { Micros } from '../core/time';
import type { BundleHandle } from './bundleHandle';
import { overlaps, answerWarnings } from './leaders';
import { shiftOf } from './overlapFacts';
import { foundLine, nodeName } from './present';
import type { ExplainResult, FoundLine, OverlapInfo, OverlapReport, SessionEventInfo } from './results';
import { offsetsUs, type ServiceContext } from './serviceContext';
import { zkSessionWords } from '../core/workflows/sessionLifecycle';

/** How far around an overlap its report looks: states from before the earlier term, sessions a minute after. */
const STATES_BEFORE_US = 10_000_000;
const AFTER_US = 60_000_000;
/** Lines of each kind one report holds: a storm of state changes is cut, and says so. */
const REPORT_LINES = 200;

/**
 * The overlap report: for each overlap of the roles (or the one starting at `start` between `nodes`, in either order), both
 * terms, the stale side and its evidence, phases, silences, faults, both nodes' ZooKeeper states around it,
 * the session expiries logged near it (judged), and what makes it doubtful.
 */
export function explainOverlaps(ctx: ServiceContext, params: { role?: string; nodes?: [string, string]; start?: number }): ExplainResult {
  const found = overlaps(ctx, { role: params.role });
  const wanted = found.overlaps.filter(
    (o) =>
      (params.start === undefined || o.start === params.start) &&
      (!params.nodes || [...o.nodes].sort().join('\u0000') === [...params.nodes].sort().join('\u0000')),
  );
  const reports = wanted.map((o) => report(ctx, bundleOf(ctx, o), o));
  return { roles: found.roles, reports, examined: found.examined, warnings: answerWarnings(ctx) };
}

function bundleOf(ctx: ServiceContext, o: OverlapInfo): BundleHandle {
  return ctx.bundles.find((b) => b.root === o.bundle) ?? ctx.bundles[0];
}

function report(ctx: ServiceContext, b: BundleHandle, o: OverlapInfo): OverlapReport {
  const from = Math.min(o.intervals[0].start, o.intervals[1].start) - STATES_BEFORE_US;
  const warnings: string[] = [];
  if (o.uncertain)
    warnings.push(
      `the overlap (${o.seconds} s) is no longer than the clock uncertainty (${o.clockUncertaintyMs ?? 0} ms): it may not be real`,
    );
  if (o.stale?.by === 'start')
    warnings.push('the stale side rests on the clocks only: neither epoch nor election seq tells the two terms apart');
  const states = linesAround(ctx, b, [hostOf(o.nodes[0]), hostOf(o.nodes[1])], from, o.end + STATES_BEFORE_US, isStateLine);
  const sessions = sessionsAround(ctx, b, o.start - STATES_BEFORE_US, o.end + AFTER_US);
  if (states.cut) warnings.push(`only the first ${REPORT_LINES} state lines are listed`);
  if (sessions.cut) warnings.push(`only the first ${REPORT_LINES} session lines are listed`);
  return { overlap: o, states: states.lines, sessions: sessions.lines, warnings };
}

function isStateLine(e: LogEvent): boolean {
  return e.kind === 'zkState' || e.kind === 'role' || e.kind === 'metaElection' || (e.kind === 'zxid' && e.what === 'quorum');
}

/** Lines of the nodes' files in [from, to] (corrected time) whose events pass `keep`, one per line, in time order. */
function linesAround(
  ctx: ServiceContext,
  b: BundleHandle,
  nodes: string[],
  from: Micros,
  to: Micros,
  keep: (e: LogEvent) => boolean,
): { lines: FoundLine[]; cut: boolean } {
  const out: FoundLine[] = [];
  b.index.files.forEach((f, fi) => {
    if (f.duplicateOf || f.skipped || !nodes.includes(f.node)) return;
    const d = shiftOf(ctx, f.node);
    let lastLine = -1;
    for (const e of f.events) {
      const t = e.time + d;
      if (t < from || t > to || e.line === lastLine || !keep(e)) continue;
      lastLine = e.line;
      out.push(foundLine(ctx, b, { file: fi, line: e.line, text: e.text }, t));
    }
  });
  out.sort((x, y) => (x.time ?? 0) - (y.time ?? 0));
  return { lines: out.slice(0, REPORT_LINES), cut: out.length > REPORT_LINES };
}

/** Every session expiry, close and client-side loss in the window, on any node; servers' expiries judged. */
function sessionsAround(ctx: ServiceContext, b: BundleHandle, from: Micros, to: Micros): { lines: SessionEventInfo[]; cut: boolean } {
  const terms = ctx.rules.some((r) => r.role === ROLE.zookeeper) ? b.queries.intervals(ROLE.zookeeper) : [];
  const offsets = offsetsUs(ctx);
  const out: SessionEventInfo[] = [];
  b.index.files.forEach((f, fi) => {
    if (f.duplicateOf || f.skipped) return;
    const d = shiftOf(ctx, f.node);
    for (const e of f.events) {
      if (e.kind !== 'session' || !['expired', 'closeSubmitted', 'clientExpired', 'invalid'].includes(e.action)) continue;
      const t = e.time + d;
      if (t < from || t > to) continue;
      const v = e.side === 'server' && e.action !== 'invalid' ? judgeExpiry(actorId(f.node, e.peer), e.time, terms, offsets) : undefined;
      out.push({
        ...foundLine(ctx, b, { file: fi, line: e.line, text: e.text }, t),
        what: `${zkSessionWords(e)}: session ${e.sessionId}`,
        ...(v && { effective: v.effective, why: verdictWords(v, (n) => nodeName(ctx, b, n)) }),
      });
    }
  });
  out.sort((x, y) => (x.time ?? 0) - (y.time ?? 0));
  return { lines: out.slice(0, REPORT_LINES), cut: out.length > REPORT_LINES };
}
