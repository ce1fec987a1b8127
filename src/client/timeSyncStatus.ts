import * as vscode from 'vscode';

/** "$(sync) Time Sync 05:12:24.461" while on, "$(sync-ignored) Time Sync" while off; a click toggles it. */
export class TimeSyncStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('quorumLens.timeSync', vscode.StatusBarAlignment.Left, 8);

  constructor() {
    this.item.name = 'Quorum Lens Time Sync';
    this.item.command = 'quorumLens.toggleTimeSync';
    this.item.show();
  }

  /** `moment`: corrected µs, shown as the logs' wall clock (UTC fields: times are wall clock as written). */
  update(on: boolean, moment: number | undefined): void {
    const at = moment === undefined ? '' : new Date(Math.floor(moment / 1000)).toISOString().slice(11, 23);
    this.item.text = on ? `$(sync) Time Sync${at ? ` ${at}` : ''}` : '$(sync-ignored) Time Sync';
    this.item.tooltip = on
      ? `Quorum Lens time sync is on: visible log editors and the timeline follow the active editor's cursor${at ? ` (now at ${at}, clock offsets applied)` : ''}. Click to turn it off.`
      : 'Quorum Lens time sync is off. Click to keep every visible log editor and the timeline at the same moment.';
  }

  dispose(): void {
    this.item.dispose();
  }
}
