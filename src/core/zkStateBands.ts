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
}

/**
 * Peer-state bands per ZooKeeper peer: each state change starts a band that lasts until the next
 * different state or the end of that server's run. Phases (discovery → synchronization → broadcast)
 * stay inside one band.
 */
export function zkStateBands(bundle: BundleIndex): ZkStateBand[] {
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
  return out.sort((a, b) => a.start - b.start);
}
