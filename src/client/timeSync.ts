import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TimeSyncStatus } from './timeSyncStatus';
import { linesAt, momentOf, moveEditorsTo, type PlacedLines } from './timeSyncTargets';
import { onDidPickTime, setTimelineCursor } from './timeSyncTimeline';

export const TOGGLE_TIME_SYNC_COMMAND = 'quorumLens.toggleTimeSync';
/** Where the toggle is kept: a workspace reopened is still in sync. */
const STATE_KEY = 'quorumLens.timeSync';
/** A cursor moving by keyboard fires many changes: the moment is taken once it rests. */
const DEBOUNCE_MS = 150;
/**
 * Selection changes of the active editor, when time sync moved it (a timeline click, an overlap opening),
 * this long after the move are its own doing (they arrive a little later, and a Cluster Log view that
 * repaged reports other lines), not the user's: they must not start another round. Only the active editor's
 * count: the others' changes never start a round, and a user who focuses one and moves at once is obeyed.
 */
const QUIET_MS = 400;

/**
 * Time sync: while on, every visible bundle editor — source files, window views, Cluster Log views — and the
 * timeline's cursor follow the (clock-offset-corrected) moment of the active editor's cursor; a click in the
 * timeline sets the moment too.
 */
export class TimeSync implements vscode.Disposable {
  private on: boolean;
  private moment: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every new moment: a round whose answers arrive after a newer one began moves nothing. */
  private round = 0;
  /** Bumped by every question for an editor's moment: only the latest one's answer moves editors. */
  private asks = 0;
  private quietUntil = 0;
  /** Whether the last move (or opening) moved the editor that was active then. */
  private movedActive = false;
  /** Openings under way that sync must not answer (see `quietly`). */
  private opening = 0;
  private readonly placed: PlacedLines = new Map();
  private readonly status = new TimeSyncStatus();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.on = state.get<boolean>(STATE_KEY) === true;
    this.disposables = [
      this.status,
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      onDidPickTime((time) => void this.goTo(time)),
    ];
    this.show();
  }

  get enabled(): boolean {
    return this.on;
  }

  /** The moment every editor is kept at, while sync is on and has one. */
  get current(): number | undefined {
    return this.on ? this.moment : undefined;
  }

  /** Turns sync on (taking the active editor's moment at once) or off. */
  async toggle(): Promise<void> {
    this.on = !this.on;
    await this.state.update(STATE_KEY, this.on);
    if (!this.on) this.moment = undefined;
    this.show();
    const active = vscode.window.activeTextEditor;
    if (this.on && active) await this.fromEditor(active);
  }

  /**
   * Runs an opening of editors that time sync must not answer (the overlap picker puts both sides where
   * it wants them): selection changes during it, and just after, are not the user's.
   */
  async quietly<T>(open: () => Promise<T>): Promise<T> {
    this.cancelPending();
    this.opening++;
    try {
      return await open();
    } finally {
      this.opening--;
      this.quietUntil = Date.now() + QUIET_MS;
      this.movedActive = true;
    }
  }

  /** Records where an editor was put by someone acting for time sync, so its own selection event is not a move. */
  placedAt(editor: vscode.TextEditor | undefined): void {
    if (editor) this.placed.set(editor.document.uri.toString(), editor.selection.active.line);
  }

  /** The line (1-based) of each document at a moment, null for those that stay put. */
  linesAt(time: number, uris: readonly string[]) {
    return linesAt(this.client, time, uris);
  }

  /** The moment changed without moving editors (they were opened there): the status and the timeline follow. */
  setMoment(time: number): void {
    if (!this.on) return;
    this.moment = time;
    this.show();
  }

  /** Moves every visible editor but `source` (and the timeline's cursor) to a moment. */
  async goTo(time: number, source?: vscode.TextEditor): Promise<void> {
    if (!this.on) return;
    const round = ++this.round;
    this.moment = time;
    this.show();
    const targets = vscode.window.visibleTextEditors.filter((e) => e !== source);
    this.quietUntil = Number.POSITIVE_INFINITY;
    this.movedActive = targets.some((e) => e === vscode.window.activeTextEditor);
    try {
      await moveEditorsTo(this.client, time, targets, this.placed, () => round !== this.round, source?.document);
    } finally {
      if (round === this.round) this.quietUntil = Date.now() + QUIET_MS;
    }
  }

  private show(): void {
    this.status.update(this.on, this.moment);
    setTimelineCursor(this.on ? this.moment : undefined, this.on);
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (!this.on || this.opening > 0 || e.textEditor !== vscode.window.activeTextEditor) return;
    const uri = e.textEditor.document.uri.toString();
    const line = e.textEditor.selection.active.line;
    // Where time sync put this editor, or an editor it moved changing a moment later: not a move of the user's.
    const placed = this.placed.get(uri);
    if (placed === line || (placed !== undefined && this.movedActive && Date.now() < this.quietUntil)) return;
    this.placed.delete(uri);
    this.cancelPending();
    const editor = e.textEditor;
    this.timer = setTimeout(() => void this.fromEditor(editor), DEBOUNCE_MS);
  }

  private cancelPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async fromEditor(editor: vscode.TextEditor): Promise<void> {
    // Its own count: asking for a moment that turns out to have none must not cancel a move under way.
    const ask = ++this.asks;
    const time = await momentOf(this.client, editor).catch(() => undefined);
    // A document with no moment (no bundle, no time) leaves everything where it is.
    if (time === undefined || ask !== this.asks) return;
    await this.goTo(time, editor);
  }

  dispose(): void {
    this.cancelPending();
    for (const d of this.disposables) d.dispose();
  }
}

let current: TimeSync | undefined;

/** Time sync of this window, once registered (the overlap picker opens overlaps through it). */
export function timeSync(): TimeSync | undefined {
  return current;
}

/** The toggle command and the status bar item; registered in `activate`. */
export function registerTimeSync(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable[] {
  current = new TimeSync(client, context.workspaceState);
  const sync = current;
  return [
    sync,
    vscode.commands.registerCommand(TOGGLE_TIME_SYNC_COMMAND, () => sync.toggle()),
    { dispose: () => (current = current === sync ? undefined : current) },
  ];
}
