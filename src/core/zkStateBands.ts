import type { BundleIndex, LogEvent, ZkPeerState } from './model';
import { runOfEvent, runsByFile, streamsOf } from './processes';
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
  for (const order of streamsOf(bundle.files).values()) {
    const events: LogEvent[] = [];
    for (const fi of order) for (const e of bundle.files[fi].events) if (e.kind === 'zkState' || (e.kind === 'zxid' && e.what === 'quorum')) events.push(e);
    if (!events.some((e) => e.kind === 'zkState')) continue;
    const peers = new Set(events.map((e) => e.peer).filter((p) => p !== undefined));
    const perPeer = peers.size > 1;
    const groups = new Map<string, LogEvent[]>();
    for (const e of events) {
      const key = perPeer ? e.peer ?? '' : '';
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(e);
    }
    for (const [peer, group] of groups) {
      const node = bundle.files[group[0].file].node;
      const label = peer ? `${node}/myid=${peer}` : node;
      let open: ZkStateBand | undefined;
      let openRun: ReturnType<typeof runOfEvent>;
      const close = (end: Micros) => {
        if (open) out.push({ ...open, end: Math.max(end, open.start) });
        open = undefined;
      };
      for (const e of group) {
        const run = runOfEvent(byFile.get(e.file), e);
        if (open && run !== openRun) close(openRun?.end ?? open.start);
        if (e.kind === 'zxid') {
          if (open?.state === 'leading' && open.epoch === undefined) open.epoch = e.epoch;
          continue;
        }
        if (e.kind !== 'zkState' || (open && open.state === e.state)) continue;
        close(e.time);
        open = { node: label, state: e.state, start: e.time, end: e.time, file: bundle.files[e.file].path, line: e.line, text: e.text };
        openRun = run;
      }
      close(openRun?.end ?? open?.start ?? 0);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
