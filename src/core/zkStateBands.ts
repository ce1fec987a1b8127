import type { Phase, RoleInterval } from './leaderIntervals';
import type { BundleIndex, ZkPeerState } from './model';
import { eventsByActor, runOfEvent, runsByFile } from './processes';
import type { Micros } from './time';

/** A stretch of time a ZooKeeper peer spent in one state (looking, following, leading, observing). */
export interface ZkStateBand {
  /** Node name; `node/myid=N` when one file holds several peers. */
  node: string;
  state: ZkPeerState;
  start: Micros;
  end: Micros;
  /** The leader's epoch while leading, when the log printed it. */
  epoch?: number;
  file: string;
  line: number;
  text: string;
  /**
   * Leading bands: the ZooKeeper phases of the term the band shows (from its leader interval, the one home
   * of phase knowledge), those that fall inside the band. Absent when the logs show none.
   */
  phases?: Phase[];
}

/**
 * Peer-state bands per ZooKeeper peer: each state change starts a band that lasts until the next
 * different state or the end of that server's run. Phases (discovery → synchronization → broadcast)
 * stay inside one band: a leading band carries those of the ZooKeeper leader term (`zkTerms`) it shows.
 */
export function zkStateBands(bundle: BundleIndex, zkTerms: readonly RoleInterval[] = []): ZkStateBand[] {
  const out: ZkStateBand[] = [];
  const byFile = runsByFile(bundle.processes);
  const groups = eventsByActor(
    bundle.files,
    (e) => e.kind === 'zkState' || (e.kind === 'zxid' && e.what === 'quorum'),
    (e) => e.kind === 'zkState',
  );
  for (const { actor: node, events } of groups) {
    let open: ZkStateBand | undefined;
    let openRun: ReturnType<typeof runOfEvent>;
    const close = (end: Micros) => {
      if (open) out.push({ ...open, end: Math.max(end, open.start) });
      open = undefined;
    };
    for (const e of events) {
      const run = runOfEvent(byFile.get(e.file), e);
      if (open && run !== openRun) close(openRun?.end ?? open.start);
      if (e.kind === 'zxid') {
        if (open?.state === 'leading' && open.epoch === undefined) open.epoch = e.epoch;
        continue;
      }
      if (e.kind !== 'zkState' || (open && open.state === e.state)) continue;
      close(e.time);
      open = { node, state: e.state, start: e.time, end: e.time, file: bundle.files[e.file].path, line: e.line, text: e.text };
      openRun = run;
    }
    close(openRun?.end ?? open?.start ?? 0);
  }
  attachPhases(out, zkTerms);
  return out.sort((a, b) => a.start - b.start);
}

/** Gives each leading band the phases of the term it shows: the same peer's term nearest its start that meets it. */
function attachPhases(bands: ZkStateBand[], zkTerms: readonly RoleInterval[]): void {
  const termsOf = new Map<string, RoleInterval[]>();
  for (const iv of zkTerms) {
    if (!iv.phases) continue;
    let list = termsOf.get(iv.node);
    if (!list) termsOf.set(iv.node, (list = []));
    list.push(iv);
  }
  for (const b of bands) {
    if (b.state !== 'leading') continue;
    let best: RoleInterval | undefined;
    for (const iv of termsOf.get(b.node) ?? []) {
      if (iv.start > b.end || iv.end < b.start) continue;
      if (!best || Math.abs(iv.start - b.start) < Math.abs(best.start - b.start)) best = iv;
    }
    const phases = best?.phases?.filter((p) => p.time >= b.start && p.time <= b.end);
    if (phases?.length) b.phases = phases;
  }
}
