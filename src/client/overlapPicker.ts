import * as vscode from 'vscode';
import { uiText } from '../core/inertText';
import type { OverlapInfo } from '../shared/protocol';
import type { OverlapKey } from '../shared/reportProtocol';
import type { SourceLocation } from '../shared/protocol';
import { openAt } from './openSource';
import { timeSync } from './timeSync';

/** "2.81 s", "1155 s (19.3 min)". */
export function durationText(seconds: number): string {
  return seconds < 100 ? `${seconds.toFixed(2)} s` : `${Math.round(seconds)} s (${(seconds / 60).toFixed(1)} min)`;
}

/** "172.20.131.241 ∩ 172.20.131.243 · 2.81 s · 2023-03-14 05:12:24.461"; node labels are folder names, made inert. */
export function overlapLabel(o: OverlapInfo): string {
  return `${uiText(o.nodeLabels[0])} ∩ ${uiText(o.nodeLabels[1])} · ${durationText(o.seconds)} · ${o.startLabel.slice(0, 23)}`;
}

interface OverlapItem extends vscode.QuickPickItem {
  overlap: OverlapInfo;
}

const ENDS_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('debug-step-out'),
  tooltip: 'Open where the two intervals end',
};
const TIMELINE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('graph-line'), tooltip: 'Show in Timeline' };
const EXPLAIN_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('report'), tooltip: 'Explain this overlap' };

/** The argument of `quorumLens.explainOverlap` that names this overlap. */
export const overlapKey = (o: OverlapInfo): OverlapKey => ({ role: o.role, nodes: o.nodes, start: o.start });

/** An overlap as a quick pick item: nodes, length and start; role, stale side and clocks; both intervals. */
function overlapItem(o: OverlapInfo, buttons: vscode.QuickInputButton[]): OverlapItem {
  return {
    label: overlapLabel(o),
    description: [
      uiText(o.role),
      o.stale ? uiText(`stale: ${o.stale.nodeLabel} (${o.stale.why})`) : '',
      o.clockOffsetMs !== undefined ? `offset ${o.clockOffsetMs} ms applied` : '',
      o.clockUncertaintyMs !== undefined ? `clocks ±${Math.round(o.clockUncertaintyMs)} ms (NTP)` : '',
      o.uncertain ? '$(warning) shorter than the clock uncertainty' : '',
    ]
      .filter(Boolean)
      .join(' · '),
    detail: o.intervals
      .map((iv) => uiText(`${iv.nodeLabel}: ${iv.startLabel.slice(11, 23)} → ${iv.endLabel.slice(11, 23)}, ended by ${iv.endReasonText}`))
      .join('   |   '),
    buttons,
    overlap: o,
  };
}

/**
 * Lets the user pick an overlap; the two nodes' lines open side by side at the intervals' starts. The
 * ends are one click away: the item's button, or the notification that follows; so are the timeline and
 * the overlap's report.
 */
export async function pickOverlap(
  overlaps: OverlapInfo[],
  title: string,
  showInTimeline: (o: OverlapInfo) => void,
  explain?: (o: OverlapInfo) => void,
): Promise<void> {
  const qp = vscode.window.createQuickPick<OverlapItem>();
  qp.title = title;
  qp.placeholder = "Choose an overlap to open both nodes' lines side by side";
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const buttons = explain ? [ENDS_BUTTON, TIMELINE_BUTTON, EXPLAIN_BUTTON] : [ENDS_BUTTON, TIMELINE_BUTTON];
  qp.items = overlaps.map((o) => overlapItem(o, buttons));
  const chosen = await new Promise<{ item: OverlapItem; action: 'starts' | 'ends' | 'timeline' | 'explain' } | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0] ? { item: qp.selectedItems[0], action: 'starts' } : undefined));
    qp.onDidTriggerItemButton((e) =>
      resolve({ item: e.item, action: e.button === TIMELINE_BUTTON ? 'timeline' : e.button === EXPLAIN_BUTTON ? 'explain' : 'ends' }),
    );
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!chosen) return;
  if (chosen.action === 'timeline') showInTimeline(chosen.item.overlap);
  else if (chosen.action === 'explain') explain?.(chosen.item.overlap);
  else await openOverlap(chosen.item.overlap, chosen.action === 'ends', showInTimeline);
}

