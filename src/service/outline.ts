import type { BundleQueries } from '../core/bundleQueries';
import { nodeLabel } from '../core/bundleQueries';
import type { LogEvent } from '../core/model';
import { parseActor } from '../core/actor';
import { leaderEdgeLabel, metaElectionLabel, processStartLabel } from '../core/eventLabels';

/** An event worth a place in the Outline: role changes, restarts and faults. */
export interface EventSymbol {
  name: string;
  detail: string;
  kind: 'role' | 'restart' | 'fault' | 'election';
  line: number;
  file: string;
  node: string;
}

/** Names an event the way an investigator would say it; undefined for events the Outline skips. */
export function symbolOf(e: LogEvent, q: BundleQueries, label: (t: number) => string): Omit<EventSymbol, 'file' | 'node'> | undefined {
  const detail = label(e.time);
  switch (e.kind) {
    case 'role':
      return undefined; // from the intervals instead: only edges that opened or closed one
    case 'processStart':
      return { name: processStartLabel(e), detail, kind: 'restart', line: e.line };
    case 'fault': {
      const target = e.target ? q.nodeOfAddress(e.target) : undefined;
      const who = target ? ` → ${nodeLabel(target, target.name)}` : e.target ? ` → ${e.target}` : '';
      return { name: `fault ${e.action}: ${e.tool}${who}`, detail, kind: 'fault', line: e.line };
    }
    case 'metaElection':
      return e.what === 'leader' ? { name: metaElectionLabel(e), detail, kind: 'election', line: e.line } : undefined;
    default:
      return undefined;
  }
}

/**
 * Role edges that really opened or closed a leader interval (a follower's "LOOKING" closes nothing and
 * stays out of the Outline).
 */
function roleSymbols(q: BundleQueries, file: string | undefined, label: (t: number) => string): EventSymbol[] {
  const out: EventSymbol[] = [];
  for (const role of q.roles) {
    for (const iv of q.intervals(role)) {
      const { node, peer } = parseActor(iv.node);
      const who = peer !== undefined ? ` (myid=${peer})` : '';
      if (file === undefined || iv.startSource.file === file) {
        out.push({
          name: `${leaderEdgeLabel(role, 'starts')}${who}`,
          detail: label(iv.start),
          kind: 'role',
          line: iv.startSource.line,
          file: iv.startSource.file,
          node,
        });
      }
      const closedByLine = iv.endReason !== 'processExit' && iv.endReason !== 'logEnd';
      if (closedByLine && (file === undefined || iv.endSource.file === file)) {
        out.push({
          name: `${leaderEdgeLabel(role, 'ends')}${who}`,
          detail: label(iv.end),
          kind: 'role',
          line: iv.endSource.line,
          file: iv.endSource.file,
          node,
        });
      }
    }
  }
  return out;
}

/** The Outline of one file, in line order. */
export function documentSymbols(q: BundleQueries, fileIndex: number, label: (t: number) => string): EventSymbol[] {
  const f = q.bundle.files[fileIndex];
  const out: EventSymbol[] = roleSymbols(q, f.path, label);
  for (const e of f.events) {
    const s = symbolOf(e, q, label);
    if (s) out.push({ ...s, file: f.path, node: f.node });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** "Go to Symbol in Workspace": events across the bundle whose name or node matches the query. */
export function workspaceSymbols(q: BundleQueries, query: string, label: (t: number) => string, limit = 500): EventSymbol[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: EventSymbol[] = [];
  const matches = (s: EventSymbol, node: string) => words.every((w) => `${s.name} ${node} ${s.node}`.toLowerCase().includes(w));
  for (const s of roleSymbols(q, undefined, label)) {
    const node = nodeLabel(q.node(s.node), s.node);
    if (matches(s, node)) out.push({ ...s, name: `${s.name} · ${node}` });
    if (out.length >= limit) return out;
  }
  for (const f of q.bundle.files) {
    const node = nodeLabel(q.node(f.node), f.node);
    for (const e of f.events) {
      const s = symbolOf(e, q, label);
      if (!s) continue;
      const full = { ...s, file: f.path, node: f.node };
      if (matches(full, node)) out.push({ ...full, name: `${s.name} · ${node}` });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
