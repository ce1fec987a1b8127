import type { BundleQueries } from '../core/bundleQueries';
import { nodeLabel } from '../core/bundleQueries';
import type { LogEvent } from '../core/model';

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
      return { name: `${e.role} leader ${e.edge === 'start' ? 'starts' : 'ends'}${e.peer ? ` (myid ${e.peer})` : ''}`, detail, kind: 'role', line: e.line };
    case 'processStart':
      return { name: `${e.program} started${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`, detail, kind: 'restart', line: e.line };
    case 'fault': {
      const target = e.target ? q.nodeOfAddress(e.target) : undefined;
      const who = target ? ` → ${nodeLabel(target, target.name)}` : e.target ? ` → ${e.target}` : '';
      return { name: `fault ${e.action}: ${e.tool}${who}`, detail, kind: 'fault', line: e.line };
    }
    case 'metaElection':
      return e.what === 'leader' ? { name: `meta election won (seq ${e.seq})`, detail, kind: 'election', line: e.line } : undefined;
    default:
      return undefined;
  }
}

/** The Outline of one file. */
export function documentSymbols(q: BundleQueries, fileIndex: number, label: (t: number) => string): EventSymbol[] {
  const f = q.bundle.files[fileIndex];
  const out: EventSymbol[] = [];
  for (const e of f.events) {
    const s = symbolOf(e, q, label);
    if (s) out.push({ ...s, file: f.path, node: f.node });
  }
  return out;
}

/** "Go to Symbol in Workspace": events across the bundle whose name or node matches the query. */
export function workspaceSymbols(q: BundleQueries, query: string, label: (t: number) => string, limit = 500): EventSymbol[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: EventSymbol[] = [];
  for (const f of q.bundle.files) {
    const node = nodeLabel(q.node(f.node), f.node);
    for (const e of f.events) {
      const s = symbolOf(e, q, label);
      if (!s) continue;
      const hay = `${s.name} ${node} ${f.node}`.toLowerCase();
      if (words.every((w) => hay.includes(w))) out.push({ ...s, name: `${s.name} · ${node}`, file: f.path, node: f.node });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