/** Lets the user pick the overlap to explain (the same items as the overlaps quick pick); undefined when dismissed. */
export async function pickOverlapToExplain(overlaps: OverlapInfo[], title: string): Promise<OverlapInfo | undefined> {
  const picked = await vscode.window.showQuickPick(
    overlaps.map((o) => overlapItem(o, [])),
    { title, placeHolder: 'Choose an overlap to explain', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.overlap;
}

/**
 * "left: 172.20.131.241 zookeeper.log:118 · right: 172.20.131.242 zookeeper.log:201". An editor of a file is
 * titled with its name, which an extension cannot change: two nodes' `zookeeper.log` open side by side
 * under the same title, so the notification says which node is on which side.
 */
export function sidesText(o: OverlapInfo, sides: readonly [SourceLocation, SourceLocation]): string {
  const side = (iv: OverlapInfo['intervals'][number], at: SourceLocation) =>
    `${iv.nodeLabel} ${at.file.slice(at.file.lastIndexOf('/') + 1)}:${at.line}`;
  return `left: ${side(o.intervals[0], sides[0])} · right: ${side(o.intervals[1], sides[1])}`;
}

/** One side of an overlap: where its interval starts (its line, and the moment, corrected). */
export interface OverlapSide {
  loc: SourceLocation;
  start: number;
}

/**
 * Where the sides of an overlap show its start, the latest of the interval starts: a side starting then at
 * its own start line, the others at their first line at or after that moment — asked of time sync's
 * machinery, so they agree with what sync shows. Without it (not registered yet), the interval starts.
 */
export async function startLines(sides: readonly OverlapSide[], start: number): Promise<SourceLocation[]> {
  const sync = timeSync();
  const others = sides.filter((s) => s.start < start);
  const lines =
    sync && others.length > 0
      ? await sync
          .linesAt(
            start,
            others.map((s) => s.loc.uri),
          )
          .catch(() => [])
      : [];
  return sides.map((s) => {
    const k = others.indexOf(s);
    const line = k >= 0 ? lines[k] : undefined;
    return line ? { ...s.loc, line: line.line } : s.loc;
  });
}

/**
 * Opens sides of an overlap at `locations` (side i in column `columnOf(i)`, the first focused) without time
 * sync answering the openings — they are where they should be —, and makes `moment` sync's moment.
 */
export async function openSides(
  locations: readonly SourceLocation[],
  columnOf: (i: number) => vscode.ViewColumn,
  moment?: number,
): Promise<void> {
  const open = async () => {
    for (const [i, loc] of locations.entries()) timeSync()?.placedAt(await openAt(loc, columnOf(i), i > 0));
  };
  const sync = timeSync();
  if (!sync) return open();
  await sync.quietly(open);
  if (moment !== undefined) sync.setMoment(moment);
}

/** Opens the sides of an overlap at its start, in sync (the timeline's Open, the quick pick). */
export async function openSidesAtStart(
  sides: readonly OverlapSide[],
  start: number,
  columnOf: (i: number) => vscode.ViewColumn,
): Promise<void> {
  await openSides(await startLines(sides, start), columnOf, start);
}

/**
 * Opens an overlap's two sides at its start, in sync (or at the intervals' ends) and offers the other end
 * and the timeline.
 */
export async function openOverlap(o: OverlapInfo, ends: boolean, showInTimeline: (o: OverlapInfo) => void): Promise<void> {
  const [a, b] = o.intervals;
  const columns = (i: number) => (i === 0 ? vscode.ViewColumn.One : vscode.ViewColumn.Two);
  const sides = ends
    ? [a.endSource, b.endSource]
    : await startLines(
        o.intervals.map((iv) => ({ loc: iv.startSource, start: iv.start })),
        o.start,
      );
  await openSides(sides, columns, ends ? undefined : o.start);
  const other = ends ? 'Go to Overlap Start' : 'Go to Interval Ends';
  const timeline = 'Show in Timeline';
  const choice = await vscode.window.showInformationMessage(
    `${uiText(o.role)} overlap ${overlapLabel(o)} — ${uiText(sidesText(o, [sides[0], sides[1]]))}`,
    other,
    timeline,
  );
  if (choice === other) await openOverlap(o, !ends, showInTimeline);
  else if (choice === timeline) showInTimeline(o);
}

export { openAt };
