import * as vscode from 'vscode';

/** Time sync's cursor as the timeline draws it: the moment (corrected µs; none: no line) and whether sync is on. */
export interface TimelineCursor {
  time?: number;
  sync: boolean;
}

/**
 * Between time sync and the timeline panel, so neither imports the other: the cursor the panel draws (kept
 * for a panel opened later), the moments clicked in the panel, and when a panel's page is ready.
 */
const picked = new vscode.EventEmitter<number>();
let cursor: TimelineCursor = { sync: false };
let draw: ((c: TimelineCursor) => void) | undefined;

/** A click in the timeline's chart while sync is on: the moment clicked. */
export const onDidPickTime = picked.event;

export function pickTime(time: number): void {
  picked.fire(time);
}

/** Sets the cursor and draws it in the open timeline, if any. */
export function setTimelineCursor(time: number | undefined, sync: boolean): void {
  cursor = time === undefined ? { sync } : { time, sync };
  draw?.(cursor);
}

export function timelineCursor(): TimelineCursor {
  return cursor;
}

/** The open panel draws the cursor from now on (until the returned disposable is disposed). */
export function attachTimeline(drawCursor: (c: TimelineCursor) => void): vscode.Disposable {
  draw = drawCursor;
  return { dispose: () => (draw = draw === drawCursor ? undefined : draw) };
}
